import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import commonjsModule from '@rollup/plugin-commonjs'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import replaceModule from '@rollup/plugin-replace'
import terserModule from '@rollup/plugin-terser'
import { chromium, type Browser, type Page } from 'playwright-core'
import { rollup } from 'rollup'
import { startBenchServer } from './support/bench-server.js'
import { median } from './support/stats.js'

/**
 * The same inline booking page twice: the way the seed system built it (React +
 * `@calcom/embed-react`, `<Cal calLink="zack/30min" />`, bundled with Rollup like our widget) and
 * ours (`<churchhub-booking>`). Measured as a visitor's browser sees them: the JavaScript the page
 * fetches before the booking page shows, gzipped, and how soon a placeholder is painted.
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
const LOADS = Number(process.env.PEER_LOADS ?? 10)
const CHROME_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

// The seed's page, as a React app would write it; the element takes the origin and embed.js
// URL from data attributes so it points at the local sandbox instead of app.cal.com.
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

interface ScriptFetch { url: string; frame: 'page' | 'booking iframe'; bytes: number; gzipBytes: number }

interface Variant {
  name: 'ours' | 'peer'
  path: string
  /** Runs in the page: true once a placeholder for the booking UI has a box on screen. */
  skeleton: string
}

// Searches open shadow roots too: both placeholders live inside custom elements.
const DEEP = `
  const deep = (root, selector) => {
    const found = [...root.querySelectorAll(selector)]
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) found.push(...deep(el.shadowRoot, selector))
    return found
  }
  const shown = (el) => el.getClientRects().length > 0 && el.getBoundingClientRect().height > 0
`
const VARIANTS: Variant[] = [
  { name: 'ours', path: '/bench/ours.html', skeleton: `${DEEP} return deep(document, 'churchhub-booking [part~="skeleton"], [part~="skeleton"]').some(shown)` },
  { name: 'peer', path: '/bench/peer.html', skeleton: `${DEEP} return deep(document, 'cal-inline #skeleton, cal-inline .loader, #skeleton, .loader').some(shown)` },
]

/** True once a Cal.com booking iframe is on the page, loaded and visible. */
const BOOKING_SHOWN = `${DEEP}
  return deep(document, 'iframe').some((f) => /\\/embed/.test(f.src) && shown(f) && getComputedStyle(f).visibility !== 'hidden' && f.getBoundingClientRect().height > 150)`

async function loadOnce(browser: Browser, baseUrl: string, variant: Variant) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page: Page = await context.newPage()
  const scripts: Promise<ScriptFetch | undefined>[] = []
  let counting = true
  page.on('response', (response) => {
    if (!counting || response.request().resourceType() !== 'script') return
    const frame = response.frame() === page.mainFrame() ? 'page' : 'booking iframe'
    scripts.push(response.body().then(
      (body) => ({ url: new URL(response.url()).pathname, frame, bytes: body.length, gzipBytes: gzipSync(body).length }),
      () => undefined,
    ))
  })
  await page.goto(`${baseUrl.replace('127.0.0.1', 'localhost')}${variant.path}`)
  const skeletonMs = await page.waitForFunction(`(() => { ${variant.skeleton} })() && performance.now()`, undefined, { polling: 'raf', timeout: 30_000 })
    .then((h) => h.jsonValue() as Promise<number>)
  const bookingMs = await page.waitForFunction(`(() => { ${BOOKING_SHOWN} })() && performance.now()`, undefined, { polling: 'raf', timeout: 30_000 })
    .then((h) => h.jsonValue() as Promise<number>)
  counting = false
  const fetched = (await Promise.all(scripts)).filter((s): s is ScriptFetch => s !== undefined)
  await context.close()
  return { skeletonMs, bookingMs, fetched }
}

export interface PeerFigures {
  loads: number
  ours: VariantFigures
  peer: VariantFigures
  /** ours / peer, host-page JavaScript gzipped; the target is ≤ 0.25. */
  bytesRatio: number
}

export interface VariantFigures {
  /** JavaScript the host page fetched before the booking page showed (bundle + embed.js), gzipped. */
  pageJsGzip: number
  pageJsRaw: number
  /** What the booking iframe itself fetched: the same Cal.com page for both, listed apart. */
  iframeJsGzip: number
  scripts: ScriptFetch[]
  skeletonMedianMs: number
  bookingShownMedianMs: number
}

export async function runPeerBench(): Promise<PeerFigures> {
  ensureWidgetBundle()
  await buildPeerBundle()
  const server = await startBenchServer({ assets: { 'churchhub-booking.js': WIDGET, 'peer-booking.js': PEER } })
  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', args: CHROME_ARGS })
  try {
    const figures = {} as Record<Variant['name'], VariantFigures>
    for (const variant of VARIANTS) {
      await loadOnce(browser, server.url, variant) // warm-up: server routes, Chromium's own caches
      const runs = []
      for (let i = 0; i < LOADS; i++) runs.push(await loadOnce(browser, server.url, variant))
      const scripts = runs[0]!.fetched
      const sum = (frame: ScriptFetch['frame'], key: 'bytes' | 'gzipBytes') => scripts.filter((s) => s.frame === frame).reduce((n, s) => n + s[key], 0)
      figures[variant.name] = {
        pageJsGzip: sum('page', 'gzipBytes'),
        pageJsRaw: sum('page', 'bytes'),
        iframeJsGzip: sum('booking iframe', 'gzipBytes'),
        scripts,
        skeletonMedianMs: median(runs.map((r) => r.skeletonMs)),
        bookingShownMedianMs: median(runs.map((r) => r.bookingMs)),
      }
    }
    return { loads: LOADS, ours: figures.ours, peer: figures.peer, bytesRatio: figures.ours.pageJsGzip / figures.peer.pageJsGzip }
  } finally {
    await browser.close()
    await server.close()
  }
}

export function formatPeerBench(p: PeerFigures): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
  return [
    "Inline booking page: ours vs the seed's React + @calcom/embed-react, headless Chromium",
    `  host-page JavaScript before the booking page shows, gzipped: ours ${kb(p.ours.pageJsGzip)}, peer ${kb(p.peer.pageJsGzip)}, ratio ${p.bytesRatio.toFixed(2)} (target ≤ 0.25)`,
    ...(['ours', 'peer'] as const).flatMap((side) => p[side].scripts.map((s) => `    ${side}: ${s.url} (${s.frame}) ${kb(s.gzipBytes)} gzipped`)),
    `  time to skeleton, median of ${p.loads}: ours ${Math.round(p.ours.skeletonMedianMs)} ms, peer ${Math.round(p.peer.skeletonMedianMs)} ms`,
    `  booking page shown, median of ${p.loads}: ours ${Math.round(p.ours.bookingShownMedianMs)} ms, peer ${Math.round(p.peer.bookingShownMedianMs)} ms`,
  ].join('\n')
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatPeerBench(await runPeerBench()))
}
