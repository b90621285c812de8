import { randomBytes } from 'node:crypto'
import t from 'tap'
import { freePort } from '../demo/start-server.js'
import { startSandbox } from '../demo/sandbox/standalone.js'
import type { SandboxBooking } from '../demo/sandbox/types.js'
import { logFile, namedSecrets, scenarioSecrets, serverEnv } from './support/environment.js'
import { OutputLog } from './support/output-log.js'
import { seededRandom } from './support/random.js'
import { scratchDatabase } from './support/scratch-database.js'
import { leakedSecrets } from './support/secrets.js'
import { inPool } from './support/send.js'
import { startServer } from './support/server-process.js'

const BOOKINGS = Number(process.env.LOST_WEBHOOK_BOOKINGS ?? 1000)
const DROP_PERCENT = 30
const CONCURRENCY = 8
const HOSTS = ['zack', 'maria'] as const

type Row = { uid: string; status: string; startTime: string; rescheduledToUid: string | null; host: { username: string | null } }

/** What GET /admin/bookings must say of each sandbox booking: the old one of a reschedule is RESCHEDULED. */
const expected = (b: SandboxBooking) => [b.uid, b.rescheduled ? 'RESCHEDULED' : b.status, new Date(b.startTime).toISOString(), b.rescheduledTo ?? null, b.hostUsername]
const actual = (r: Row) => [r.uid, r.status, r.startTime, r.rescheduledToUid, r.host.username]
const byUid = (a: unknown[], b: unknown[]) => (String(a[0]) < String(b[0]) ? -1 : 1)

if (!process.env.DATABASE_URL) {
  t.plan(0, 'lost webhooks needs two server processes on one Postgres: set DATABASE_URL (PGlite is single-process)')
} else {
  t.test('lost webhooks: 30 % of deliveries dropped and a server stopped for a while; one reconciliation restores every booking', async (t) => {
    const seed = Number(process.env.STORM_SEED ?? randomBytes(4).readUInt32LE())
    t.comment(`seed ${seed}`)
    const random = seededRandom(seed)
    const secrets = scenarioSecrets()
    const runId = randomBytes(5).toString('hex')
    const log = new OutputLog()
    t.teardown(() => log.writeTo(logFile('lost-webhooks')))

    const sandbox = await startSandbox()
    t.teardown(() => sandbox.close())
    const database = await scratchDatabase(t, process.env.DATABASE_URL!)
    const portA = await freePort()
    // Real mode without Platform: no CAL_CLIENT_ID/SECRET, no shared webhook secret.
    const { CAL_CLIENT_ID: _id, CAL_CLIENT_SECRET: _secret, CAL_WEBHOOK_SECRET: _hook, ...env } = serverEnv(secrets, {
      DATABASE_URL: database.url, CAL_API_URL: `${sandbox.url}/v2`, RECONCILE_INTERVAL: '1h', PUBLIC_URL: `http://127.0.0.1:${portA}`,
    })
    let a = await startServer('a', { ...env, PORT: String(portA) }, log)
    const b = await startServer('b', env, log)
    t.teardown(() => a.stop())
    t.teardown(() => b.stop())
    const admin = { authorization: `Bearer ${secrets.adminApiKey}`, 'content-type': 'application/json' }
    const post = async (base: string, path: string, body: unknown = {}) => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: admin, body: JSON.stringify(body) })
      return { status: res.status, json: await res.json() as any }
    }
    for (const host of HOSTS) {
      const res = await post(a.url, `/admin/hosts/${host}/connection`, { apiKey: `cal_sandbox_${host}` })
      t.equal(res.status, 200, `${host} connected`)
    }

    // Every bookable 15-minute slot of the next weeks, per host, handed out in order.
    const from = new Date(Date.now() + 86_400_000)
    const slots = Object.fromEntries(HOSTS.map((h) => [h, sandbox.state.availableSlots(h, '15min', { from, to: new Date(from.getTime() + 90 * 86_400_000) })]))
    const nextSlot = (host: string) => new Date(slots[host]!.shift()!)

    await fetch(`${sandbox.url}/_control/webhook-drops`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ percent: DROP_PERCENT, seed }) })
    const plan = Array.from({ length: BOOKINGS }, (_, i) => ({ host: HOSTS[i % 2]!, change: random.next() }))
    let done = 0
    let stopped = false
    await inPool(plan, CONCURRENCY, async ({ host, change }, i) => {
      const booking = await sandbox.state.createBooking({
        hostUsername: host, eventTypeSlug: '15min', start: nextSlot(host),
        attendee: { name: `Guest ${i}`, email: `guest-${i}-${runId}@example.org` },
      })
      // About one in six is later moved, one in six cancelled.
      if (change < 1 / 6) await sandbox.state.createBooking({ hostUsername: host, eventTypeSlug: '15min', start: nextSlot(host), attendee: { name: `Guest ${i}`, email: `guest-${i}-${runId}@example.org` }, rescheduleUid: booking.uid })
      else if (change < 2 / 6) await sandbox.state.cancelBooking(booking.uid)
      done++
      // Server a, where the hosts' webhooks point, is down for the middle third of the run.
      if (done === Math.round(BOOKINGS / 3) && !stopped) { stopped = true; await a.stop() }
      if (done === Math.round((2 * BOOKINGS) / 3) && stopped) { stopped = false; a = await startServer('a', { ...env, PORT: String(portA) }, log) }
    })
    await fetch(`${sandbox.url}/_control/webhook-drops`, { method: 'DELETE' })

    const finalState = HOSTS.flatMap((h) => sandbox.state.allBookingsOf(h)).map(expected).sort(byUid)
    const stored = async () => {
      const rows: Row[] = []
      for (let cursor: string | null = null; ;) {
        const res = await fetch(`${b.url}/admin/bookings?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers: admin })
        const page = await res.json() as { bookings: Row[]; nextCursor: string | null }
        rows.push(...page.bookings)
        if (!(cursor = page.nextCursor)) break
      }
      return rows.map(actual).sort(byUid)
    }
    const before = await stored()
    t.comment(`${finalState.length} bookings at the sandbox; ${before.length} stored from webhooks before reconciling`)
    t.not(JSON.stringify(before), JSON.stringify(finalState), 'the lost deliveries left the server behind')

    const first = await post(b.url, '/admin/reconcile')
    t.equal(first.status, 200)
    t.comment(`reconciliation: ${JSON.stringify(first.json.hosts)}`)
    t.same(first.json.hosts.map((h: { error?: unknown }) => h.error), [undefined, undefined], 'no host failed')
    t.same(await stored(), finalState, 'every booking has exactly the sandbox\'s final state')

    const second = await post(a.url, '/admin/reconcile')
    t.same(second.json.hosts.map((h: { username: string; created: number; updated: number }) => [h.username, h.created, h.updated]), [['zack', 0, 0], ['maria', 0, 0]], 'a second reconciliation changes nothing')
    t.same(await stored(), finalState)

    await a.stop()
    await b.stop()
    t.same(leakedSecrets(log.text(), { ...namedSecrets(secrets), 'attendee emails (run marker)': runId }), [], 'no secret or attendee email in the servers\' output')
  })
}
