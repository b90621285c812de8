import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import terserModule from '@rollup/plugin-terser'
import { chromium, type Browser } from 'playwright-core'
import { rollup } from 'rollup'
import { startSandbox, type RunningSandbox } from '../demo/sandbox/standalone.js'
import { median } from './support/stats.js'

/**
 * The widget as a church site's visitor gets it: how many bytes the bundle costs beside a minimal
 * Lit element built the same way and beside Cal.com's own embed.js; that an element below the fold
 * fetches nothing from Cal.com; and how soon its skeleton is painted.
 */

// The plugin ships CommonJS typings; under NodeNext its callable is behind `.default`.
const terser = ((terserModule as any).default ?? terserModule) as (options?: object) => import('rollup').Plugin
const root = fileURLToPath(new URL('..', import.meta.url))
const tmp = join(root, 'bench', '.tmp')
const WIDGET = join(root, 'dist', 'churchhub-booking.js')
const EMBED_JS = join(root, 'node_modules', '@calcom', 'embed-core', 'dist', 'embed', 'embed.js')
const TARGET_GZIP_BYTES = 10 * 1024
const LOADS = Number(process.env.WIDGET_LOADS ?? 20)
const CHROME_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

const size = (code: string | Buffer) => ({ bytes: Buffer.byteLength(code), gzipBytes: gzipSync(code, { level: 9 }).length })

/** The smallest useful Lit element, through the same resolve + terser settings as rollup.config.js. */
async function minimalLitSize() {
  mkdirSync(tmp, { recursive: true })
  const entry = join(tmp, 'minimal-lit-element.js')
  writeFileSync(entry, `import { LitElement, html, css } from 'lit'
class MinimalElement extends LitElement {
  static properties = { name: {} }
  static styles = css\`:host{display:block}\`
  render() { return html\`<p>Hello, \${this.name}</p>\` }
}
customElements.define('minimal-element', MinimalElement)
`)
  const bundle = await rollup({
    input: entry,
    plugins: [
      nodeResolve({ browser: true, exportConditions: ['browser', 'production'], rootDir: root }),
      terser({ ecma: 2022, module: true, compress: { passes: 2 }, mangle: { properties: { regex: /^__/ } }, format: { comments: false } }),
    ],
  })
  const { output } = await bundle.generate({ format: 'es' })
  await bundle.close()
  return size(output[0].code)
}

const hostPage = (body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Our church</title>
<script type="module" src="/churchhub-booking.js"></script></head>
<body style="margin:0;font-family:system-ui">${body}</body></html>`

/** A church site on localhost: the bundle, two pages, and the host lookup answered from the sandbox. */
async function startChurchSite(sandbox: RunningSandbox): Promise<{ url: string; server: Server }> {
  const bundle = readFileSync(WIDGET)
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
      res.end(body)
    }
    const host = /^\/v1\/hosts\/([^/]+)$/.exec(path)
    if (host) {
      const found = sandbox.state.findHost(decodeURIComponent(host[1]!))
      return found
        ? send(200, 'application/json', JSON.stringify({ username: found.username, name: found.name, calLink: found.username, calOrigin: sandbox.url, embedJsUrl: `${sandbox.url}/embed/embed.js`, eventTypes: [] }))
        : send(404, 'application/json', '{"error":{"code":"host_not_found","message":"no such host"}}')
    }
    if (path === '/churchhub-booking.js') return send(200, 'application/javascript; charset=utf-8', bundle)
    if (path === '/above.html') return send(200, 'text/html', hostPage('<h1>Book a visit</h1><churchhub-booking username="zack" event="30min"></churchhub-booking>'))
    if (path === '/below.html') {
      return send(200, 'text/html', hostPage('<h1>Welcome</h1><div style="height:4000px">Service times, sermons, news…</div><churchhub-booking username="zack" event="30min"></churchhub-booking>'))
    }
    send(404, 'text/plain', 'not found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  // Opened as localhost: the sandbox on 127.0.0.1 is then another origin, as Cal.com is.
  return { url: `http://localhost:${(server.address() as AddressInfo).port}`, server }
}

/** Requests and bytes a page fetched from Cal.com's origin before and after it was scrolled to the element. */
async function belowTheFold(browser: Browser, site: string, calOrigin: string) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } })
  const page = await context.newPage()
  const fetched: { url: string; bytes: number }[] = []
  context.on('requestfinished', async (request) => {
    if (!request.url().startsWith(calOrigin)) return
    const sizes = await request.sizes().catch(() => ({ responseBodySize: 0, responseHeadersSize: 0 }))
    fetched.push({ url: request.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize })
  })
  context.on('requestfailed', (request) => {
    if (request.url().startsWith(calOrigin)) fetched.push({ url: request.url(), bytes: 0 })
  })
  await page.goto(`${site}/below.html`, { waitUntil: 'networkidle' })
  await page.waitForFunction(() => document.querySelector('churchhub-booking')?.shadowRoot?.querySelector('[part~="skeleton"]'))
  await page.waitForTimeout(1000)
  const before = { requests: fetched.length, bytes: fetched.reduce((sum, f) => sum + f.bytes, 0) }
  await page.evaluate(() => document.querySelector('churchhub-booking')!.scrollIntoView())
  await page.waitForFunction(() => document.querySelector('churchhub-booking')?.shadowRoot?.querySelector('cal-inline[loading="done"]'), undefined, { timeout: 30_000 })
  await page.waitForTimeout(500)
  const after = { requests: fetched.length, bytes: fetched.reduce((sum, f) => sum + f.bytes, 0) }
  await context.close()
  return { before, after }
}

// Shown = the skeleton is in the element's shadow root and has a box; the value is read in the
// animation frame that paints it.
const SKELETON_PAINTED = `(() => {
  const skeleton = document.querySelector('churchhub-booking')?.shadowRoot?.querySelector('[part~="skeleton"]')
  if (!skeleton || skeleton.getBoundingClientRect().height === 0) return false
  const script = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/churchhub-booking.js'))
  return { fromNavigation: performance.now(), fromScript: performance.now() - (script ? script.responseEnd : 0) }
})()`

async function timeToSkeleton(browser: Browser, site: string) {
  const runs: { fromNavigation: number; fromScript: number }[] = []
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } })
    const page = await context.newPage()
    await page.goto(`${site}/above.html`, { waitUntil: 'commit' })
    const handle = await page.waitForFunction(SKELETON_PAINTED, undefined, { polling: 'raf', timeout: 30_000 })
    runs.push((await handle.jsonValue()) as { fromNavigation: number; fromScript: number })
    await context.close()
  }
  return {
    loads: LOADS,
    medianFromScriptMs: Math.round(median(runs.map((r) => r.fromScript)) * 10) / 10,
    medianFromNavigationMs: Math.round(median(runs.map((r) => r.fromNavigation)) * 10) / 10,
  }
}

export interface WidgetBenchResult {
  bundle: { bytes: number; gzipBytes: number; targetGzipBytes: number; withinTarget: boolean }
  /** The chunks loaded only when needed (the questionnaire, the booking report), by name without the hash. */
  lazyChunks: { name: string; bytes: number; gzipBytes: number }[]
  minimalLitElement: { bytes: number; gzipBytes: number }
  calEmbedJs: { bytes: number; gzipBytes: number }
  belowTheFold: { calRequestsBeforeScroll: number; calBytesBeforeScroll: number; calRequestsAfterScroll: number; calBytesAfterScroll: number }
  skeleton: { loads: number; medianFromScriptMs: number; medianFromNavigationMs: number }
}

export async function runWidgetBench(): Promise<WidgetBenchResult> {
  // Built every time: a bundle left from another checkout would be measured in place of this one.
  execFileSync('npm', ['run', '-s', 'build:widget'], { cwd: root, stdio: 'inherit' })
  const bundle = size(readFileSync(WIDGET))
  const chunks = join(root, 'dist', 'chunks')
  const lazyChunks = readdirSync(chunks).filter((f) => f.endsWith('.js')).sort()
    .map((file) => ({ name: file.replace(/-[\w-]{8}\.js$/, ''), ...size(readFileSync(join(chunks, file))) }))
  const minimalLitElement = await minimalLitSize()
  const calEmbedJs = size(readFileSync(EMBED_JS))

  const sandbox = await startSandbox()
  const site = await startChurchSite(sandbox)
  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', args: CHROME_ARGS })
  try {
    const fold = await belowTheFold(browser, site.url, new URL(sandbox.url).origin)
    const skeleton = await timeToSkeleton(browser, site.url)
    return {
      bundle: { ...bundle, targetGzipBytes: TARGET_GZIP_BYTES, withinTarget: bundle.gzipBytes <= TARGET_GZIP_BYTES },
      lazyChunks,
      minimalLitElement,
      calEmbedJs,
      belowTheFold: {
        calRequestsBeforeScroll: fold.before.requests,
        calBytesBeforeScroll: fold.before.bytes,
        calRequestsAfterScroll: fold.after.requests,
        calBytesAfterScroll: fold.after.bytes,
      },
      skeleton,
    }
  } finally {
    await browser.close()
    site.server.closeAllConnections()
    await new Promise((resolve) => site.server.close(resolve))
    await sandbox.close()
  }
}

export function formatWidgetBench(r: WidgetBenchResult): string {
  const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`
  return [
    `dist/churchhub-booking.js: ${kb(r.bundle.gzipBytes)} gzipped (${r.bundle.gzipBytes} B; target ≤ ${kb(r.bundle.targetGzipBytes)}: ${r.bundle.withinTarget ? 'met' : 'NOT met'}), ${kb(r.bundle.bytes)} raw`,
    ...r.lazyChunks.map((c) => `  lazy chunk ${c.name}: ${kb(c.gzipBytes)} gzipped (${c.gzipBytes} B), loaded only when needed`),
    `minimal Lit element, same build: ${kb(r.minimalLitElement.gzipBytes)} gzipped → the element itself adds ${kb(r.bundle.gzipBytes - r.minimalLitElement.gzipBytes)}`,
    `Cal.com embed.js 1.5.3: ${kb(r.calEmbedJs.gzipBytes)} gzipped (fetched only when the element nears the viewport)`,
    `below the fold: ${r.belowTheFold.calRequestsBeforeScroll} requests / ${r.belowTheFold.calBytesBeforeScroll} B from Cal.com before scrolling; ${r.belowTheFold.calRequestsAfterScroll} requests / ${kb(r.belowTheFold.calBytesAfterScroll)} after`,
    `skeleton painted, median of ${r.skeleton.loads} loads: ${r.skeleton.medianFromScriptMs} ms after the script arrived, ${r.skeleton.medianFromNavigationMs} ms after navigation start`,
  ].join('\n')
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runWidgetBench()
  console.log(formatWidgetBench(result))
}
