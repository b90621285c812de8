import t from 'tap'
import { sql } from 'kysely'
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

  const ring = new KeyRing([newKey, oldKey], oldKey.key)
  const read = async () => (await db.selectFrom('bookings').selectAll().orderBy('uid').execute()).map((r) => openBookingRow(ring, r).attendee_email)
  const emails = ['person0@example.org', 'person1@example.org', 'person2@example.org', 'person3@example.org', 'legacy@example.org']
  t.same(await read(), emails, 'before: the old key opens them')

  const progress: number[] = []
  const reports = await rotateKeys(db, ring, { batch: 2, onProgress: (r) => { if (r.table === 'bookings') progress.push(r.rowsMoved) } })
  t.same(progress, [2, 4, 5], 'bookings moved two at a time, readable between batches')
  t.same(reports, [{ table: 'bookings', rowsMoved: 5 }, { table: 'webhook_deliveries', rowsMoved: 5 }, { table: 'cal_users', rowsMoved: 0 }])
  t.same(await read(), emails, 'after: all readable')
  const dump = await dumpAllRows(db)
  t.notOk(dump.includes('v2.k2025.'), 'no value is left under the old key')
  t.notOk(dump.includes('legacy@example.org') || dump.includes('legacy notes'), 'the legacy plain text is sealed')
  t.same(await read().then(() => new KeyRing([newKey], oldKey.key)).then(async (onlyNew) =>
    (await db.selectFrom('bookings').selectAll().orderBy('uid').execute()).map((r) => openBookingRow(onlyNew, r).attendee_email)), emails, 'the old key can now leave the ring')
  const indexed = await db.selectFrom('bookings').select('uid').where('attendee_email_index', '=', ring.blindIndex('LEGACY@example.org')).execute()
  t.same(indexed, [{ uid: 'rot-4' }], 'the legacy row got its blind index')
  t.same(await rotateKeys(db, ring, { batch: 2 }), [{ table: 'bookings', rowsMoved: 0 }, { table: 'webhook_deliveries', rowsMoved: 0 }, { table: 'cal_users', rowsMoved: 0 }], 'restartable: nothing left to move')
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'keys.rotated'`.execute(db)
  t.equal(rows[0]!.n, 2)
})
