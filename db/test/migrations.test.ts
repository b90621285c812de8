import { readdirSync } from 'node:fs'
import t from 'tap'
import { sql } from 'kysely'
import { migrateDown, migrateToLatest } from '../migrate.js'
import { migrations } from '../migrations/index.js'
import { testDatabase } from '../testing.js'
import { KeyRing } from '../../server/privacy/key-ring.js'
import { rotateKeys } from '../../server/privacy/rotate-keys.js'

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
  const user = { email: 'v2.k.sealed-1', email_index: 'index-of-a@b.org', name: 'v2.k.sealed-2', cal_user_id: 1, access_token_enc: 'x', refresh_token_enc: 'y', access_token_expires_at: new Date(), refresh_token_expires_at: new Date(), access_token_hash: 'h', updated_at: new Date() }
  await db.insertInto('cal_users').values(user).execute()
  await t.rejects(db.insertInto('cal_users').values({ ...user, email: 'v2.k.sealed-3' }).execute(), 'a managed user\'s email blind index is unique (its ciphertext differs every time)')
  const legacy = { ...user, email_index: null, access_token_hash: 'h2' }
  await db.insertInto('cal_users').values([{ ...legacy, email: 'a@b.org' }, { ...legacy, email: 'c@d.org' }]).execute()
  t.pass('rows from before the email was sealed have no index yet, and many may wait for keys:rotate')
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from bookings`.execute(db)
  t.equal(rows[0]?.n, 1)
})

t.test('managed users stored before their email was sealed: the migration keeps them, keys:rotate seals them and fills the blind index', async (t) => {
  const { db } = await testDatabase(t)
  await migrateDown(db)
  const at = new Date('2026-11-01T00:00:00Z')
  const user = { name: 'Ruth Miller', cal_user_id: 1, cal_username: 'ruth-example-org', access_token_enc: 'v1.x', refresh_token_enc: 'v1.y', access_token_expires_at: at, refresh_token_expires_at: at, access_token_hash: 'h', updated_at: at }
  await db.insertInto('cal_users').values([{ ...user, email: 'ruth@example.org' }, { ...user, email: 'naomi@example.org', access_token_hash: 'h2' }]).execute()
  t.same(await migrateToLatest(db), ['2026-11-25T15-00_sealed-managed-users'])
  const kept = await db.selectFrom('cal_users').select(['email', 'name', 'cal_username', 'email_index']).orderBy('id').execute()
  t.same(kept.map((r) => [r.email, r.name, r.email_index]), [['ruth@example.org', 'Ruth Miller', null], ['naomi@example.org', 'Ruth Miller', null]], 'kept as they were, no index yet')

  // The tokens are left alone here: `v1.` values no key of this ring opens, so seal them first.
  const ring = new KeyRing([{ kid: 'k1', key: Buffer.alloc(32, 1) }])
  await db.updateTable('cal_users').set({ access_token_enc: ring.encrypt('a'), refresh_token_enc: ring.encrypt('r') }).execute()
  t.same((await rotateKeys(db, ring)).find((r) => r.table === 'cal_users'), { table: 'cal_users', rowsMoved: 2 })
  const sealed = await db.selectFrom('cal_users').select(['email', 'name', 'cal_username', 'email_index']).orderBy('id').execute()
  t.same(sealed.map((r) => [ring.decrypt(r.email), ring.decrypt(r.name), ring.decrypt(r.cal_username!), r.email_index]), [
    ['ruth@example.org', 'Ruth Miller', 'ruth-example-org', ring.blindIndex('ruth@example.org')],
    ['naomi@example.org', 'Ruth Miller', 'ruth-example-org', ring.blindIndex('naomi@example.org')],
  ], 'sealed, and found by their blind index from now on')
  await t.rejects(db.insertInto('cal_users').values({ ...user, email: ring.encrypt('ruth@example.org'), email_index: ring.blindIndex('Ruth@example.org'), access_token_hash: 'h3' }).execute(), 'one row per person')
})
