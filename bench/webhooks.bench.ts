/**
 * Verified webhook deliveries per second (signature over the raw bytes, schema, the delivery, the
 * booking and the audit row written together) against a baseline route in this process
 * that only inserts the raw body in one statement, measured in the same run on the same database.
 * Every request carries a distinct, correctly signed body (bench/support/signed-bookings.cjs):
 * BOOKING_CREATED for new bookings (the first-event path), then BOOKING_CANCELLED for those bookings
 * (the transactional path). autocannon runs in a worker thread of its own.
 *   npx tsx bench/webhooks.bench.ts          PGlite, then Postgres too when DATABASE_URL is set
 */
import type { AddressInfo } from 'node:net'
import { fileURLToPath, pathToFileURL } from 'node:url'
import autocannon from 'autocannon'
import Fastify from 'fastify'
import { sql } from 'kysely'
import { buildApp } from '../server/app.js'
import { loadDemoConfig } from '../demo/config.js'
import { onEachDatabase, withBenchDatabase } from './support/bench-database.js'
import { type LoadFigures, loadFigures, ratio } from './support/load-figures.js'
import signedBookings from './support/signed-bookings.cjs'
import { median } from './support/stats.js'

export interface WebhooksBenchResult {
  database: 'pglite' | 'postgres'
  connections: number
  durationSeconds: number
  baseline: LoadFigures
  /** BOOKING_CREATED for new bookings: the one-statement path. */
  webhooks: LoadFigures
  /** webhooks ÷ baseline requests per second. */
  ratio: number
  /** Delivery rows written by the measured webhook run. */
  deliveriesStored: number
  /** BOOKING_CANCELLED for bookings created in that run: the transactional path (lock, merge, audit). */
  updates: LoadFigures
  /** updates ÷ the baseline measured in rounds alternating with them. */
  updatesRatio: number
  /** GET /admin/bookings?limit=50 over those sealed bookings: rows opened (decrypted), audited. */
  adminReads: LoadFigures
  /** The same select and audit insert answering the rows as stored, unopened: the read without decryption. */
  adminReadsBaseline: LoadFigures
  /** adminReads ÷ adminReadsBaseline. */
  adminReadsRatio: number
}

/** Where autocannon's worker threads load each request's setupRequest from (signed-bookings.cjs). */
const SETUP_REQUEST = fileURLToPath(new URL('./support/signed-bookings.cjs', import.meta.url))

/** One stream of deliveries; its prefix must be new to the run (each worker counts from 1). */
type Stream = signedBookings.BenchStream

async function load(url: string, connections: number, duration: number, bench: Stream): Promise<LoadFigures> {
  // One worker thread: the load generator (building and signing each body) does not take the
  // server's event loop.
  return loadFigures(await autocannon({
    url, connections, duration, workers: 1,
    requests: [{ method: 'POST', bench, setupRequest: SETUP_REQUEST } as unknown as autocannon.Request],
  }))
}

/** GETs of one URL with the admin key (no body to sign). */
async function loadGet(url: string, connections: number, duration: number, headers: Record<string, string>): Promise<LoadFigures> {
  return loadFigures(await autocannon({ url, connections, duration, workers: 1, headers }))
}

/** Rounds of one route summed: throughput over the whole time, latency the median round's. */
function combine(rounds: LoadFigures[], secondsEach: number): LoadFigures {
  const requests = rounds.reduce((n, r) => n + r.requests, 0)
  return {
    requestsPerSecond: Math.round(requests / (secondsEach * rounds.length)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    non2xx: rounds.reduce((n, r) => n + r.non2xx, 0),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    requests,
  }
}

/**
 * On a shared machine the load from other processes changes from one second to the next, so the
 * routes being compared are measured in alternating rounds rather than one after the other.
 */
async function alternate(routes: { url: string; stream: Stream }[], connections: number, durationSeconds: number): Promise<LoadFigures[]> {
  const rounds = Math.max(1, Math.floor(durationSeconds / ROUND_SECONDS))
  const secondsEach = durationSeconds / rounds
  const figures: LoadFigures[][] = routes.map(() => [])
  for (let round = 0; round < rounds; round++) {
    for (const [i, { url, stream }] of routes.entries()) {
      figures[i]!.push(await load(url, connections, secondsEach, { ...stream, prefix: `${stream.prefix}${round}-` }))
    }
  }
  return figures.map((f) => combine(f, secondsEach))
}

const ROUND_SECONDS = 2

async function benchOne(databaseUrl: string | undefined, connections: number, durationSeconds: number): Promise<WebhooksBenchResult> {
  return withBenchDatabase(databaseUrl, async (db, cleanup) => {
    const app = await buildApp({ config: loadDemoConfig({ LOG_LEVEL: 'silent', DATA_DIR: 'memory://' }), db })
    cleanup(() => app.close())
    await app.listen({ port: 0, host: '127.0.0.1' })

    // The baseline: the least a receiver can do, one insert of the raw body, on the same database.
    await sql`create table bench_raw_bodies (id serial primary key, body text not null)`.execute(db)
    const baseline = Fastify({ logger: false, bodyLimit: 1024 * 1024 })
    baseline.removeAllContentTypeParsers()
    baseline.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body))
    baseline.post('/raw', async (request) => {
      await sql`insert into bench_raw_bodies (body) values (${request.body as string})`.execute(db)
      return { status: 'stored' }
    })
    // The admin read without decryption: the same page query and audit row, rows answered as stored.
    baseline.get('/bookings-as-stored', async () => {
      const rows = await db.selectFrom('bookings').selectAll().orderBy('id', 'desc').limit(51).execute()
      await db.insertInto('audit_log').values({ actor: 'admin', action: 'bookings.listed', detail: JSON.stringify({ count: 50 }) }).execute()
      return { bookings: rows.slice(0, 50), nextCursor: null }
    })
    cleanup(() => baseline.close())
    await baseline.listen({ port: 0, host: '127.0.0.1' })

    const webhookUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/webhooks/cal`
    const baselineUrl = `http://127.0.0.1:${(baseline.server.address() as AddressInfo).port}/raw`
    // Signed as the app under test verifies, whatever its configured secret.
    const secret = app.config.cal.webhookSecret!
    const stream = (rest: Omit<Stream, 'secret'>): Stream => ({ secret, ...rest })
    const first = await fetch(webhookUrl, { method: 'POST', ...signedBookings.delivery(secret, 'probe', 1) })
    if (first.status !== 200) throw new Error(`the webhook route answered ${first.status}: ${await first.text()}`)

    // Warm both (JIT, pools), then measure each alone so they do not share the CPU.
    await load(baselineUrl, connections, 1, stream({ prefix: 'warm-b' }))
    await load(webhookUrl, connections, 1, stream({ prefix: 'warm-w' }))
    const count = async () => Number((await db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    const before = await count()
    const [baselineFigures, webhookFigures] = await alternate([
      { url: baselineUrl, stream: stream({ prefix: 'base' }) },
      { url: webhookUrl, stream: stream({ prefix: 'run' }) },
    ], connections, durationSeconds) as [LoadFigures, LoadFigures]
    const created = (await count()) - before
    // Updates alternate with the baseline too, so their ratio is measured the same way.
    const uids = (await db.selectFrom('bookings').select('uid').where('uid', 'like', 'run%').orderBy('id').execute()).map((b) => b.uid)
    const [updateBaseline, updateFigures] = await alternate([
      { url: baselineUrl, stream: stream({ prefix: 'base2' }) },
      { url: webhookUrl, stream: stream({ prefix: 'cancel', trigger: 'BOOKING_CANCELLED', uids }) },
    ], connections, durationSeconds) as [LoadFigures, LoadFigures]
    const admin = { authorization: `Bearer ${app.config.adminApiKey}` }
    const adminUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/admin/bookings?limit=50`
    const storedUrl = `http://127.0.0.1:${(baseline.server.address() as AddressInfo).port}/bookings-as-stored`
    const adminRounds: LoadFigures[][] = [[], []]
    const rounds = Math.max(1, Math.floor(durationSeconds / ROUND_SECONDS))
    for (let round = 0; round < rounds; round++) {
      adminRounds[0]!.push(await loadGet(storedUrl, connections, durationSeconds / rounds, admin))
      adminRounds[1]!.push(await loadGet(adminUrl, connections, durationSeconds / rounds, admin))
    }
    const adminReadsBaseline = combine(adminRounds[0]!, durationSeconds / rounds)
    const adminReads = combine(adminRounds[1]!, durationSeconds / rounds)
    return {
      database: databaseUrl ? 'postgres' : 'pglite',
      connections,
      durationSeconds,
      baseline: baselineFigures,
      webhooks: webhookFigures,
      ratio: ratio(webhookFigures, baselineFigures),
      deliveriesStored: created,
      updates: updateFigures,
      updatesRatio: ratio(updateFigures, updateBaseline),
      adminReads,
      adminReadsBaseline,
      adminReadsRatio: ratio(adminReads, adminReadsBaseline),
    }
  })
}

/** PGlite always; Postgres as well when DATABASE_URL (or `databaseUrl`) is given. */
export async function runWebhooksBench(options: { connections?: number; durationSeconds?: number; databaseUrl?: string } = {}): Promise<WebhooksBenchResult[]> {
  const connections = options.connections ?? 20
  const duration = options.durationSeconds ?? 10
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL
  return onEachDatabase(databaseUrl, (url) => benchOne(url, connections, duration))
}

export function formatWebhooksBench(results: WebhooksBenchResult[]): string {
  const lines = ['Verified webhook deliveries vs a baseline route inserting the raw body in one statement, autocannon, distinct signed bodies']
  for (const r of results) {
    lines.push(
      `  ${r.database}: ${r.connections} connections, ${r.durationSeconds} s per route in alternating ${ROUND_SECONDS} s rounds (latency: median round)`,
      `    baseline:  ${r.baseline.requestsPerSecond} req/s, p50 ${r.baseline.p50Ms} ms, p99 ${r.baseline.p99Ms} ms, non-2xx ${r.baseline.non2xx}, errors ${r.baseline.errors}`,
      `    webhooks:  ${r.webhooks.requestsPerSecond} deliveries/s, p50 ${r.webhooks.p50Ms} ms, p99 ${r.webhooks.p99Ms} ms, non-2xx ${r.webhooks.non2xx}, errors ${r.webhooks.errors}`,
      `    ratio ${r.ratio} (target ≥ 0.5 with every personal field sealed), p99 target ≤ 25 ms; deliveries stored ${r.deliveriesStored} (autocannon counted ${r.webhooks.requests} replies)`,
      `    updates:   ${r.updates.requestsPerSecond} deliveries/s, p50 ${r.updates.p50Ms} ms, p99 ${r.updates.p99Ms} ms, non-2xx ${r.updates.non2xx}, errors ${r.updates.errors}; ratio ${r.updatesRatio} (cancels of those bookings: the transactional path)`,
      `    admin reads (50 sealed bookings opened a page): ${r.adminReads.requestsPerSecond} req/s, p50 ${r.adminReads.p50Ms} ms, p99 ${r.adminReads.p99Ms} ms, non-2xx ${r.adminReads.non2xx}; as stored, unopened: ${r.adminReadsBaseline.requestsPerSecond} req/s; ratio ${r.adminReadsRatio}`,
    )
  }
  return lines.join('\n')
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatWebhooksBench(await runWebhooksBench({ durationSeconds: Number(process.env.BENCH_SECONDS) || undefined })))
}
