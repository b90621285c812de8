import { sql, type Kysely } from 'kysely'
import type { Test } from 'tap'
import type { Database } from '../../db/schema.js'
import { createTokenCipher } from '../../server/tokens/crypto.js'
import type { ExpectedBooking, Storm } from './storm.js'

type Assert = Pick<Test, 'equal' | 'same'>

const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z')

/** What differs between a booking row and the state its chain must end in; empty when right. */
function differences(row: Record<string, any> | undefined, want: ExpectedBooking, blindIndex: (email: string) => string): string[] {
  if (!row) return ['missing']
  const problems: string[] = []
  const status = String(row.status).toUpperCase()
  if (want.final === 'cancelled' && status !== 'CANCELLED') problems.push(`status ${row.status}, wanted CANCELLED`)
  if (want.final === 'moved' && status !== 'RESCHEDULED') problems.push(`status ${row.status}, wanted RESCHEDULED`)
  if (iso(new Date(row.start_time)) !== want.startTime) problems.push('start_time')
  if (iso(new Date(row.end_time)) !== want.endTime) problems.push('end_time')
  // The email is sealed at rest: its blind index says whether it is the one expected.
  if (row.attendee_email_index !== blindIndex(want.attendeeEmail)) problems.push('attendee_email')
  if (want.rescheduledToUid && row.rescheduled_to_uid !== want.rescheduledToUid) problems.push('rescheduled_to_uid')
  if (want.rescheduledFromUid && row.rescheduled_from_uid !== want.rescheduledFromUid) problems.push('rescheduled_from_uid')
  return problems
}

/** Every booking of the storm in its exact final state, and no booking the storm did not make. */
export async function checkFinalStates(t: Assert, db: Kysely<Database>, storm: Storm, tokenEncryptionKey: string) {
  const ring = createTokenCipher(Buffer.from(tokenEncryptionKey, 'base64'))
  const rows = await db.selectFrom('bookings').selectAll().execute()
  const byUid = new Map(rows.map((r) => [r.uid, r as Record<string, any>]))
  const wrong: string[] = []
  for (const want of storm.expected) {
    const problems = differences(byUid.get(want.uid), want, (email) => ring.blindIndex(email))
    if (problems.length) wrong.push(`${want.uid}: ${problems.join(', ')}`)
  }
  t.equal(rows.length, storm.expected.length, `${storm.expected.length} booking rows, one per uid`)
  t.same(wrong.slice(0, 10), [], `every booking in its final state (${wrong.length} wrong)`)
}

/** One `webhook_deliveries` row per distinct delivery: duplicates and retries stored nowhere. */
export async function checkDeliveriesOnce(t: Assert, db: Kysely<Database>, storm: Storm) {
  const { rows } = await sql<{ trigger_event: string; booking_uid: string; n: number }>`
    select trigger_event, booking_uid, count(*)::int as n from webhook_deliveries
    group by trigger_event, booking_uid`.execute(db)
  const total = rows.reduce((sum, r) => sum + r.n, 0)
  const doubled = rows.filter((r) => r.n > 1).length
  const wanted = new Set(storm.deliveries.map((d) => d.key))
  const stored = new Set(rows.map((r) => `${r.trigger_event}:${r.booking_uid}`))
  const missing = [...wanted].filter((key) => !stored.has(key)).length
  t.equal(total, storm.distinct, `${storm.distinct} delivery rows for ${storm.deliveries.length} sends`)
  t.equal(doubled, 0, 'no delivery stored twice')
  t.equal(missing, 0, 'no delivery lost')
}
