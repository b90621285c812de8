import { readdirSync } from 'node:fs'
import t from 'tap'
import { sql } from 'kysely'
import { migrateDown, migrateToLatest } from '../migrate.js'
import { migrations } from '../migrations/index.js'
import { testDatabase } from '../testing.js'

t.test('migrations create every table and running them again changes nothing', async (t) => {
  const { db } = await testDatabase(t, { migrate: false })
  const first = await migrateToLatest(db)
  const files = readdirSync(new URL('../migrations/', import.meta.url)).filter((f) => f !== 'index.ts' && /\.[jt]s$/.test(f)).map((f) => f.replace(/\.[jt]s$/, ''))
  t.same(Object.keys(migrations).sort(), files.sort(), 'every file in db/migrations/ is registered, and nothing else')
  t.same(first, files.sort(), 'a fresh database runs every one of them, once, in name order')
  t.same(await migrateToLatest(db), [], 'a second run applies nothing and does not fail')
  const tables = await db.introspection.getTables()
  const names = tables.map((x) => x.name)
  for (const table of ['cal_users', 'hosts', 'bookings', 'webhook_deliveries', 'audit_log']) t.ok(names.includes(table), `${table} exists`)
})

t.test('migrations go down and up again', async (t) => {
  const { db } = await testDatabase(t)
  // Only this test's schema: the server may hold other schemas (and a migrated `public`).
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
  const hasBookings = async () => (await db.introspection.getTables()).some((x) => x.name === 'bookings' && x.schema === rows[0]?.schema)
  for (let i = 0; i < Object.keys(migrations).length; i++) await migrateDown(db)
  t.notOk(await hasBookings())
  await migrateToLatest(db)
  t.ok(await hasBookings())
})

t.test('the keys later work relies on are unique', async (t) => {
  const { db } = await testDatabase(t)
  const booking = { uid: 'B1', status: 'ACCEPTED', start_time: new Date(), end_time: new Date(), last_trigger: 'BOOKING_CREATED', last_event_at: new Date(), last_payload: '{}', updated_at: new Date() }
  await db.insertInto('bookings').values(booking).execute()
  await t.rejects(db.insertInto('bookings').values(booking).execute(), 'booking uid is unique')
  const delivery = { delivery_key: 'k1', trigger_event: 'PING', raw_body: '{}', outcome: 'accepted' }
  await db.insertInto('webhook_deliveries').values(delivery).execute()
  await t.rejects(db.insertInto('webhook_deliveries').values(delivery).execute(), 'delivery key is unique')
  const user = { email: 'a@b.org', name: 'A', cal_user_id: 1, access_token_enc: 'x', refresh_token_enc: 'y', access_token_expires_at: new Date(), refresh_token_expires_at: new Date(), access_token_hash: 'h', updated_at: new Date() }
  await db.insertInto('cal_users').values(user).execute()
  await t.rejects(db.insertInto('cal_users').values(user).execute(), 'managed-user email is unique')
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from bookings`.execute(db)
  t.equal(rows[0]?.n, 1)
})
