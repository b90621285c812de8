import { isLoopback } from '../../server/config.js'
import { sign } from '../../server/webhooks/signature.js'
import type { SandboxBooking, SandboxEventType, SandboxHost } from './types.js'
import { calTime, utcOffsetMinutes } from './time.js'

export type BookingTrigger = 'BOOKING_CREATED' | 'BOOKING_RESCHEDULED' | 'BOOKING_CANCELLED'

export const WEBHOOK_VERSION = '2021-10-20'
/** What Cal.com puts in X-Cal-Signature-256 when the webhook has no secret. */
export const NO_SECRET = 'no-secret-provided'

export interface Subscriber { url: string; secret?: string | undefined }

export interface DeliveryRecord {
  url: string
  trigger: string
  body: string
  headers: Record<string, string>
  /** The receiver's status (a 3xx counts as final), or undefined when the request failed. */
  status?: number
  error?: string
}

const splitName = (name: string) => {
  const [first = '', ...rest] = name.trim().split(/\s+/)
  return { firstName: first, lastName: rest.join(' ') }
}

const field = (label: string, value: unknown) => ({ label, value, isHidden: false })

/** The v2021-10-20 booking payload (BookingPayloadBuilder + RegularBookingService's webhookData), contract §4.5. */
export function bookingPayload(o: {
  trigger: BookingTrigger
  booking: SandboxBooking
  host: SandboxHost
  eventType: SandboxEventType
  baseUrl: string
  old?: SandboxBooking
}): Record<string, unknown> {
  const { trigger, booking: b, host, eventType, baseUrl, old } = o
  const start = new Date(b.startTime)
  const language = { locale: b.attendee.locale }
  const attendees = [
    { email: b.attendee.email, name: b.attendee.name, ...splitName(b.attendee.name), timeZone: b.attendee.timeZone, language, utcOffset: utcOffsetMinutes(b.attendee.timeZone, start) },
    ...b.guests.map((email) => ({ email, name: '', firstName: '', lastName: '', timeZone: b.attendee.timeZone, language, utcOffset: utcOffsetMinutes(b.attendee.timeZone, start) })),
  ]
  const responses: Record<string, unknown> = {
    name: field('your_name', b.attendee.name),
    email: field('email_address', b.attendee.email),
    location: field('location', { value: 'integrations:daily', optionValue: '' }),
    notes: field('additional_notes', b.notes),
    guests: field('additional_guests', b.guests),
  }
  if (trigger === 'BOOKING_RESCHEDULED' && b.rescheduleReason) responses.rescheduleReason = field('reason_for_reschedule', b.rescheduleReason)

  const payload: Record<string, unknown> = {
    bookerUrl: baseUrl,
    type: eventType.slug,
    title: b.title,
    description: b.notes,
    additionalNotes: b.notes,
    customInputs: {},
    startTime: calTime(start),
    endTime: calTime(new Date(b.endTime)),
    organizer: {
      id: host.id,
      name: host.name,
      email: host.email,
      username: host.username,
      timeZone: host.timeZone,
      language: { locale: host.locale },
      timeFormat: host.timeFormat === 24 ? 'H:mm' : 'h:mma',
      utcOffset: utcOffsetMinutes(host.timeZone, start),
    },
    attendees,
    responses,
    userFieldsResponses: {},
    location: b.location,
    destinationCalendar: null,
    iCalUID: b.iCalUID,
    iCalSequence: b.iCalSequence,
    uid: b.uid,
    bookingId: b.id,
    eventTypeId: eventType.id,
    eventTitle: eventType.title,
    eventDescription: eventType.description,
    requiresConfirmation: false,
    price: 0,
    currency: 'usd',
    length: eventType.length,
  }
  if (trigger === 'BOOKING_RESCHEDULED' && old) {
    Object.assign(payload, {
      rescheduleId: old.id,
      rescheduleUid: old.uid,
      rescheduleStartTime: calTime(new Date(old.startTime)),
      rescheduleEndTime: calTime(new Date(old.endTime)),
      ...(b.rescheduledBy ? { rescheduledBy: b.rescheduledBy } : {}),
    })
  }
  if (trigger === 'BOOKING_CANCELLED') {
    Object.assign(payload, { cancellationReason: b.cancellationReason ?? '', cancelledBy: b.cancelledBy, requestReschedule: false })
  } else {
    payload.metadata = { videoCallUrl: b.location, ...b.metadata }
  }
  payload.status = trigger === 'BOOKING_CANCELLED' ? 'CANCELLED' : 'ACCEPTED'
  return payload
}

/** BOOKING_NO_SHOW_UPDATED has its own small payload (contract §4.5). */
export function noShowPayload(booking: SandboxBooking, attendees: { email: string; noShow: boolean }[]) {
  const marked = attendees.filter((a) => a.noShow).map((a) => a.email)
  return {
    message: marked.length ? `${marked.join(', ')} marked as no-show` : 'No-show status updated',
    attendees,
    bookingUid: booking.uid,
    bookingId: booking.id,
  }
}

/** The fixed dummy payload of the "Ping test" button in Cal.com's webhook settings (testTrigger.handler.ts). */
export function pingPayload(now: Date) {
  const person = (name: string, email: string) => ({ name, email, timeZone: 'Europe/London', language: { locale: 'en' }, utcOffset: utcOffsetMinutes('Europe/London', now) })
  return {
    type: 'Test',
    title: 'Test trigger event',
    description: '',
    startTime: now.toISOString(),
    endTime: now.toISOString(),
    attendees: [(({ name, email, ...rest }) => ({ email, name, ...rest }))(person('John Doe', 'jdoe@example.com'))],
    organizer: person('Cal', 'no-reply@cal.com'),
  }
}

/**
 * What a delivery to another machine records instead of being sent. The sandbox's client secret is
 * public and its `_control` routes unauthenticated, so anyone who reaches it could register a
 * subscriber and have signed posts sent anywhere: it delivers to this machine only.
 */
export const LOOPBACK_ONLY = 'not sent: the sandbox delivers webhooks to loopback addresses only (127.0.0.1, ::1, localhost)'

function loopbackUrl(url: string): boolean {
  try { return isLoopback(new URL(url).hostname) } catch { return false }
}

/**
 * One POST as Cal.com's sendPayload makes it: compact JSON in `triggerEvent, createdAt, payload` order,
 * signed over those exact bytes, redirects not followed, never retried (a failure is only recorded).
 */
export async function deliverWebhook(o: {
  subscriber: Subscriber
  trigger: string
  payload: unknown
  createdAt: Date
  signal?: AbortSignal
}): Promise<DeliveryRecord> {
  const body = JSON.stringify({ triggerEvent: o.trigger, createdAt: o.createdAt.toISOString(), payload: o.payload })
  const headers = {
    'Content-Type': 'application/json',
    'X-Cal-Signature-256': o.subscriber.secret ? sign(o.subscriber.secret, body) : NO_SECRET,
    'X-Cal-Webhook-Version': WEBHOOK_VERSION,
  }
  const record: DeliveryRecord = { url: o.subscriber.url, trigger: o.trigger, body, headers }
  if (!loopbackUrl(o.subscriber.url)) {
    record.error = LOOPBACK_ONLY
    return record
  }
  try {
    const response = await fetch(o.subscriber.url, { method: 'POST', headers, body, redirect: 'manual', ...(o.signal ? { signal: o.signal } : {}) })
    record.status = response.status
    await response.body?.cancel()
  } catch (error) {
    record.error = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)
  }
  return record
}
