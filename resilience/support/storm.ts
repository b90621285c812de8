import { sign } from '../../server/webhooks/signature.js'
import type { Random } from './random.js'

/**
 * Cal.com webhook deliveries for booking chains, shaped like demo/test/calcom-examples/: each
 * booking is created, rescheduled (a new uid naming the old one) and the new booking cancelled.
 */

export interface Delivery {
  /** Which distinct delivery this is; duplicates share it. */
  key: string
  trigger: 'BOOKING_CREATED' | 'BOOKING_RESCHEDULED' | 'BOOKING_CANCELLED'
  uid: string
  body: string
  signature: string
  duplicate: boolean
}

export interface ExpectedBooking {
  uid: string
  /** `moved` for the original booking once rescheduled, `cancelled` for the cancelled one. */
  final: 'moved' | 'cancelled'
  startTime: string
  endTime: string
  attendeeEmail: string
  rescheduledToUid: string | null
  rescheduledFromUid: string | null
}

export interface Storm {
  deliveries: Delivery[]
  distinct: number
  expected: ExpectedBooking[]
  attendeeEmails: string[]
}

const HOSTS = [
  { id: 11, name: 'Pastor Zack Miller', email: 'zack@gracechurch.example', username: 'zack' },
  { id: 12, name: 'Maria Lopez', email: 'maria@gracechurch.example', username: 'maria' },
] as const
const EPOCH = Date.parse('2026-12-01T15:00:00.000Z')
const MINUTE = 60_000

function iso(ms: number) {
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}

function basePayload(host: (typeof HOSTS)[number], uid: string, bookingId: number, start: number, attendee: { name: string; email: string }, iCalUID: string, iCalSequence: number) {
  return {
    bookerUrl: 'https://app.cal.com',
    type: '30min',
    title: `30 minute meeting between ${host.name} and ${attendee.name}`,
    description: '',
    additionalNotes: '',
    customInputs: {},
    startTime: iso(start),
    endTime: iso(start + 30 * MINUTE),
    organizer: { id: host.id, name: host.name, email: host.email, username: host.username, timeZone: 'America/Chicago', language: { locale: 'en' }, timeFormat: 'h:mma', utcOffset: -360 },
    attendees: [{ email: attendee.email, name: attendee.name, firstName: attendee.name.split(' ')[0], lastName: attendee.name.split(' ').slice(1).join(' '), timeZone: 'America/New_York', language: { locale: 'en' }, utcOffset: -300 }],
    responses: {
      name: { label: 'your_name', value: attendee.name, isHidden: false },
      email: { label: 'email_address', value: attendee.email, isHidden: false },
    },
    userFieldsResponses: {},
    location: 'integrations:daily',
    destinationCalendar: null,
    iCalUID,
    iCalSequence,
    uid,
    bookingId,
    eventTypeId: 3000 + host.id,
    eventTitle: '30 minute meeting',
    eventDescription: '',
    requiresConfirmation: false,
    price: 0,
    currency: 'usd',
    length: 30,
    metadata: {},
  }
}

function envelope(trigger: Delivery['trigger'], createdAt: number, payload: object) {
  // Key order as Cal.com serializes it: triggerEvent, createdAt, payload.
  return JSON.stringify({ triggerEvent: trigger, createdAt: new Date(createdAt).toISOString(), payload })
}

/**
 * `bookings` chains plus `duplicateShare` of the deliveries sent a second time (half the exact
 * bytes again, half re-stamped `createdAt` as Cal.com does on a resend), all shuffled.
 */
export function buildStorm(random: Random, options: { bookings: number; duplicateShare: number; secret: string; runId: string }): Storm {
  const originals: Delivery[] = []
  const expected: ExpectedBooking[] = []
  const attendeeEmails: string[] = []
  const restamp: Map<string, () => string> = new Map()

  for (let i = 0; i < options.bookings; i++) {
    const host = HOSTS[i % HOSTS.length]!
    const attendee = { name: `Storm Visitor ${i}`, email: `visitor.${options.runId}.${i}@example.org` }
    attendeeEmails.push(attendee.email)
    const first = random.uid()
    const second = random.uid()
    const firstStart = EPOCH + i * 30 * MINUTE
    const secondStart = firstStart + 24 * 60 * MINUTE
    const iCalUID = `${first}@Cal.com`
    const createdAt = EPOCH - 30 * 24 * 60 * MINUTE + i * 10 * MINUTE

    const created = { ...basePayload(host, first, 100_000 + 2 * i, firstStart, attendee, iCalUID, 0), status: 'ACCEPTED' }
    const rescheduled = {
      ...basePayload(host, second, 100_001 + 2 * i, secondStart, attendee, iCalUID, 1),
      rescheduleId: 100_000 + 2 * i,
      rescheduleUid: first,
      rescheduleStartTime: iso(firstStart),
      rescheduleEndTime: iso(firstStart + 30 * MINUTE),
      rescheduledBy: attendee.email,
      status: 'ACCEPTED',
    }
    const cancelled = {
      ...basePayload(host, second, 100_001 + 2 * i, secondStart, attendee, iCalUID, 2),
      cancellationReason: 'Something came up',
      cancelledBy: attendee.email,
      requestReschedule: false,
      status: 'CANCELLED',
    }
    const steps = [
      ['BOOKING_CREATED', first, created, createdAt],
      ['BOOKING_RESCHEDULED', second, rescheduled, createdAt + 2 * MINUTE],
      ['BOOKING_CANCELLED', second, cancelled, createdAt + 4 * MINUTE],
    ] as const
    for (const [trigger, uid, payload, at] of steps) {
      const body = envelope(trigger, at, payload)
      const key = `${trigger}:${uid}`
      originals.push({ key, trigger, uid, body, signature: sign(options.secret, body), duplicate: false })
      // A resend a few seconds later: still before the chain's next event.
      restamp.set(key, () => envelope(trigger, at + 1000 + random.int(30_000), payload))
    }
    expected.push(
      { uid: first, final: 'moved', startTime: iso(firstStart), endTime: iso(firstStart + 30 * MINUTE), attendeeEmail: attendee.email, rescheduledToUid: second, rescheduledFromUid: null },
      { uid: second, final: 'cancelled', startTime: iso(secondStart), endTime: iso(secondStart + 30 * MINUTE), attendeeEmail: attendee.email, rescheduledToUid: null, rescheduledFromUid: first },
    )
  }

  const duplicates: Delivery[] = []
  for (const original of random.shuffle([...originals]).slice(0, Math.round(originals.length * options.duplicateShare))) {
    const body = random.next() < 0.5 ? original.body : restamp.get(original.key)!()
    duplicates.push({ ...original, body, signature: sign(options.secret, body), duplicate: true })
  }
  return { deliveries: random.shuffle([...originals, ...duplicates]), distinct: originals.length, expected, attendeeEmails }
}
