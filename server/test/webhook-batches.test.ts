import t from 'tap'
import { sql } from 'kysely'
import pg from 'pg'
import { testDatabase } from '../../db/testing.js'
import { applyDelivery } from '../webhooks/apply-delivery.js'
import { batchedFirstEvents } from '../webhooks/first-event.js'
import { parseDelivery } from '../webhooks/schemas.js'
import { testRing } from './privacy-kit.js'
import { bookingPayload, envelope } from './webhook-factory.js'

type Db = Awaited<ReturnType<typeof testDatabase>>['db']

const delivery = (uid: string, trigger = 'BOOKING_CREATED', overrides: Record<string, unknown> = {}) => {
  const rawBody = envelope(trigger, bookingPayload({ uid, iCalUID: `${uid}@Cal.com`, ...overrides }))
  return { rawBody, parsed: parseDelivery(JSON.parse(rawBody)), receivedAt: new Date('2026-01-05T15:00:00Z') }
}

const count = async (db: Db, table: 'bookings' | 'webhook_deliveries' | 'audit_log') =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

/** How many transactions wrote the delivery rows (xmin is the writing transaction's id). */
const writingTransactions = async (db: Db) =>
  (await sql<{ n: number }>`select count(distinct xmin::text)::int as n from webhook_deliveries`.execute(db)).rows[0]!.n

t.test('first events arriving together are written by one transaction, each with its three rows', async (t) => {
  const { db } = await testDatabase(t)
  const firstEvents = batchedFirstEvents(db, testRing)
  const uids = Array.from({ length: 12 }, (_, n) => `together-${n}`)
  const results = await Promise.all(uids.map((uid) => applyDelivery(db, testRing, delivery(uid), { firstEvents })))
  t.ok(results.every((r) => r.status === 'accepted' && r.outcome === 'created'), 'every one created')
  t.equal(new Set(results.map((r) => (r.status === 'accepted' ? r.deliveryId : 0))).size, 12, 'each its own delivery row')
  t.equal(await writingTransactions(db), 1, 'one commit for all twelve')
  t.equal(await count(db, 'bookings'), 12)
  t.equal(await count(db, 'audit_log'), 12)
  const stored = await db.selectFrom('bookings').select(['uid', 'attendee_email', 'start_time']).orderBy('uid').execute()
  t.same(stored.map((b) => b.uid), [...uids].sort(), 'each booking under its own uid')
  t.equal(stored[0]!.start_time.toISOString(), '2026-01-07T15:00:00.000Z', 'times survive the trip through JSON')
  const raw = await db.selectFrom('webhook_deliveries').select(['booking_uid', 'raw_body']).where('booking_uid', '=', 'together-3').executeTakeFirstOrThrow()
  t.equal(testRing.decrypt(raw.raw_body!), delivery('together-3').rawBody, 'the raw body is kept byte for byte, sealed')
})

t.test('two events for one new booking in the same batch: the first creates it, the second takes the transactional path', async (t) => {
  const { db } = await testDatabase(t)
  const firstEvents = batchedFirstEvents(db, testRing)
  const [created, requested] = await Promise.all([
    applyDelivery(db, testRing, delivery('pair', 'BOOKING_REQUESTED', { status: 'PENDING' }), { firstEvents }),
    applyDelivery(db, testRing, delivery('pair', 'BOOKING_CREATED'), { firstEvents }),
    applyDelivery(db, testRing, delivery('other'), { firstEvents }),
  ])
  t.match(created, { status: 'accepted', outcome: 'created' })
  t.match(requested, { status: 'accepted', outcome: 'updated' }, 'applied on top of the row the first one wrote')
  t.equal(await count(db, 'bookings'), 2)
  t.equal(await count(db, 'webhook_deliveries'), 3)
  const { rows } = await sql<{ n: number }>`select count(distinct xmin::text)::int as n from webhook_deliveries
    where trigger_event = 'BOOKING_REQUESTED' or booking_uid = 'other'`.execute(db)
  t.equal(rows[0]!.n, 1, 'the second call saw the row of the first: the statement did not fail and fall back')
  t.equal((await db.selectFrom('bookings').select('status').executeTakeFirstOrThrow()).status, 'ACCEPTED')
})

t.test('a delivery the database refuses fails alone: the rest of its batch is stored, it leaves nothing', async (t) => {
  const { db } = await testDatabase(t)
  const firstEvents = batchedFirstEvents(db, testRing)
  const good = ['fine-1', 'fine-2', 'fine-3', 'fine-4'].map((uid) => delivery(uid))
  // A start time that is no time reaches the database as null, which bookings.start_time
  // refuses; it stands for any value the database turns down.
  const refused = delivery('refused')
  const bad = { ...refused, parsed: { ...refused.parsed, body: { ...refused.parsed.body, payload: { ...(refused.parsed.body as { payload: object }).payload, startTime: 'not a time' } } } as typeof refused.parsed }
  const settled = await Promise.allSettled([...good, bad].map((d) => applyDelivery(db, testRing, d, { firstEvents })))
  t.same(settled.slice(0, 4).map((s) => s.status === 'fulfilled' && s.value.status), ['accepted', 'accepted', 'accepted', 'accepted'])
  t.equal(settled[4]!.status, 'rejected', 'the refused one fails')
  t.equal(await count(db, 'bookings'), 4)
  t.equal(await count(db, 'webhook_deliveries'), 4)
  t.equal(await count(db, 'audit_log'), 4)
  t.equal((await db.selectFrom('bookings').select('uid').where('uid', '=', 'refused').execute()).length, 0)
})

t.test('the same delivery twice in one batch is stored once', async (t) => {
  const { db } = await testDatabase(t)
  const firstEvents = batchedFirstEvents(db, testRing)
  const results = await Promise.all([delivery('twice'), delivery('twice')].map((d) => applyDelivery(db, testRing, d, { firstEvents })))
  t.same(results.map((r) => r.status).sort(), ['accepted', 'duplicate'])
  t.equal(await count(db, 'webhook_deliveries'), 1)
  t.equal(await count(db, 'bookings'), 1)
})

t.test('on Postgres a batch of first events is one statement on its own: one round trip, no begin or commit around it', { skip: process.env.DATABASE_URL ? false : 'Postgres only: PGlite wraps the statement in a transaction to steer its planner' }, async (t) => {
  const { db } = await testDatabase(t)
  const firstEvents = batchedFirstEvents(db, testRing)
  // Every statement any pg client sends from here on, as the server would see it arrive.
  const sent: string[] = []
  const query = pg.Client.prototype.query
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const text = args[0] as string | { text: string }
    sent.push(typeof text === 'string' ? text : text.text)
    return (query as (...a: unknown[]) => unknown).apply(this, args)
  } as typeof query
  t.teardown(() => { pg.Client.prototype.query = query })
  const uids = Array.from({ length: 8 }, (_, n) => `one-trip-${n}`)
  const results = await Promise.all(uids.map((uid) => applyDelivery(db, testRing, delivery(uid), { firstEvents })))
  pg.Client.prototype.query = query
  t.ok(results.every((r) => r.status === 'accepted' && r.outcome === 'created'), 'every one created')
  t.equal(sent.length, 1, `one statement for eight deliveries, not: ${sent.map((q) => q.trim().split(/\s+/)[0]).join(', ')}`)
  t.match(sent[0], /^\s*with input as/, 'the batch statement itself')
})
