import { Agent, request } from 'node:http'
import { connect } from 'node:net'

export interface RawResponse { status: number; headers: Record<string, string | string[] | undefined>; text: string }

// A fresh connection per request: after a refused upload the server may close a connection the
// client would otherwise reuse, and a hang-up there would be the client's doing, not an answer.
const agent = new Agent({ keepAlive: false, maxSockets: 32 })

/** One request exactly as given (repeated headers, raw bytes, any method), over node:http. */
export function send(baseUrl: string, req: { method: string; path: string; headers: Record<string, string | string[]>; body?: string | Buffer | undefined }, timeoutMs = 30_000): Promise<RawResponse> {
  const url = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    // Framed explicitly: node sends a DELETE's body with neither Content-Length nor chunking.
    const headers = req.body === undefined ? req.headers : { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) }
    const outgoing = request({ agent, host: url.hostname, port: url.port, method: req.method, path: req.path, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    outgoing.on('error', reject)
    outgoing.end(req.body)
  })
}

/**
 * A request whose body stops short of its Content-Length, then the client goes away: what a
 * dropped upload looks like to the server. Resolves once the socket is closed either way.
 */
export function sendTruncated(baseUrl: string, path: string, declaredLength: number, sentBody: string): Promise<string> {
  const url = new URL(baseUrl)
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${declaredLength}\r\n\r\n${sentBody}`)
      setTimeout(() => socket.end(), 50)
    })
    let answer = ''
    socket.on('data', (c) => { answer += c.toString('utf8') })
    socket.on('error', () => {})
    socket.on('close', () => resolve(answer))
    socket.setTimeout(5_000, () => socket.destroy())
  })
}

export function closeAgent() {
  agent.destroy()
}
