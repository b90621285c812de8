import t from 'tap'
import { type Kysely, sql } from 'kysely'
import type { Database } from '../../db/schema.js'
import { testDatabase } from '../../db/testing.js'
import { KeyRing } from '../privacy/key-ring.js'
import { rotateKeys } from '../privacy/rotate-keys.js'
import { openBookingRow } from '../privacy/sealed.js'
import { applyDelivery } from '../webhooks/apply-delivery.js'
import { parseDelivery } from '../webhooks/schemas.js'
import { dumpAllRows } from './privacy-kit.js'
import { bookingPayload, envelope } from './webhook-factory.js'

const oldKey = { kid: 'k2025', key: Buffer.alloc(32, 3) }
const newKey = { kid: 'k2026', key: Buffer.alloc(32, 4) }

t.test('keys:rotate moves every row to the new key in batches; rows read during and after; a second run moves nothing', async (t) => {
  const { db } = await testDatabase(t)
  const before = new KeyRing([oldKey])
  for (let n = 0; n < 5; n++) {
    const rawBody = envelope('BOOKING_CREATED', bookingPayload({ uid: `rot-${n}`, attendees: [{ email: `person${n}@example.org`, name: `Person ${n}` }] }))
    await applyDelivery(db, before, { rawBody, parsed: parseDelivery(JSON.parse(rawBody)), receivedAt: new Date('2026-01-05T15:00:00Z') })
  }
  // A row from before the columns were sealed: plain text, no blind index.
  await db.updateTable('bookings').set({ attendee_email: 'legacy@example.org', attendee_email_index: null, notes: 'legacy notes' }).where('uid', '=', 'rot-4').execute()
  // A managed user from before its email and name were sealed.
  const at = new Date('2026-01-05T15:00:00Z')
  await db.insertInto('cal_users').values({
    email: 'legacy.member@example.org', name: 'Legacy Member', cal_username: 'legacy.member-example-org', cal_user_id: 77, access_token_enc: before.encrypt('a'), refresh_token_enc: before.encrypt('r'),
    access_token_expires_at: at, refresh_token_expires_at: at, access_token_hash: 'h', updated_at: at,
  }).execute()

  const ring = new KeyRing([newKey, oldKey], oldKey.key)
  const read = async () => (await db.selectFrom('bookings').selectAll().orderBy('uid').execute()).map((r) => openBookingRow(ring, r).attendee_email)
  const emails = ['person0@example.org', 'person1@example.org', 'person2@example.org', 'person3@example.org', 'legacy@example.org']
  t.same(await read(), emails, 'before: the old key opens them')

  const progress: number[] = []
  const reports = await rotateKeys(db, ring, { batch: 2, onProgress: (r) => { if (r.table === 'bookings') progress.push(r.rowsMoved) } })
  t.same(progress, [2, 4, 5], 'bookings moved two at a time, readable between batches')
  t.same(reports, [{ table: 'bookings', rowsMoved: 5 }, { table: 'webhook_deliveries', rowsMoved: 5 }, { table: 'cal_users', rowsMoved: 1 }, { table: 'host_connections', rowsMoved: 0 }, { table: 'form_responses', rowsMoved: 0 }])
  t.same(await read(), emails, 'after: all readable')
  const dump = await dumpAllRows(db)
  t.notOk(dump.includes('v2.k2025.'), 'no value is left under the old key')
  t.notOk(dump.includes('legacy@example.org') || dump.includes('legacy notes'), 'the legacy plain text is sealed')
  t.notOk(dump.includes('legacy.member') || dump.includes('Legacy Member'), 'the legacy managed user is sealed')
  const member = await db.selectFrom('cal_users').select(['email', 'name', 'cal_username', 'email_index']).executeTakeFirstOrThrow()
  t.same([member.email, member.name, member.cal_username!].map((v) => ring.decrypt(v)), ['legacy.member@example.org', 'Legacy Member', 'legacy.member-example-org'])
  t.equal(member.email_index, before.blindIndex('Legacy.Member@example.org'), 'the legacy managed user got its blind index, the same under the new key')
  t.same(await read().then(() => new KeyRing([newKey], oldKey.key)).then(async (onlyNew) =>
    (await db.selectFrom('bookings').selectAll().orderBy('uid').execute()).map((r) => openBookingRow(onlyNew, r).attendee_email)), emails, 'the old key can now leave the ring')
  const indexed = await db.selectFrom('bookings').select('uid').where('attendee_email_index', '=', ring.blindIndex('LEGACY@example.org')).execute()
  t.same(indexed, [{ uid: 'rot-4' }], 'the legacy row got its blind index')
  t.same(await rotateKeys(db, ring, { batch: 2 }), [{ table: 'bookings', rowsMoved: 0 }, { table: 'webhook_deliveries', rowsMoved: 0 }, { table: 'cal_users', rowsMoved: 0 }, { table: 'host_connections', rowsMoved: 0 }, { table: 'form_responses', rowsMoved: 0 }], 'restartable: nothing left to move')
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'keys.rotated'`.execute(db)
  t.equal(rows[0]!.n, 2)
})

/** Every sealed column of the schema, named here apart from keys:rotate's own list so a table it forgets shows. */
const SEALED = {
  bookings: { key: 'id', columns: ['title', 'attendee_name', 'attendee_email', 'notes', 'last_payload'] },
  webhook_deliveries: { key: 'id', columns: ['raw_body'] },
  cal_users: { key: 'id', columns: ['email', 'name', 'cal_username', 'access_token_enc', 'refresh_token_enc'] },
  host_connections: { key: 'host_id', columns: ['credential_enc', 'refresh_token_enc', 'webhook_secret_enc'] },
  form_responses: { key: 'id', columns: ['answers_enc'] },
} as const
type SealedTable = keyof typeof SEALED

/** Each table's sealed values in key order, as stored. */
async function storedValues(db: Kysely<Database>) {
  const out: Record<string, (string | null)[][]> = {}
  for (const [table, { key, columns }] of Object.entries(SEALED)) {
    const rows = await db.selectFrom(table as 'bookings').select(columns as never).orderBy(key as 'id').execute() as Record<string, string | null>[]
    out[table] = rows.map((row) => columns.map((c) => row[c] ?? null))
  }
  return out as Record<SealedTable, (string | null)[][]>
}

const openAll = (ring: KeyRing, stored: Record<string, (string | null)[][]>) =>
  Object.fromEntries(Object.entries(stored).map(([table, rows]) => [table, rows.map((row) => row.map((v) => v === null ? null : ring.decrypt(v)))]))

/** The key id each stored value was sealed under, per table ('plain' for none). */
const kidsOf = (stored: Record<string, (string | null)[][]>) =>
  Object.fromEntries(Object.entries(stored).map(([table, rows]) =>
    [table, new Set(rows.flat().filter((v) => v !== null).map((v) => /^v2\.([^.]+)\./.exec(v!)?.[1] ?? 'plain'))]))

t.test('keys:rotate re-seals every sealed column of every table; a run stopped after one batch leaves every value readable', async (t) => {
  const { db } = await testDatabase(t)
  const before = new KeyRing([oldKey])
  for (let n = 0; n < 3; n++) {
    const rawBody = envelope('BOOKING_CREATED', bookingPayload({ uid: `all-${n}`, attendees: [{ email: `all${n}@example.org`, name: `All ${n}` }], additionalNotes: `notes ${n}` }))
    await applyDelivery(db, before, { rawBody, parsed: parseDelivery(JSON.parse(rawBody)), receivedAt: new Date('2026-01-05T15:00:00Z') })
    const now = new Date('2026-01-05T15:00:00Z')
    await db.insertInto('cal_users').values({
      email: before.encrypt(`member${n}@example.org`), email_index: before.blindIndex(`member${n}@example.org`), name: before.encrypt(`Member ${n}`), cal_username: before.encrypt(`member${n}-example-org`), cal_user_id: 100 + n, access_token_enc: before.encrypt(`access-${n}`),
      refresh_token_enc: before.encrypt(`refresh-${n}`), access_token_expires_at: now, refresh_token_expires_at: now, access_token_hash: `h${n}`, updated_at: now,
    }).execute()
    const host = await db.insertInto('hosts').values({ username: `host${n}`, name: `Host ${n}`, cal_link: `host${n}/prayer`, event_types: '[]', updated_at: now }).returning('id').executeTakeFirstOrThrow()
    await db.insertInto('host_connections').values({
      host_id: host.id, method: n === 0 ? 'api_key' : 'oauth', credential_enc: before.encrypt(`cal_live_${n}`),
      refresh_token_enc: n === 0 ? null : before.encrypt(`host-refresh-${n}`), cal_user_id: 200 + n, cal_username: `host${n}`,
      webhook_secret_enc: before.encrypt(`whsec-${n}`), updated_at: now,
    }).execute()
  }
  const form = await db.insertInto('forms').values({ slug: 'intake', version: 1, definition: JSON.stringify({ questions: [] }) }).returning('id').executeTakeFirstOrThrow()
  for (let n = 0; n < 3; n++) {
    await db.insertInto('form_responses').values({ response_id: `resp-${n}`, form_id: form.id, lang: 'en', answers_enc: before.encrypt(JSON.stringify({ q: `answer ${n}` })), created_at: new Date() }).execute()
  }
  const stored = await storedValues(db)
  for (const table of Object.keys(SEALED) as SealedTable[]) {
    t.ok(stored[table].length >= 3, `${table} has rows`)
    t.same([...kidsOf(stored)[table]!], ['k2025'], `${table}: every value starts under the old key`)
  }

  const ring = new KeyRing([newKey, oldKey], oldKey.key)
  const plain = openAll(ring, stored)
  // One run per table, each stopped after that table's first batch: the table is then half moved.
  for (const table of Object.keys(SEALED) as SealedTable[]) {
    const stop = new Error('stopped')
    await t.rejects(rotateKeys(db, ring, { batch: 2, onProgress: (r) => { if (r.table === table) throw stop } }), stop)
    const during = await storedValues(db)
    t.same([...kidsOf(during)[table]!].sort(), ['k2025', 'k2026'], `${table}: stopped halfway, old and new keys side by side`)
    t.same(openAll(ring, during), plain, `stopped in ${table}: every value opens to what it was`)
  }

  const reports = await rotateKeys(db, ring, { batch: 2 })
  t.same(reports.map((r) => r.table), Object.keys(SEALED), 'every table is walked')
  const after = await storedValues(db)
  for (const table of Object.keys(SEALED) as SealedTable[]) {
    t.same([...kidsOf(after)[table]!], ['k2026'], `${table}: every sealed column is under the new key`)
  }
  t.same(openAll(new KeyRing([newKey], oldKey.key), after), plain, 'the new key alone opens everything, to the same plain values')
  t.same(await rotateKeys(db, ring, { batch: 2 }), Object.keys(SEALED).map((table) => ({ table, rowsMoved: 0 })), 'a second run moves nothing')
})
