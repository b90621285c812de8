import t, { type Test } from 'tap'
import { sql } from 'kysely'
import { testDatabase } from '../../db/testing.js'
import { applyDelivery } from '../webhooks/apply-delivery.js'
import { parseDelivery } from '../webhooks/schemas.js'
import { build } from './helpers.js'
import { testRing } from './privacy-kit.js'
import { bookingChain, bookingPayload, deliver, envelope } from './webhook-factory.js'

type Db = Awaited<ReturnType<typeof build>>['db']
const rowsIn = async (db: Db) => ({
  deliveries: (await db.selectFrom('webhook_deliveries').select('id').execute()).length,
  bookings: (await db.selectFrom('bookings').select('id').execute()).length,
  accepted: (await db.selectFrom('audit_log').select('id').where('action', '=', 'webhook.accepted').execute()).length,
})

t.test('a delivery failing after its row is written leaves no partial rows', async (t) => {
  const { db } = await testDatabase(t)
  const rawBody = envelope('BOOKING_RESCHEDULED', bookingPayload({ uid: 'B', rescheduleUid: 'A', rescheduleStartTime: '2026-01-07T15:00:00Z', rescheduleEndTime: '2026-01-07T15:30:00Z' }))
  const delivery = { rawBody, parsed: parseDelivery(JSON.parse(rawBody)), receivedAt: new Date('2026-01-05T15:00:00Z') }
  await t.rejects(applyDelivery(db, testRing, delivery, { afterDeliveryInsert: () => { throw new Error('injected failure') } }), /injected failure/)
  t.same(await rowsIn(db), { deliveries: 0, bookings: 0, accepted: 0 }, 'the delivery row went with the failure')
  t.match(await applyDelivery(db, testRing, delivery), { status: 'accepted', outcome: 'created' }, 'the same delivery goes through afterwards: its key was not taken')
  t.same(await rowsIn(db), { deliveries: 1, bookings: 2, accepted: 1 })
})

t.test('a failure at the last step (the audit row) undoes the booking change too; the caller is told to retry', async (t) => {
  const { app, db } = await build(t)
  await sql`create function fail_accepted_audit() returns trigger language plpgsql as $$
    begin if new.action = 'webhook.accepted' then raise exception 'audit store unavailable'; end if; return new; end $$`.execute(db)
  await sql`create trigger fail_accepted_audit before insert on audit_log for each row execute function fail_accepted_audit()`.execute(db)
  const chain = bookingChain('A', 'B')
  // The first event of a booking takes the one-statement path; a reschedule the transactional one.
  for (const [name, body] of [['first event', chain.created], ['reschedule', chain.rescheduled]] as const) {
    const res = await deliver(app, body)
    t.equal(res.statusCode, 503, name)
    t.equal(res.headers['retry-after'], '5', name)
    t.equal(res.json().error.code, 'webhook_not_stored', name)
    t.same(await rowsIn(db), { deliveries: 0, bookings: 0, accepted: 0 }, `${name}: neither booking nor delivery was kept`)
  }
  t.same((await db.selectFrom('audit_log').select('action').execute()).map((r) => r.action), ['webhook.failed', 'webhook.failed'], 'the failures themselves are on the record')
  await sql`drop trigger fail_accepted_audit on audit_log`.execute(db)
  t.match((await deliver(app, chain.rescheduled)).json(), { status: 'accepted' }, 'Cal.com sending it again works')
  t.same(await rowsIn(db), { deliveries: 1, bookings: 2, accepted: 1 })
})

/** Twenty bookings, each created, rescheduled and cancelled; every body also re-sent with a new createdAt. */
function storm() {
  const bodies: string[] = []
  for (let i = 0; i < 20; i++) {
    const chain = bookingChain(`old${i}`, `new${i}`)
    for (const body of [chain.created, chain.rescheduled, chain.cancelled]) {
      bodies.push(body, body.replace(/"createdAt":"[^"]+"/, '"createdAt":"2026-01-06T00:00:00.000Z"'))
    }
  }
  return { bodies, distinct: 60 }
}

async function checkStorm(t: Test, db: Db, replies: { statusCode: number; json(): { status: string } }[], distinct: number) {
  t.ok(replies.every((r) => r.statusCode === 200), 'every send is acknowledged')
  t.equal(replies.filter((r) => r.json().status === 'accepted').length, distinct, 'each distinct delivery accepted once')
  t.equal((await rowsIn(db)).deliveries, distinct, 'and stored once')
  const rows = await db.selectFrom('bookings').select(['uid', 'status', 'rescheduled_to_uid']).orderBy('uid').execute()
  t.equal(rows.length, 40)
  t.ok(rows.every((r) => (r.uid.startsWith('old') ? r.status === 'RESCHEDULED' && r.rescheduled_to_uid === r.uid.replace('old', 'new') : r.status === 'CANCELLED')), 'every chain ends in the same state')
}

t.test('a storm of concurrent and repeated deliveries to one instance stores each once', async (t) => {
  const { app, db } = await build(t)
  const { bodies, distinct } = storm()
  const replies = await Promise.all([...bodies, ...bodies].map((body) => deliver(app, body)))
  await checkStorm(t, db, replies, distinct)
})

const skipWithoutPostgres = process.env.DATABASE_URL ? false : 'two replicas need a shared Postgres server: set DATABASE_URL (PGlite is one process)'

t.test('the same storm sent to two instances on one Postgres stores each delivery once', { skip: skipWithoutPostgres }, async (t) => {
  const database = await testDatabase(t)
  const one = await build(t, { db: database.db })
  const two = await build(t, { db: database.openAnother().db })
  const { bodies, distinct } = storm()
  const replies = await Promise.all(bodies.flatMap((body) => [deliver(one.app, body), deliver(two.app, body)]))
  await checkStorm(t, database.db, replies, distinct)
})
