import type { BookingEvent, RescheduledAway } from '../bookings/bookings-repository.js'
import { TRIGGER_RANK } from '../bookings/event-order.js'
import type { ParsedDelivery } from './schemas.js'

/** The status a trigger puts a booking in; a payload's own status is used only where this says nothing. */
const TRIGGER_STATUS: Record<string, string> = {
  BOOKING_CREATED: 'ACCEPTED',
  BOOKING_RESCHEDULED: 'ACCEPTED',
  BOOKING_PAID: 'ACCEPTED',
  BOOKING_REQUESTED: 'PENDING',
  BOOKING_CANCELLED: 'CANCELLED',
  BOOKING_REJECTED: 'REJECTED',
}

type Person = { name?: string | null; email?: string | null; username?: string | null } | null | undefined

const orNull = (value: string | null | undefined) => (value === undefined || value === '' ? null : value)

/** The booker's notes: `additionalNotes`, else the `notes` booking-form answer. */
function notesOf(payload: Record<string, unknown>): string | null {
  if (typeof payload.additionalNotes === 'string' && payload.additionalNotes) return payload.additionalNotes
  const answer = (payload.responses as { notes?: { value?: unknown } } | undefined)?.notes?.value
  return typeof answer === 'string' && answer ? answer : null
}

/** The booking uid a delivery is about, whatever its shape; null for PING and uid-less triggers. */
export function bookingUidOf(parsed: ParsedDelivery): string | null {
  const body = parsed.body as Record<string, unknown>
  if (parsed.kind === 'ping') return null
  if (parsed.kind === 'meeting') return parsed.body.uid
  if (parsed.kind === 'booking') return parsed.body.payload.uid
  if (parsed.kind === 'no_show') return parsed.body.payload.bookingUid
  const payload = (body.payload ?? body) as Record<string, unknown>
  const uid = payload.uid ?? payload.bookingUid
  return typeof uid === 'string' && uid ? uid : null
}

function people(host: Person, attendees: Person[] | null | undefined) {
  const booker = attendees?.[0]
  return {
    hostUsername: orNull(host?.username), hostEmail: orNull(host?.email),
    attendeeName: orNull(booker?.name), attendeeEmail: orNull(booker?.email),
  }
}

/** A booking-family or MEETING_* delivery as the change it makes, plus the reschedule it reports, if any. */
export function toBookingEvent(
  parsed: Extract<ParsedDelivery, { kind: 'booking' | 'meeting' }>,
  receivedAt: Date,
): { event: BookingEvent; rescheduledAway: RescheduledAway | null } {
  const trigger = parsed.body.triggerEvent
  const base = { trigger, receivedAt }
  if (parsed.kind === 'meeting') {
    const b = parsed.body
    // MEETING_* carry the booking row, whose `createdAt` is the booking's, not the send time.
    const at = new Date(trigger === 'MEETING_ENDED' ? b.endTime : b.startTime)
    const event: BookingEvent = {
      ...base, uid: b.uid, status: (b.status ?? 'ACCEPTED').toUpperCase(),
      startTime: new Date(b.startTime), endTime: new Date(b.endTime),
      facts: { title: orNull(b.title), eventType: orNull(b.eventType?.slug), ...people(b.user, b.attendees), notes: orNull(b.description), rescheduledFromUid: orNull(b.fromReschedule) },
      order: { sequence: b.iCalSequence ?? null, rank: TRIGGER_RANK[trigger] ?? 0, at },
      payload: b,
    }
    return { event, rescheduledAway: null }
  }
  const p = parsed.body.payload
  const at = parsed.body.createdAt ? new Date(parsed.body.createdAt) : receivedAt
  const order = { sequence: p.iCalSequence ?? null, rank: TRIGGER_RANK[trigger] ?? 0, at }
  const event: BookingEvent = {
    ...base, uid: p.uid, status: TRIGGER_STATUS[trigger] ?? (p.status ?? 'PENDING').toUpperCase(),
    startTime: new Date(p.startTime), endTime: new Date(p.endTime),
    facts: { title: orNull(p.title), eventType: orNull(p.type), ...people(p.organizer, p.attendees), notes: notesOf(p), rescheduledFromUid: orNull(p.rescheduleUid) },
    order, payload: p,
  }
  // A reschedule needing confirmation arrives as BOOKING_REQUESTED: the old booking still stands then.
  const replacesOld = trigger === 'BOOKING_RESCHEDULED' && p.rescheduleUid && p.rescheduleUid !== p.uid
  const rescheduledAway = replacesOld ? {
    oldUid: p.rescheduleUid!, newUid: p.uid, order, payload: p, receivedAt,
    oldStart: p.rescheduleStartTime ? new Date(p.rescheduleStartTime) : null,
    oldEnd: p.rescheduleEndTime ? new Date(p.rescheduleEndTime) : null,
  } : null
  return { event, rescheduledAway }
}
