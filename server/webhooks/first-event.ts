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
 * The common case, the first event of a booking nobody is waiting on, in one statement (atomic on
 * its own, one round trip): the delivery row, the booking row and the audit row. It writes nothing
 * when the booking exists, a successor names it, or a no-show waits for it; a concurrent first
 * insert of the same uid makes the statement fail whole, and the caller takes the slow path.
 */
export async function recordFirstEvent(db: Kysely<Database>, { key, rawBody, event: e }: FirstEventInput): Promise<FirstEventResult> {
  const f = e.facts
  try {
    const { rows } = await sql<{ first: boolean; delivery_id: number | null }>`
      with fresh as (
        select not exists (select 1 from bookings where uid = ${e.uid} or rescheduled_from_uid = ${e.uid})
           and not exists (select 1 from webhook_deliveries where booking_uid = ${e.uid} and outcome = 'deferred') as first
      ), delivery as (
        insert into webhook_deliveries (delivery_key, trigger_event, booking_uid, raw_body, outcome)
        select ${key}::text, ${e.trigger}::text, ${e.uid}::text, ${rawBody}::text, 'created' from fresh where first
        on conflict (delivery_key) do nothing
        returning id
      ), booking as (
        insert into bookings (uid, status, title, event_type, start_time, end_time, host_username, host_email,
          attendee_name, attendee_email, notes, rescheduled_from_uid, last_trigger, last_event_at, last_sequence,
          last_rank, last_payload, updated_at)
        select ${e.uid}::text, ${e.status}::text, ${f.title}::text, ${f.eventType}::text, ${e.startTime}::timestamptz,
          ${e.endTime}::timestamptz, ${f.hostUsername}::text, ${f.hostEmail}::text, ${f.attendeeName}::text,
          ${f.attendeeEmail}::text, ${f.notes}::text, ${f.rescheduledFromUid}::text, ${e.trigger}::text,
          ${e.order.at}::timestamptz, ${e.order.sequence}::int, ${e.order.rank}::int, ${JSON.stringify(e.payload)}::jsonb,
          ${e.receivedAt}::timestamptz
        from delivery
        returning id
      ), audit as (
        insert into audit_log (actor, action, subject, detail)
        select 'cal.com', 'webhook.accepted', ${`booking:${e.uid}`}::text,
          jsonb_build_object('trigger', ${e.trigger}::text, 'outcome', 'created', 'deliveryId', delivery.id)
        from delivery
        returning id
      )
      select (select first from fresh) as first, (select id from delivery) as delivery_id`.execute(db)
    const row = rows[0]
    if (!row?.first) return { status: 'not_first' }
    return row.delivery_id === null ? { status: 'duplicate' } : { status: 'applied', deliveryId: row.delivery_id }
  } catch (err) {
    if ((err as { code?: unknown }).code === UNIQUE_VIOLATION) return { status: 'not_first' }
    throw err
  }
}
