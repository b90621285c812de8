import { type Kysely, sql } from 'kysely'
import type { Database } from '../../db/schema.js'
import type { BookingEvent } from '../bookings/bookings-repository.js'

export interface FirstEventInput {
  key: string
  rawBody: string
  event: BookingEvent
}

/** `applied`: stored and audited. `duplicate`: the key was taken. `not_first`: nothing written; use the transactional path. */
export type FirstEventResult = { status: 'applied'; deliveryId: number } | { status: 'duplicate' } | { status: 'not_first' }

const UNIQUE_VIOLATION = '23505'

/**
 * The common case, the first event of a booking nobody is waiting on, in one call (atomic on its
 * own, one round trip): the delivery row, the booking row and the audit row, written by the
 * database function `webhook_record_first_event` (migration 2026-11-24T11-40), whose plans Postgres
 * keeps. It writes nothing when the booking exists, a successor names it, or a no-show waits for
 * it; a concurrent first insert of the same uid makes the call fail whole, and the caller takes the
 * transactional path.
 */
export async function recordFirstEvent(db: Kysely<Database>, { key, rawBody, event: e }: FirstEventInput): Promise<FirstEventResult> {
  const f = e.facts
  try {
    const { rows } = await sql<{ first: boolean; delivery_id: number | null }>`
      select first, delivery_id from webhook_record_first_event(
        ${key}, ${e.trigger}, ${e.uid}, ${rawBody}, ${e.status}, ${f.title}, ${f.eventType}, ${e.startTime}, ${e.endTime},
        ${f.hostUsername}, ${f.hostEmail}, ${f.attendeeName}, ${f.attendeeEmail}, ${f.notes}, ${f.rescheduledFromUid},
        ${e.order.at}, ${e.order.sequence}, ${e.order.rank}, ${JSON.stringify(e.payload)}::jsonb, ${e.receivedAt})`.execute(db)
    const row = rows[0]
    if (!row?.first) return { status: 'not_first' }
    return row.delivery_id === null ? { status: 'duplicate' } : { status: 'applied', deliveryId: row.delivery_id }
  } catch (err) {
    if ((err as { code?: unknown }).code === UNIQUE_VIOLATION) return { status: 'not_first' }
    throw err
  }
}
