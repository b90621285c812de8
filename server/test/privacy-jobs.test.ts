import t from 'tap'
import { ManualClock } from '../clock.js'
import { purgeRawDeliveries } from '../privacy/raw-delivery-job.js'
import { runRetention } from '../privacy/retention-job.js'
import { build } from './helpers.js'
import { ADMIN } from './privacy-kit.js'
import { bookingPayload, deliver, envelope } from './webhook-factory.js'

const DAY = 24 * 60 * 60 * 1000
const booking = (uid: string, endTime: string) => envelope('BOOKING_CREATED', bookingPayload({ uid, iCalUID: `${uid}@Cal.com`, startTime: new Date(Date.parse(endTime) - 30 * 60_000).toISOString(), endTime }))

t.test('retention: RETENTION_DAYS after its end a booking loses its personal fields, the row stays, audited with counts', async (t) => {
  const clock = new ManualClock('2026-01-05T15:00:00Z')
  const { app, db } = await build(t, { clock })
  for (const [uid, end] of [['old', '2026-01-06T10:00:00Z'], ['recent', '2026-03-01T10:00:00Z']] as const) t.equal((await deliver(app, booking(uid, end))).statusCode, 200)
  const deps = { db, clock, retentionDays: 730 }

  clock.set(new Date(Date.parse('2026-01-06T10:00:00Z') + 730 * DAY - 1000))
  t.same(await runRetention(deps), { status: 'done', bookings: 0, deliveries: 0 }, 'a second before the end of retention: nothing')
  clock.advance(2000)
  t.same(await runRetention(deps), { status: 'done', bookings: 1, deliveries: 1 }, 'just after: the old booking')
  t.same(await runRetention(deps), { status: 'done', bookings: 0, deliveries: 0 }, 'a second run finds nothing more')
  const rows = (await app.inject({ method: 'GET', url: '/admin/bookings', headers: ADMIN })).json().bookings as { uid: string; attendee: unknown; notes: unknown; title: unknown; status: string; erasedAt: string | null }[]
  t.same(rows.map((r) => [r.uid, r.status, r.attendee, r.notes, r.title, r.erasedAt]), [
    ['recent', 'ACCEPTED', { name: 'Bob Booker', email: 'bob@example.org' }, 'Please pray for my family', '30 minute meeting between Pastor Zack Miller and Bob Booker', null],
    ['old', 'ACCEPTED', { name: null, email: null }, null, null, clock.now().toISOString()],
  ], 'both rows counted; only the old one emptied')
  const raw = await db.selectFrom('webhook_deliveries').select(['booking_uid', 'raw_body', 'raw_digest']).orderBy('booking_uid').execute()
  t.same(raw.map((r) => [r.booking_uid, r.raw_body === null, r.raw_digest?.length]), [['old', true, 64], ['recent', false, 64]])
  const audit = await db.selectFrom('audit_log').select(['actor', 'detail']).where('action', '=', 'retention.erased').orderBy('id').execute()
  t.same(audit.map((a) => a.detail), [
    { bookings: 0, deliveries: 0, retentionDays: 730 }, { bookings: 1, deliveries: 1, retentionDays: 730 }, { bookings: 0, deliveries: 0, retentionDays: 730 },
  ], 'counts only')
})

t.test('the jobs run once across replicas: a run finding the lock taken skips', async (t) => {
  const { db, database } = await build(t)
  if (!process.env.DATABASE_URL) {
    t.same(await runRetention({ db, clock: new ManualClock(), retentionDays: 1 }), { status: 'done', bookings: 0, deliveries: 0 }, 'PGlite: one process, the lock is always free')
    return
  }
  const other = database!.openAnother()
  const { sql } = await import('kysely')
  await other.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('churchhub:retention'))`.execute(trx)
    t.same(await runRetention({ db, clock: new ManualClock(), retentionDays: 1 }), { status: 'skipped' })
  })
  t.same(await runRetention({ db, clock: new ManualClock(), retentionDays: 1 }), { status: 'done', bookings: 0, deliveries: 0 }, 'free again after the other commit')
})

t.test('raw bodies are dropped after RAW_DELIVERY_DAYS, their digest and key stay, a waiting delivery keeps its body', async (t) => {
  const clock = new ManualClock('2026-01-05T15:00:00Z')
  const { app, db } = await build(t, { clock })
  t.equal((await deliver(app, booking('kept', '2026-01-07T15:30:00Z'))).statusCode, 200)
  const noShow = envelope('BOOKING_NO_SHOW_UPDATED', { bookingUid: 'waiting', attendees: [{ email: 'bob@example.org', noShow: true }], message: 'x' })
  t.same((await deliver(app, noShow)).json(), { status: 'accepted', outcome: 'deferred' })
  clock.advance(7 * DAY - 1000)
  const deps = { db, clock, rawDeliveryDays: 7 }
  t.same(await purgeRawDeliveries(deps), { status: 'done', dropped: 0 }, 'within seven days: kept')
  clock.advance(2000)
  t.same(await purgeRawDeliveries(deps), { status: 'done', dropped: 1 })
  const rows = await db.selectFrom('webhook_deliveries').select(['booking_uid', 'raw_body', 'raw_digest', 'outcome']).orderBy('id').execute()
  t.same(rows.map((r) => [r.booking_uid, r.outcome, r.raw_body === null, r.raw_digest?.length]), [['kept', 'created', true, 64], ['waiting', 'deferred', false, 64]])
  t.same((await deliver(app, booking('kept', '2026-01-07T15:30:00Z'))).json(), { status: 'duplicate' }, 'a redelivery is still recognised')
  const audit = await db.selectFrom('audit_log').select('detail').where('action', '=', 'deliveries.raw_dropped').orderBy('id').execute()
  t.same(audit.map((a) => a.detail), [{ dropped: 0, rawDeliveryDays: 7 }, { dropped: 1, rawDeliveryDays: 7 }])
})
