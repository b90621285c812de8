import { readFileSync } from 'node:fs'
import { buildDemoApp } from '../../demo/app.js'
import { loadDemoConfig } from '../../demo/config.js'
import { freePort } from '../../demo/start-server.js'

const page = (body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Book a visit</title><style>body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem}</style></head>
<body><h1>Book a visit with Pastor Zack</h1>
${body}
</body></html>`

/**
 * The demo composition in sandbox mode on an in-memory PGlite (the sandbox hosts registered, as
 * at `npm start`), plus two host pages that differ only in how the booking UI is built. Opened at localhost while Cal.com's pages are on 127.0.0.1, so
 * the booking iframe is cross-origin as in production.
 */
export async function startBenchServer(options: { assets: Record<string, string> }) {
  const port = await freePort()
  const config = loadDemoConfig({ PORT: String(port), DATA_DIR: 'memory://', LOG_LEVEL: 'silent' })
  const app = await buildDemoApp({ config })

  app.get('/bench/ours.html', async (_request, reply) => reply.type('text/html').send(page(
    `<script type="module" src="/bench/assets/churchhub-booking.js"></script>
<churchhub-booking username="zack" event="30min"></churchhub-booking>`)))
  app.get('/bench/peer.html', async (_request, reply) => reply.type('text/html').send(page(
    `<div id="booking" data-cal-origin="${config.cal.origin}" data-embed-js-url="${config.cal.embedJsUrl}"></div>
<script type="module" src="/bench/assets/peer-booking.js"></script>`)))
  app.get<{ Params: { file: string } }>('/bench/assets/:file', async (request, reply) => {
    const file = options.assets[request.params.file]
    if (!file) return reply.code(404).send({ error: { code: 'not_found', message: 'No such asset.' } })
    return reply.type('text/javascript').header('cache-control', 'no-store').send(readFileSync(file))
  })

  await app.listen({ port, host: '127.0.0.1' })
  return { url: `http://127.0.0.1:${port}`, app, close: () => app.close() }
}
