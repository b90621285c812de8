import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received { method: string; path: string; headers: IncomingHttpHeaders; body: string }

/** A real HTTP peer that records every request, answering each as `answer` says (default 200). */
export async function startReceiver(answer: (r: Received) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 })) {
  const requests: Received[] = []
  const waiters: (() => void)[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }
      requests.push(received)
      const { status, headers = {} } = answer(received)
      res.writeHead(status, headers).end('ok')
      waiters.splice(0).forEach((w) => w())
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: `${base}/hooks/cal`,
    base,
    requests,
    /** Resolves once `n` requests have arrived. */
    async waitFor(n: number) {
      while (requests.length < n) await new Promise<void>((resolve) => waiters.push(resolve))
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }),
  }
}
