import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import commonjsModule from '@rollup/plugin-commonjs'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import replaceModule from '@rollup/plugin-replace'
import terserModule from '@rollup/plugin-terser'
import { chromium, type Browser, type Page } from 'playwright-core'
import { rollup } from 'rollup'
import { createRequire } from 'node:module'
import { HOST_RESOLVER_RULES, startPeerSite } from './support/peer-site.js'
import { median, quantile } from './support/stats.js'

/**
 * One inline booking page (Pastor Zack's 30-minute meeting) embedded four ways, each loaded as a
 * visitor's browser loads it, from navigation start until the booking page inside the iframe is
 * visible (the same moment for all four): ours as pasted (two lines), ours with `cal-link` in the
 * tag, Cal.com's plain snippet (embed.js + `Cal("init")` + `Cal("inline")`, as Cal.com's docs give
 * it), and React with `@calcom/embed-react`. On an unthrottled loopback and on an emulated phone
 * network; the order of the variants rotates from one round to the next.
 */

// These plugins ship CommonJS typings; under NodeNext their callable is behind `.default`.
const unwrap = <T>(m: T): T extends { default: infer D } ? D : T => ((m as any).default ?? m)
const commonjs = unwrap(commonjsModule)
const replace = unwrap(replaceModule)
const terser = unwrap(terserModule)

const root = fileURLToPath(new URL('..', import.meta.url))
const tmp = join(root, 'bench', '.tmp')
const WIDGET = join(root, 'dist', 'churchhub-booking.js')
const PEER = join(tmp, 'peer-booking.js')
const LOADS = Number(process.env.PEER_LOADS ?? 20)
const CHROME_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', HOST_RESOLVER_RULES]
// The snippet exactly as Cal.com publishes it (`@calcom/embed-snippet`), as a string to put in a page.
const SNIPPET: string = createRequire(import.meta.url)('@calcom/embed-snippet').EmbedSnippetString

// The React page as a React app would write it; the element takes the origin and embed.js URL
// from data attributes so it points at the local Cal.com sandbox instead of app.cal.com.
const PEER_ENTRY = `
import { createElement } from 'react'
import { createRoot } from 'react-dom/client'
import Cal from '@calcom/embed-react'

const mount = document.getElementById('booking')
createRoot(mount).render(createElement(Cal, {
  calLink: 'zack/30min',
  calOrigin: mount.dataset.calOrigin,
  embedJsUrl: mount.dataset.embedJsUrl,
  style: { width: '100%', height: '100%', overflow: 'scroll' },
}))
`

export async function buildPeerBundle(): Promise<string> {
  mkdirSync(tmp, { recursive: true })
  const entry = join(tmp, 'peer-entry.js')
  writeFileSync(entry, PEER_ENTRY)
  const bundle = await rollup({
    input: entry,
    plugins: [
      nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
      commonjs(),
      replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
      // Our widget's terser settings, minus its `__` property mangling (React's internals cross
      // package boundaries by those names).
      terser({ ecma: 2021, module: true, compress: { passes: 2 }, format: { comments: false } }),
    ],
    onwarn: () => {},
  })
  await bundle.write({ file: PEER, format: 'es' })
  await bundle.close()
  return PEER
}

export function ensureWidgetBundle(): string {
  if (!existsSync(WIDGET)) execFileSync('npx', ['rollup', '-c'], { cwd: root, stdio: 'inherit' })
  return WIDGET
}

interface ScriptFetch { url: string; frame: 'page' | 'booking iframe'; gzipBytes: number; bytes: number }

export const VARIANTS = ['ours', 'ours-cal-link', 'plain', 'react'] as const
export type VariantName = (typeof VARIANTS)[number]
export const VARIANT_LABELS: Record<VariantName, string> = {
  ours: 'ours, the two-line paste',
  'ours-cal-link': 'ours with `cal-link`',
  plain: "Cal.com's plain snippet",
  react: 'React + `@calcom/embed-react`',
}

interface Network { name: 'loopback' | 'phone'; label: string; conditions?: { latency: number; downloadThroughput: number; uploadThroughput: number } }
export const NETWORKS: Network[] = [
  { name: 'loopback', label: 'unthrottled loopback' },
  // Chromium's network emulation (CDP Network.emulateNetworkConditions), bytes per second.
  { name: 'phone', label: 'emulated phone network: 1.6 Mbps down, 750 kbps up, 150 ms round trip', conditions: { latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 } },
]

const PAGE = (body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Book a visit</title><style>body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem}</style></head>
<body><h1>Book a visit with Pastor Zack</h1>
${body}
</body></html>`

function pages({ booking, cal }: { booking: string; cal: string }) {
  const calOrigin = `${cal}/sandbox/cal`
  const embedJs = `${calOrigin}/embed/embed.js`
  const html = (body: string) => ({ type: 'text/html; charset=utf-8', body: PAGE(body) })
  return {
    '/ours.html': html(`<script type="module" src="${booking}/widget/churchhub-booking.js"></script>
<churchhub-booking username="zack" event="30min"></churchhub-booking>`),
    '/ours-cal-link.html': html(`<script type="module" src="${booking}/widget/churchhub-booking.js"></script>
<churchhub-booking cal-link="zack" event="30min"></churchhub-booking>`),
    // Cal.com's docs: a div, then the snippet, init, inline and ui, in one inline script.
    '/plain.html': html(`<div style="width:100%;height:100%;overflow:scroll" id="my-cal-inline"></div>
<script type="text/javascript">
  (${SNIPPET})(${JSON.stringify(embedJs)});
  Cal("init", "30min", { origin: ${JSON.stringify(calOrigin)} });
  Cal.ns["30min"]("inline", { elementOrSelector: "#my-cal-inline", config: { layout: "month_view" }, calLink: "zack/30min" });
  Cal.ns["30min"]("ui", { hideEventTypeDetails: false, layout: "month_view" });
</script>`),
    '/react.html': html(`<div id="booking" data-cal-origin="${calOrigin}" data-embed-js-url="${embedJs}"></div>
<script type="module" src="/peer-booking.js"></script>`),
    '/peer-booking.js': { type: 'text/javascript', body: readFileSync(PEER) },
  }
}

// Searches open shadow roots too: two of the four put the booking page inside custom elements.
const DEEP = `
  const deep = (root, selector) => {
    const found = [...root.querySelectorAll(selector)]
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) found.push(...deep(el.shadowRoot, selector))
    return found
  }
`
/**
 * The booking page is visible: its iframe has a box on screen, nothing around it hides it, and
 * embed.js has taken its loader away (`<cal-inline loading="done">`, set on the page's linkReady,
 * which the booking page sends once it shows itself). The same test for all four variants.
 */
const BOOKING_SHOWN = `${DEEP}
  return deep(document, 'cal-inline[loading="done"] > iframe').some((f) =>
    f.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && f.getBoundingClientRect().height > 150)`

/**
 * Watches for that moment from inside the page, doing nothing until the booking page says
 * linkReady and then checking once a frame. Polling from outside (Playwright's waitForFunction)
 * would put its own script, and a search of every shadow root each frame, on the page's main
 * thread from the first moment: the same thread that runs the snippet, our script or React.
 */
const SHOWN_MARK = 'churchhub-bench-shown'
const WATCH_SHOWN = `(() => {
  const shown = () => { ${BOOKING_SHOWN} }
  let watching = false
  addEventListener('message', (event) => {
    if (watching || event.data?.type !== 'linkReady') return
    watching = true
    const check = () => shown() ? console.debug('${SHOWN_MARK}', performance.now()) : requestAnimationFrame(check)
    requestAnimationFrame(check)
  }, true)
})()`

async function loadOnce(browser: Browser, url: string, network: Network) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  await context.addInitScript(WATCH_SHOWN)
  const page: Page = await context.newPage()
  if (network.conditions) {
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...network.conditions })
  }
  const scripts: Promise<ScriptFetch | undefined>[] = []
  let counting = true
  page.on('response', (response) => {
    if (!counting || response.request().resourceType() !== 'script') return
    const frame = response.frame() === page.mainFrame() ? 'page' : 'booking iframe'
    scripts.push(response.body().then(
      (body) => ({ url: new URL(response.url()).pathname, frame, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length }),
      () => undefined,
    ))
  })
  const shown = page.waitForEvent('console', { predicate: (m) => m.text().startsWith(SHOWN_MARK), timeout: 60_000 })
  await page.goto(url, { waitUntil: 'commit' })
  const shownMs = Number((await shown).text().slice(SHOWN_MARK.length))
  counting = false
  const fetched = (await Promise.all(scripts)).filter((s): s is ScriptFetch => s !== undefined)
  await context.close()
  return { shownMs, fetched }
}

export interface Spread { medianMs: number; p25Ms: number; p75Ms: number; minMs: number; maxMs: number }

export interface PeerFigures {
  loads: number
  networks: { name: Network['name']; label: string; variants: Record<VariantName, Spread> }[]
  /** Scripts fetched before the booking page showed (first measured loopback load of each variant). */
  scripts: Record<VariantName, ScriptFetch[]>
}

const spread = (ms: number[]): Spread => ({
  medianMs: median(ms), p25Ms: quantile(ms, 0.25), p75Ms: quantile(ms, 0.75), minMs: Math.min(...ms), maxMs: Math.max(...ms),
})

/** JavaScript the host page itself fetched before the booking page showed, gzipped (level 9, as `npm run checksize`). */
export const pageJsGzip = (scripts: ScriptFetch[]) => scripts.filter((s) => s.frame === 'page').reduce((n, s) => n + s.gzipBytes, 0)

export async function runPeerBench(): Promise<PeerFigures> {
  ensureWidgetBundle()
  await buildPeerBundle()
  const site = await startPeerSite(pages)
  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', args: CHROME_ARGS })
  try {
    const scripts = {} as Record<VariantName, ScriptFetch[]>
    const networks: PeerFigures['networks'] = []
    for (const network of NETWORKS) {
      const url = (v: VariantName) => `${site.origins.church}/${v}.html`
      for (const v of VARIANTS) await loadOnce(browser, url(v), network) // warm-up: server routes, the embed.js copy, Chromium
      const times = Object.fromEntries(VARIANTS.map((v) => [v, [] as number[]])) as Record<VariantName, number[]>
      for (let round = 0; round < LOADS; round++) {
        // Each round starts with the next variant, so none is always first (or always after another).
        const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!)
        for (const v of order) {
          const { shownMs, fetched } = await loadOnce(browser, url(v), network)
          times[v].push(shownMs)
          scripts[v] ??= fetched
        }
      }
      networks.push({ name: network.name, label: network.label, variants: Object.fromEntries(VARIANTS.map((v) => [v, spread(times[v])])) as Record<VariantName, Spread> })
    }
    return { loads: LOADS, networks, scripts }
  } finally {
    await browser.close()
    await site.close()
  }
}

export function formatPeerBench(p: PeerFigures): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
  const lines = [`Inline booking page, four ways, ${p.loads} loads each per network, order rotating; time from navigation start until the booking page is visible`]
  for (const n of p.networks) {
    lines.push(`  ${n.label}:`)
    for (const v of VARIANTS) {
      const s = n.variants[v]
      lines.push(`    ${VARIANT_LABELS[v].padEnd(32)} median ${Math.round(s.medianMs)} ms (p25–p75 ${Math.round(s.p25Ms)}–${Math.round(s.p75Ms)}, min–max ${Math.round(s.minMs)}–${Math.round(s.maxMs)})`)
    }
    const r = (a: VariantName, b: VariantName) => (n.variants[a].medianMs / n.variants[b].medianMs).toFixed(2)
    lines.push(`    ratios: ours / React ${r('ours', 'react')} (target ≤ 0.80); ours with cal-link / plain snippet ${r('ours-cal-link', 'plain')} (target ≤ 1.00); ours / plain snippet ${r('ours', 'plain')}`)
  }
  lines.push('  JavaScript the page fetched before the booking page showed, gzipped:')
  for (const v of VARIANTS) lines.push(`    ${VARIANT_LABELS[v].padEnd(32)} ${kb(pageJsGzip(p.scripts[v]))}: ${p.scripts[v].filter((s) => s.frame === 'page').map((s) => `${s.url} ${kb(s.gzipBytes)}`).join(', ')}`)
  return lines.join('\n')
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatPeerBench(await runPeerBench()))
}
