import t from 'tap'
import { sql } from 'kysely'
import { testDatabase } from '../../db/testing.js'
import { applyDelivery } from '../webhooks/apply-delivery.js'
import { parseDelivery } from '../webhooks/schemas.js'
import { testRing } from './privacy-kit.js'
import { bookingPayload, envelope } from './webhook-factory.js'

type Db = Awaited<ReturnType<typeof testDatabase>>['db']

async function wholeTableScans(db: Db): Promise<number> {
  // Counters are flushed when a transaction ends; read them afresh, not from this session's snapshot.
  await sql`select pg_stat_force_next_flush()`.execute(db)
  await sql`select pg_stat_clear_snapshot()`.execute(db)
  const { rows } = await sql<{ scans: number }>`select coalesce(sum(seq_scan), 0)::int as scans from pg_stat_user_tables
    where relname in ('bookings', 'webhook_deliveries')`.execute(db)
  return rows[0]!.scans
}

const firstEvent = (n: number) => {
  const rawBody = envelope('BOOKING_CREATED', bookingPayload({ uid: `write-path-${n}`, iCalUID: `write-path-${n}@Cal.com` }))
  return { rawBody, parsed: parseDelivery(JSON.parse(rawBody)), receivedAt: new Date('2026-01-05T15:00:00Z') }
}

// PGlite only: it has no autovacuum, so statistics taken while the tables were tiny stay for good and
// the first write steers its planner to the indexes. Postgres renews them as the tables grow, and
// there the first write is one statement with no planner setting before it.
t.test('a first booking event finds its way by index, even once statistics say the tables are tiny', { skip: process.env.DATABASE_URL ? 'PGlite only: Postgres renews its statistics (autovacuum)' : false }, async (t) => {
  const { db } = await testDatabase(t)
  for (let n = 0; n < 3; n++) t.match(await applyDelivery(db, testRing, firstEvent(n)), { status: 'accepted', outcome: 'created' })
  // What autovacuum would do after the first rows (PGlite has none: its statistics stay wherever they were).
  await sql`analyze bookings`.execute(db)
  await sql`analyze webhook_deliveries`.execute(db)
  const before = await wholeTableScans(db)
  // More calls than Postgres needs before it settles on one plan for the session.
  for (let n = 3; n < 15; n++) t.match(await applyDelivery(db, testRing, firstEvent(n)), { status: 'accepted', outcome: 'created' })
  t.equal(await wholeTableScans(db) - before, 0, 'no delivery scanned bookings or webhook_deliveries whole')
  t.equal(Number((await db.selectFrom('bookings').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), 15)
})
