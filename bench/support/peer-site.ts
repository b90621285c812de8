import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createGzip } from 'node:zlib'
import { buildDemoApp } from '../../demo/app.js'
import { loadDemoConfig } from '../../demo/config.js'
import { freePort } from '../../demo/start-server.js'

/** Host names Chromium maps to 127.0.0.1 (`--host-resolver-rules`): three sites, as on the web. */
export const HOSTS = { church: 'church.test', booking: 'booking.test', cal: 'cal.test' } as const
export const HOST_RESOLVER_RULES = `--host-resolver-rules=MAP ${HOSTS.church} 127.0.0.1, MAP ${HOSTS.booking} 127.0.0.1, MAP ${HOSTS.cal} 127.0.0.1`

const COMPRESSIBLE = /^(text\/|application\/(javascript|json))/

/**
 * Everything the peer benchmark's pages load, behind one front on a free port that answers as
 * three sites: the church's pages (`church.test`), our server (`booking.test`: the widget, the host
 * answers, its embed.js copy) and Cal.com (`cal.test`: the sandbox's embed.js and booking pages).
 * The front gzips every text answer that is not already encoded, as a CDN would, for all three
 * alike; our server, a whole sandbox-mode app on in-memory PGlite, sits behind it.
 */
export async function startPeerSite(pages: (origins: { booking: string; cal: string; church: string }) => Record<string, { type: string; body: string | Buffer }>) {
  const front = createServer()
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve))
  const port = (front.address() as AddressInfo).port
  const origins = { church: `http://${HOSTS.church}:${port}`, booking: `http://${HOSTS.booking}:${port}`, cal: `http://${HOSTS.cal}:${port}` }

  const appPort = await freePort()
  const calBase = `${origins.cal}/sandbox/cal`
  // The server fetches its embed.js copy itself, where Node resolves no `.test` name: through the front by address.
  const config = loadDemoConfig({
    PORT: String(appPort), DATA_DIR: 'memory://', LOG_LEVEL: 'silent',
    CAL_ORIGIN: calBase, CAL_EMBED_JS_URL: `http://127.0.0.1:${port}/sandbox/cal/embed/embed.js`,
  })
  const app = await buildDemoApp({ config })
  await app.listen({ port: appPort, host: '127.0.0.1' })

  const served = pages(origins)
  front.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const page = served[new URL(req.url ?? '/', 'http://x').pathname]
    if (page) return send(req, res, 200, { 'content-type': page.type, 'cache-control': 'no-store' }, page.body)
    const upstream = httpRequest({ host: '127.0.0.1', port: appPort, method: req.method, path: req.url, headers: { ...req.headers, 'accept-encoding': 'identity' } }, (answer) => {
      const headers = { ...answer.headers }
      const type = String(headers['content-type'] ?? '')
      if (!COMPRESSIBLE.test(type) || headers['content-encoding'] || !/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        res.writeHead(answer.statusCode ?? 502, headers)
        return answer.pipe(res)
      }
      delete headers['content-length']
      res.writeHead(answer.statusCode ?? 502, { ...headers, 'content-encoding': 'gzip', vary: 'accept-encoding' })
      answer.pipe(createGzip()).pipe(res)
    })
    upstream.on('error', () => res.writeHead(502).end())
    req.pipe(upstream)
  })
  return {
    origins,
    close: async () => {
      front.closeAllConnections()
      await new Promise((resolve) => front.close(resolve))
      await app.close()
    },
  }
}

function send(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer) {
  if (COMPRESSIBLE.test(headers['content-type'] ?? '') && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    const zip = createGzip()
    res.writeHead(status, { ...headers, 'content-encoding': 'gzip', vary: 'accept-encoding' })
    zip.pipe(res)
    return zip.end(body)
  }
  res.writeHead(status, headers).end(body)
}
