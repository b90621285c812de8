import { readFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { chromium } from 'playwright-core'

interface Teardown { teardown(fn: () => unknown): void }

export const CHROME_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

export async function launchChromium(t: Teardown) {
  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', args: CHROME_ARGS })
  t.teardown(() => browser.close())
  return browser
}

/** A listening node:http server answering with `handle`; closed at teardown. Returns its origin. */
async function serve(t: Teardown, host: string, handle: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
  return `http://${host}:${(server.address() as AddressInfo).port}`
}

export interface ReceivedWebhook { headers: IncomingHttpHeaders; body: string }

/** A webhook subscriber that keeps every request it gets and answers 200. */
export async function webhookReceiver(t: Teardown) {
  const received: ReceivedWebhook[] = []
  const waiters: (() => void)[] = []
  const origin = await serve(t, '127.0.0.1', (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(200).end('ok')
      waiters.splice(0).forEach((w) => w())
    })
  })
  /** Resolves with the first delivery whose body passes `match` (now or later). */
  async function waitFor(match: (w: ReceivedWebhook) => boolean, timeoutMs = 10_000): Promise<ReceivedWebhook> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const hit = received.find(match)
      if (hit) return hit
      if (Date.now() > deadline) throw new Error(`no matching webhook among ${received.length} received`)
      await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 200) })
    }
  }
  return { url: `${origin}/webhooks/cal`, received, waitFor }
}

const require = createRequire(import.meta.url)
const SNIPPET = readFileSync(require.resolve('@calcom/embed-snippet/dist/snippet.es.js'), 'utf8')

/**
 * A church site on another origin (localhost, while the sandbox is on 127.0.0.1) that uses nothing
 * but Cal.com's published snippet and documented calls. `/inline?calLink=…&config=<json>&ui=<json>`
 * embeds inline (`&mode=popup`: a data-cal-link button; `&mode=prerender`: a prerendered modal that
 * `window.openModal()` opens; `&ns=`: in a namespace of that name) and records every public event in `window.calEvents`.
 */
export async function hostSite(t: Teardown, sandboxUrl: string) {
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Grace Church</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>Talk with a pastor</h1><div id="my-cal-inline"></div>
<script type="module">
import EmbedSnippet from '/snippet.es.js'
const q = new URLSearchParams(location.search)
const Snippet = EmbedSnippet(${JSON.stringify(`${sandboxUrl}/embed/embed.js`)})
window.calEvents = []
// A named namespace (&ns=) as a page with several embeds uses, else the default one.
const ns = q.get('ns')
if (ns) Snippet('init', ns, { origin: ${JSON.stringify(sandboxUrl)} })
else Snippet('init', { origin: ${JSON.stringify(sandboxUrl)} })
const Cal = ns ? Snippet.ns[ns] : Snippet
for (const action of ['linkReady', 'linkFailed', 'eventTypeSelected', 'bookingSuccessful', 'bookingSuccessfulV2',
  'rescheduleBookingSuccessful', 'rescheduleBookingSuccessfulV2', 'bookingCancelled']) {
  Cal('on', { action, callback: (e) => window.calEvents.push({ type: e.detail.type, data: e.detail.data }) })
}
const calLink = q.get('calLink')
const config = JSON.parse(q.get('config') || '{}')
if (q.get('mode') === 'popup') {
  // Cal.com's element-click popup: any element with data-cal-link.
  const button = document.createElement('button')
  Object.assign(button.dataset, { calLink, calConfig: JSON.stringify(config) })
  button.textContent = 'Book a time'
  document.body.append(button)
} else if (q.get('mode') === 'prerender') {
  Cal('preload', { calLink, type: 'modal' })
  window.openModal = () => Cal('modal', { calLink, config })
} else {
  Cal('inline', { elementOrSelector: '#my-cal-inline', calLink, config })
}
if (q.get('ui')) Cal('ui', JSON.parse(q.get('ui')))
</script></body></html>`
  const origin = await serve(t, 'localhost', (req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (path === '/snippet.es.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(SNIPPET)
    else if (path === '/inline') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page)
    else res.writeHead(404).end()
  })
  return {
    origin,
    inlineUrl: (calLink: string, config: Record<string, unknown> = {}, ui?: Record<string, unknown>, mode?: 'popup' | 'prerender' | { ns: string }) =>
      `${origin}/inline?${new URLSearchParams({
        calLink, config: JSON.stringify(config), ...(ui ? { ui: JSON.stringify(ui) } : {}),
        ...(typeof mode === 'string' ? { mode } : mode ?? {}),
      })}`,
  }
}
