import { sql, type Kysely } from 'kysely'
import type { BookingRow, Database } from '../../db/schema.js'
import { type ApplyResult, applyBookingEvent, type BookingEvent, markRescheduled } from '../bookings/bookings-repository.js'
import { TRIGGER_RANK } from '../bookings/event-order.js'
import type { BookingV2 } from '../cal/v2-schemas.js'
import type { Sealer } from '../privacy/sealed.js'
import { linkResponse } from '../forms/link-response.js'

export interface PageCounts { created: number; updated: number; unchanged: number }

const STATUS: Record<string, string> = { accepted: 'ACCEPTED', cancelled: 'CANCELLED', pending: 'PENDING', rejected: 'REJECTED' }
/** The trigger that would have put a booking in this state, for the event order (a cancel outranks a create). */
const TRIGGER: Record<string, string> = { ACCEPTED: 'BOOKING_CREATED', CANCELLED: 'BOOKING_CANCELLED', PENDING: 'BOOKING_REQUESTED', REJECTED: 'BOOKING_REJECTED' }

/** What Cal.com says a booking is now, in our columns' terms; the old booking of a reschedule is RESCHEDULED. */
export function desiredState(b: BookingV2) {
  const rescheduledAway = b.status === 'cancelled' && b.rescheduledToUid && b.rescheduledToUid !== b.uid
  return {
    status: rescheduledAway ? 'RESCHEDULED' : (STATUS[b.status] ?? b.status.toUpperCase()),
    start: new Date(b.start),
    end: new Date(b.end),
    rescheduledToUid: rescheduledAway ? b.rescheduledToUid! : null,
  }
}

function sameAs(row: BookingRow, b: BookingV2): boolean {
  const d = desiredState(b)
  // A row the webhook path made from a reschedule alone knows nothing but its times: not the same yet.
  if (row.host_username === null && b.hosts[0]?.username) return false
  return row.status === d.status && new Date(row.start_time).getTime() === d.start.getTime() && new Date(row.end_time).getTime() === d.end.getTime() &&
    (d.rescheduledToUid === null || row.rescheduled_to_uid === d.rescheduledToUid)
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null)

/** A listed booking as the event a webhook would have been: same write path, same ordering rules. */
export function toEvent(b: BookingV2, receivedAt: Date): BookingEvent {
  const d = desiredState(b)
  const trigger = b.rescheduledFromUid && d.status === 'ACCEPTED' ? 'BOOKING_RESCHEDULED' : (TRIGGER[d.status] ?? 'BOOKING_CREATED')
  const host = b.hosts[0]
  const booker = b.attendees[0]
  return {
    uid: b.uid, trigger, status: d.status === 'RESCHEDULED' ? 'CANCELLED' : d.status, startTime: d.start, endTime: d.end, receivedAt,
    facts: {
      title: text(b.title), eventType: text(b.eventType?.slug), hostUsername: text(host?.username), hostEmail: text(host?.email),
      attendeeName: text(booker?.name), attendeeEmail: text(booker?.email), notes: text(b.bookingFieldsResponses?.notes) ?? text(b.description),
      rescheduledFromUid: text(b.rescheduledFromUid),
    },
    // No iCalSequence in the v2 booking: the trigger's rank, then Cal.com's own last change time.
    order: { sequence: null, rank: TRIGGER_RANK[trigger] ?? 0, at: new Date(b.updatedAt ?? b.createdAt) },
    payload: b,
  }
}

/**
 * Applies one page of listed bookings: those already stored as Cal.com has them are left alone
 * (`unchanged`, no write), the rest go through the webhooks' idempotent, order-tolerant write path
 * in one transaction, rows locked in uid order like a delivery's. A sweep that read a booking
 * before a webhook changed it loses to that webhook (`stale`), and is counted unchanged.
 */
export async function applyPage(db: Kysely<Database>, ring: Sealer, bookings: BookingV2[], receivedAt: Date): Promise<PageCounts> {
  const counts: PageCounts = { created: 0, updated: 0, unchanged: 0 }
  if (!bookings.length) return counts
  const uids = bookings.map((b) => b.uid)
  const stored = new Map((await db.selectFrom('bookings').selectAll().where(sql<boolean>`uid = any(${uids}::text[])`).execute()).map((r) => [r.uid, r]))
  const changed = bookings.filter((b) => {
    const row = stored.get(b.uid)
    if (row && sameAs(row, b)) { counts.unchanged++; return false }
    return true
  }).sort((a, b) => (a.uid < b.uid ? -1 : 1))
  if (!changed.length) return counts
  const results = await db.transaction().execute(async (trx) => {
    const out: ApplyResult[] = []
    for (const b of changed) {
      const event = toEvent(b, receivedAt)
      const d = desiredState(b)
      if (d.status === 'RESCHEDULED') {
        const r = await markRescheduled(trx, ring, { oldUid: b.uid, newUid: d.rescheduledToUid!, oldStart: d.start, oldEnd: d.end, order: event.order, payload: b, receivedAt })
        // The old booking of a reschedule may be stored without its facts (made from its successor's
        // webhook): fill the missing ones as a late create would, never changing its state.
        await applyBookingEvent(trx, ring, { ...event, order: { ...event.order, rank: 0 } })
        out.push(r === 'deferred' ? 'stale' : r)
      } else {
        out.push(await applyBookingEvent(trx, ring, event))
      }
    }
    return out
  })
  // A lost webhook also lost the tie to the visitor's answers: the listed booking carries it too.
  for (const b of changed) {
    if (b.metadata) await linkResponse(db, { uid: b.uid, metadata: b.metadata, rescheduleUid: b.rescheduledFromUid ?? undefined }, receivedAt)
  }
  for (const r of results) {
    if (r === 'created') counts.created++
    else if (r === 'updated') counts.updated++
    else counts.unchanged++
  }
  return counts
}
