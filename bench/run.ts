/**
 * `npm run bench`: every benchmark, each beside the baseline it measures in the same run, printed
 * and written to bench/RESULTS.md with the machine it ran on. Figures are reported, never judged:
 * a slow run does not fail. A benchmark that crashes is reported as such and sets the exit code.
 *   PGlite always; Postgres too when DATABASE_URL is set.
 */
import { writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem, platform, release } from 'node:os'
import { fileURLToPath } from 'node:url'
import { formatPeerBench, pageJsGzip, runPeerBench, type PeerFigures, VARIANT_LABELS, VARIANTS, type VariantName } from './peer.bench.js'
import { formatReconcileBench, runReconcileBench } from './reconcile.bench.js'
import { formatTokensBench, runTokensBench, type TokensBenchResult } from './tokens.bench.js'
import { formatWebhooksBench, runWebhooksBench, type WebhooksBenchResult } from './webhooks.bench.js'
import { formatWidgetBench, runWidgetBench, type WidgetBenchResult } from './widget.bench.js'

const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url))

interface Outcome<T> { name: string; figures?: T; error?: string; seconds: number }

async function measure<T>(name: string, run: () => Promise<T>, format: (figures: T) => string): Promise<Outcome<T>> {
  console.log(`\n--- ${name}`)
  const started = performance.now()
  try {
    const figures = await run()
    console.log(format(figures))
    return { name, figures, seconds: (performance.now() - started) / 1000 }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    console.error(`${name} failed: ${message}`)
    return { name, error: message, seconds: (performance.now() - started) / 1000 }
  }
}

const fixed = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : String(n))
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`

function machine() {
  const cores = cpus()
  return [
    `- CPU: ${cores.length} × ${cores[0]?.model.trim() ?? 'unknown'}`,
    `- memory: ${(totalmem() / 1024 ** 3).toFixed(1)} GB`,
    // Other work on the machine shows in every figure (ratios less than absolute times).
    `- load average when the run ended (1, 5, 15 min): ${loadavg().map((l) => l.toFixed(1)).join(', ')}`,
    `- Node.js ${process.version} on ${platform()} ${release()}`,
    `- databases: PGlite (embedded)${process.env.DATABASE_URL ? ' and Postgres (DATABASE_URL)' : '; Postgres not measured (DATABASE_URL unset)'}`,
  ].join('\n')
}

function tokensSection(results: TokensBenchResult[]) {
  return [
    row(['database', 'token route req/s', 'bare route req/s', 'ratio (target ≥ 0.25)', 'token p50 / p99 ms (target p99 ≤ 20)', 'bare p99 ms', 'non-2xx / errors', 'Cal.com calls (target 0)']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...results.flatMap((r) => [
      row([`${r.database}, one member`, r.tokens.requestsPerSecond, r.bare.requestsPerSecond, fixed(r.ratio), `${r.tokens.p50Ms} / ${r.tokens.p99Ms}`, r.bare.p99Ms, `${r.tokens.non2xx} / ${r.tokens.errors}`, r.calCallsDuringRun]),
      row([`${r.database}, ${r.manyMembers.members} members`, r.manyMembers.tokens.requestsPerSecond, r.bare.requestsPerSecond, fixed(r.manyMembers.ratio), `${r.manyMembers.tokens.p50Ms} / ${r.manyMembers.tokens.p99Ms}`, r.bare.p99Ms, `${r.manyMembers.tokens.non2xx} / ${r.manyMembers.tokens.errors}`, '(both runs)']),
    ]),
    '',
    `autocannon in a worker thread, ${results[0]?.connections} connections, ${results[0]?.durationSeconds} s per route, one route after the other. "One member": every request for the same person; "members": each connection cycles through that many people, all minted before the runs. Cal.com calls are counted over both token runs.`,
  ].join('\n')
}

function webhooksSection(results: WebhooksBenchResult[]) {
  return [
    'Every personal field of each delivery (attendee name, email, notes, the title, the payload and the raw body) is sealed with AES-256-GCM before it is written; the baseline writes the raw body as it came.',
    '',
    row(['database', 'verified deliveries/s', 'raw-insert baseline req/s', 'ratio (target ≥ 0.5 with encryption)', 'deliveries p50 / p99 ms (target p99 ≤ 25)', 'baseline p99 ms', 'non-2xx / errors', 'stored / sent']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...results.map((r) => row([r.database, r.webhooks.requestsPerSecond, r.baseline.requestsPerSecond, fixed(r.ratio), `${r.webhooks.p50Ms} / ${r.webhooks.p99Ms}`, r.baseline.p99Ms, `${r.webhooks.non2xx} / ${r.webhooks.errors}`, `${r.deliveriesStored} / ${r.webhooks.requests}`])),
    '',
    `autocannon in a worker thread, ${results[0]?.connections} connections, ${results[0]?.durationSeconds} s per route in alternating rounds of about 2 s (p50/p99: the median round's), a distinct signed BOOKING_CREATED per request.`,
    '',
    `Before the fields were sealed, the same benchmark measured 0.82 (PGlite) and 0.79 (Postgres) (\`npm run bench\` of ${BEFORE_ENCRYPTION}, under a heavier load: the Postgres baseline reached 418 req/s).`,
    '',
    row(['database', 'cancellations (the locked path) deliveries/s', 'ratio to the baseline', 'admin read of 50 sealed bookings req/s', 'the same rows answered unopened req/s', 'ratio (what opening costs)']),
    row(['---', '---:', '---:', '---:', '---:', '---:']),
    ...results.map((r) => row([r.database, r.updates.requestsPerSecond, fixed(r.updatesRatio), r.adminReads.requestsPerSecond, r.adminReadsBaseline.requestsPerSecond, fixed(r.adminReadsRatio)])),
    '',
    'Cancellations of the bookings just created take the transactional path (the booking row locked, the change merged, audited). The admin read is `GET /admin/bookings?limit=50` (every row opened, the read audited) against a route running the same select and audit insert and answering the rows as stored.',
  ].join('\n')
}

/** When the last figures measured without sealing were written (bench/RESULTS.md of that day). */
const BEFORE_ENCRYPTION = '2026-11-25T16:44Z'

function peerSection(p: PeerFigures) {
  const ms = (n: number) => `${Math.round(n)} ms`
  const ratio = (n: PeerFigures['networks'][number], a: VariantName, b: VariantName) => n.variants[a].medianMs / n.variants[b].medianMs
  const met = (value: number, target: number) => `${fixed(value)} (target ≤ ${fixed(target)}: ${value <= target ? 'met' : 'not met'})`
  const js = (v: VariantName) => pageJsGzip(p.scripts[v])
  const allowance = js('plain') + 10 * 1024
  return [
    `The same inline booking page embedded four ways, ${p.loads} loads of each per network in rotating order, each in a fresh browser context; time from navigation start until the booking page inside the iframe is visible (its iframe on screen and embed.js's loader gone). How it is measured: docs/benchmarks.md.`,
    '',
    ...p.networks.flatMap((n) => [
      `**${n.label}**`,
      '',
      row(['variant', 'median', 'p25–p75', 'min–max', 'ratio to the plain snippet', 'ratio to React']),
      row(['---', '---:', '---:', '---:', '---:', '---:']),
      ...VARIANTS.map((v) => row([VARIANT_LABELS[v], ms(n.variants[v].medianMs), `${ms(n.variants[v].p25Ms)}–${ms(n.variants[v].p75Ms)}`, `${ms(n.variants[v].minMs)}–${ms(n.variants[v].maxMs)}`, fixed(ratio(n, v, 'plain')), fixed(ratio(n, v, 'react'))])),
      '',
      `- ours (two-line paste) / React: ${met(ratio(n, 'ours', 'react'), 0.8)}`,
      `- ours with \`cal-link\` / plain snippet: ${met(ratio(n, 'ours-cal-link', 'plain'), 1)}; the two-line paste / plain snippet: ${fixed(ratio(n, 'ours', 'plain'))}`,
      '',
    ]),
    '**JavaScript the host page fetched before the booking page showed**, gzipped (level 9; the booking iframe\'s own scripts, the same Cal.com page for all, not counted)',
    '',
    row(['variant', 'gzipped', 'scripts']),
    row(['---', '---:', '---']),
    ...VARIANTS.map((v) => row([VARIANT_LABELS[v], kb(js(v)), p.scripts[v].filter((s) => s.frame === 'page').map((s) => `\`${s.url}\` ${kb(s.gzipBytes)}`).join(', ')])),
    '',
    `- ours (two-line paste) ≤ the plain snippet's + 10 KB (${kb(allowance)}): ${js('ours') <= allowance ? 'met' : 'not met'} (${kb(js('ours'))})`,
  ].join('\n')
}

function widgetSection(w: WidgetBenchResult) {
  return [
    row(['figure', 'ours', 'baseline', 'ratio']),
    row(['---', '---:', '---:', '---:']),
    row([`\`dist/churchhub-booking.js\` gzipped (target ≤ ${w.bundle.targetGzipBytes} B: ${w.bundle.withinTarget ? 'met' : 'not met'})`, `${kb(w.bundle.gzipBytes)} (${w.bundle.gzipBytes} B)`, `${kb(w.minimalLitElement.gzipBytes)} (a minimal Lit element, same build)`, fixed(w.bundle.gzipBytes / w.minimalLitElement.gzipBytes)]),
    row(['same, uncompressed', kb(w.bundle.bytes), kb(w.minimalLitElement.bytes), fixed(w.bundle.bytes / w.minimalLitElement.bytes)]),
    ...w.lazyChunks.map((c) => row([`lazy chunk \`${c.name}\`, gzipped (loaded only when needed)`, `${kb(c.gzipBytes)} (${c.gzipBytes} B)`, '', ''])),
    row(['beside Cal.com\'s embed.js, gzipped', kb(w.bundle.gzipBytes), `${kb(w.calEmbedJs.gzipBytes)} (embed.js)`, fixed(w.bundle.gzipBytes / w.calEmbedJs.gzipBytes)]),
    row(['Cal.com requests / bytes for an element below the fold, before scrolling (target 0)', `${w.belowTheFold.calRequestsBeforeScroll} / ${w.belowTheFold.calBytesBeforeScroll} B`, `${w.belowTheFold.calRequestsAfterScroll} / ${kb(w.belowTheFold.calBytesAfterScroll)} after scrolling`, '']),
    row([`time to skeleton, median of ${w.skeleton.loads} loads`, `${w.skeleton.medianFromScriptMs} ms after the script arrived`, `${w.skeleton.medianFromNavigationMs} ms after navigation start`, '']),
  ].join('\n')
}

const started = new Date()
console.log(`Benchmarks on ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}${process.env.DATABASE_URL ? ', PGlite and Postgres' : ', PGlite only (set DATABASE_URL for Postgres)'}`)

const tokens = await measure('tokens', () => runTokensBench(), formatTokensBench)
const webhooks = await measure('webhooks', () => runWebhooksBench(), formatWebhooksBench)
const widget = await measure('widget', () => runWidgetBench(), formatWidgetBench)
const peer = await measure('peer', () => runPeerBench(), formatPeerBench)
const reconcile = await measure('reconcile', () => runReconcileBench({ databaseUrl: process.env.DATABASE_URL }), formatReconcileBench)

const section = <T>(title: string, outcome: Outcome<T>, render: (f: T) => string) =>
  `## ${title}\n\n${outcome.figures !== undefined ? render(outcome.figures) : `Not measured: ${outcome.error}`}\n`

const markdown = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` on ${started.toISOString()} (took ${Math.round((Date.now() - started.getTime()) / 1000)} s). Each figure sits beside a baseline measured in the same run; targets are noted, not enforced.`,
  '',
  '## Machine',
  '',
  machine(),
  '',
  section('Token route vs a bare Fastify JSON route', tokens, tokensSection),
  section('Webhook deliveries vs a single-statement insert', webhooks, webhooksSection),
  section('Widget bundle', widget, widgetSection),
  section('Peer comparison: ours, Cal.com\'s plain snippet and React, on two networks', peer, peerSection),
  section('Reconciling 10,000 bookings of one host vs the webhook path', reconcile, formatReconcileBench),
].join('\n')
writeFileSync(RESULTS, markdown)
console.log(`\nWritten to ${RESULTS}`)
if ([tokens, webhooks, widget, peer, reconcile].some((o) => o.error)) process.exitCode = 1
