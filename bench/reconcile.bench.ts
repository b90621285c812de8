/**
 * Reconciling one host's 10,000 bookings from the sandbox Cal.com into an empty database: time,
 * Cal.com requests (target ≤ ⌈10000/250⌉ + a few) and peak memory, beside the time the webhook path
 * takes to store the same bookings (one signed BOOKING_CREATED each, 16 at a time).
 *   npx tsx bench/reconcile.bench.ts            PGlite, then Postgres too when DATABASE_URL is set
 */
import { pathToFileURL } from 'node:url'
import { startSandbox } from '../demo/sandbox/standalone.js'
import { bookingPayload } from '../demo/sandbox/webhooks.js'
import { loadDemoConfig } from '../demo/config.js'
import { buildApp } from '../server/app.js'
import { CalClient } from '../server/cal/client.js'
import { sign } from '../server/webhooks/signature.js'
import { onEachDatabase, withBenchDatabase } from './support/bench-database.js'

export interface ReconcileBenchResult {
  database: 'pglite' | 'postgres'
  bookings: number
  reconcile: { seconds: number; requests: number; bookingsRequests: number; peakRssMb: number; peakHeapMb: number; created: number; fetched: number }
  second: { seconds: number; unchanged: number; created: number; updated: number }
  webhooks: { seconds: number; stored: number; concurrency: number }
}

const ADMIN = { authorization: 'Bearer sandbox-admin-key' }
const mb = (bytes: number) => Math.round((bytes / 1024 ** 2) * 10) / 10

async function seedBookings(state: Awaited<ReturnType<typeof startSandbox>>['state'], count: number) {
  const from = new Date(Date.now() + 86_400_000)
  const slots = state.availableSlots('zack', '15min', { from, to: new Date(from.getTime() + Math.ceil(count / 30) * 1.5 * 86_400_000 + 30 * 86_400_000) })
  if (slots.length < count) throw new Error(`only ${slots.length} free slots for ${count} bookings`)
  for (let i = 0; i < count; i++) {
    await state.createBooking({ hostUsername: 'zack', eventTypeSlug: '15min', start: new Date(slots[i]!), attendee: { name: `Guest ${i}`, email: `guest-${i}@example.org` } })
  }
}

async function withApp<T>(databaseUrl: string | undefined, sandboxUrl: string, run: (app: Awaited<ReturnType<typeof buildApp>>, calls: string[]) => Promise<T>): Promise<T> {
  return withBenchDatabase(databaseUrl, async (db, cleanup) => {
    const calls: string[] = []
    const calClient = new CalClient({ apiUrl: `${sandboxUrl}/v2`, fetch: (input, init) => { calls.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`); return fetch(input, init) } })
    const app = await buildApp({ config: loadDemoConfig({ LOG_LEVEL: 'silent', DATA_DIR: 'memory://' }), db, calClient })
    cleanup(() => app.close())
    return run(app, calls)
  })
}

async function benchOne(databaseUrl: string | undefined, count: number): Promise<ReconcileBenchResult> {
  const sandbox = await startSandbox()
  try {
    await seedBookings(sandbox.state, count)
    // Reconciliation into an empty database.
    const reconcile = await withApp(databaseUrl, sandbox.url, async (app, calls) => {
      const connected = await app.inject({ method: 'POST', url: '/admin/hosts/zack/connection', headers: ADMIN, payload: { apiKey: 'cal_sandbox_zack' } })
      if (connected.statusCode !== 200) throw new Error(`connect answered ${connected.statusCode}: ${connected.body}`)
      sandbox.state.rateLimiter.reset()
      calls.length = 0
      global.gc?.()
      let peakRss = process.memoryUsage().rss
      let peakHeap = process.memoryUsage().heapUsed
      const sampler = setInterval(() => {
        const m = process.memoryUsage()
        peakRss = Math.max(peakRss, m.rss)
        peakHeap = Math.max(peakHeap, m.heapUsed)
      }, 20)
      const started = performance.now()
      const [first] = await app.reconciler.run()
      const seconds = (performance.now() - started) / 1000
      clearInterval(sampler)
      if (!first || first.error) throw new Error(`reconciliation failed: ${JSON.stringify(first?.error)}`)
      const requests = calls.length
      const bookingsRequests = calls.filter((c) => c.endsWith('/v2/bookings')).length
      const secondStarted = performance.now()
      const [again] = await app.reconciler.run()
      return {
        reconcile: { seconds, requests, bookingsRequests, peakRssMb: mb(peakRss), peakHeapMb: mb(peakHeap), created: first.created, fetched: first.fetched },
        second: { seconds: (performance.now() - secondStarted) / 1000, unchanged: again!.unchanged, created: again!.created, updated: again!.updated },
      }
    })
    // The webhook path, on a fresh database: the same bookings as Cal.com would deliver them.
    const webhooks = await withApp(databaseUrl, sandbox.url, async (app) => {
      await app.inject({ method: 'POST', url: '/admin/hosts/zack/connection', headers: ADMIN, payload: { apiKey: 'cal_sandbox_zack' } })
      const hostId = (await app.db.selectFrom('hosts').select('id').where('username', '=', 'zack').executeTakeFirstOrThrow()).id
      const secret = (await app.hostWebhookSecret(hostId))!
      const host = sandbox.state.findHost('zack')!
      const bodies = sandbox.state.allBookingsOf('zack').map((booking) => JSON.stringify({
        triggerEvent: 'BOOKING_CREATED', createdAt: booking.createdAt,
        payload: bookingPayload({ trigger: 'BOOKING_CREATED', booking, host, eventType: sandbox.state.findEventType('zack', booking.eventTypeSlug)!, baseUrl: sandbox.url }),
      }))
      const concurrency = 16
      let next = 0
      const started = performance.now()
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++]!
          const res = await app.inject({ method: 'POST', url: `/webhooks/cal/hosts/${hostId}`, headers: { 'content-type': 'application/json', 'x-cal-signature-256': sign(secret, body) }, payload: body })
          if (res.statusCode !== 200) throw new Error(`webhook answered ${res.statusCode}: ${res.body}`)
        }
      }))
      const seconds = (performance.now() - started) / 1000
      const stored = Number((await app.db.selectFrom('bookings').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
      return { seconds, stored, concurrency }
    })
    return { database: databaseUrl ? 'postgres' : 'pglite', bookings: count, ...reconcile, webhooks }
  } finally {
    await sandbox.close()
  }
}

export function runReconcileBench(options: { bookings?: number; databaseUrl?: string | undefined } = {}) {
  return onEachDatabase(options.databaseUrl, (url) => benchOne(url, options.bookings ?? 10_000))
}

export function formatReconcileBench(results: ReconcileBenchResult[]): string {
  const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`
  return [
    row(['database', 'bookings', 'reconcile s', 'Cal.com requests (bookings pages) — target ≤ 40 + a few', 'peak RSS / heap MB', 'second run s (unchanged)', 'webhook path s (16 at a time)']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...results.map((r) => row([r.database, r.bookings, r.reconcile.seconds.toFixed(1), `${r.reconcile.requests} (${r.reconcile.bookingsRequests})`, `${r.reconcile.peakRssMb} / ${r.reconcile.peakHeapMb}`, `${r.second.seconds.toFixed(1)} (${r.second.unchanged})`, r.webhooks.seconds.toFixed(1)])),
  ].join('\n')
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await runReconcileBench({ bookings: Number(process.env.RECONCILE_BOOKINGS ?? 10_000), databaseUrl: process.env.DATABASE_URL })
  console.log(formatReconcileBench(results))
  console.log(JSON.stringify(results, null, 2))
}
