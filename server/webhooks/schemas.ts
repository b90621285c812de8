import { z } from 'zod'

/**
 * What Cal.com sends, per trigger (docs/calcom.md, "Webhooks"). Only the fields we use are checked;
 * everything else passes through untouched so `last_payload` keeps what Cal.com said. Older,
 * minimal payloads are accepted as long as the booking uid and times are there.
 */
const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date-time')
const text = z.string().nullish()

const Person = z.looseObject({ name: text, email: text, username: text })

/** The booking payload family: CREATED, REQUESTED, RESCHEDULED, CANCELLED, REJECTED, PAID, PAYMENT_INITIATED. */
export const BookingPayload = z.looseObject({
  uid: z.string().min(1),
  startTime: isoTime,
  endTime: isoTime,
  status: text,
  title: text,
  type: text,
  organizer: Person.nullish(),
  attendees: z.array(Person).nullish(),
  additionalNotes: text,
  iCalSequence: z.number().int().nullish(),
  rescheduleUid: text,
  rescheduleStartTime: isoTime.nullish(),
  rescheduleEndTime: isoTime.nullish(),
})
export type BookingPayload = z.infer<typeof BookingPayload>

export const BOOKING_TRIGGERS = [
  'BOOKING_CREATED', 'BOOKING_REQUESTED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED',
  'BOOKING_REJECTED', 'BOOKING_PAID', 'BOOKING_PAYMENT_INITIATED',
] as const
export const MEETING_TRIGGERS = ['MEETING_STARTED', 'MEETING_ENDED'] as const

const createdAt = isoTime.optional()

export const BookingDelivery = z.looseObject({ triggerEvent: z.enum(BOOKING_TRIGGERS), createdAt, payload: BookingPayload })

/** MEETING_STARTED / MEETING_ENDED: the booking row itself at the root, no `payload` wrapper. */
export const MeetingDelivery = z.looseObject({
  triggerEvent: z.enum(MEETING_TRIGGERS),
  uid: z.string().min(1),
  startTime: isoTime,
  endTime: isoTime,
  status: text,
  title: text,
  description: text,
  user: Person.nullish(),
  attendees: z.array(Person).nullish(),
  eventType: z.looseObject({ slug: text }).nullish(),
  iCalSequence: z.number().int().nullish(),
  fromReschedule: text,
})

export const NoShowDelivery = z.looseObject({
  triggerEvent: z.literal('BOOKING_NO_SHOW_UPDATED'),
  createdAt,
  payload: z.looseObject({
    bookingUid: z.string().min(1),
    attendees: z.array(z.looseObject({ noShow: z.boolean() })),
  }),
})

/** Anything else with a trigger name: stored and acknowledged, never applied. */
export const OtherDelivery = z.looseObject({
  triggerEvent: z.string().min(1, 'expected a trigger name'),
  createdAt: z.unknown().optional(),
  payload: z.record(z.string(), z.unknown()).optional(),
})

export type ParsedDelivery =
  | { kind: 'booking'; body: z.infer<typeof BookingDelivery> }
  | { kind: 'meeting'; body: z.infer<typeof MeetingDelivery> }
  | { kind: 'no_show'; body: z.infer<typeof NoShowDelivery> }
  | { kind: 'ping'; body: z.infer<typeof OtherDelivery> }
  | { kind: 'unknown'; body: z.infer<typeof OtherDelivery> }

const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T => list.includes(value as T)

/** Checks a parsed JSON body against its trigger's schema; throws ZodError with field paths. */
export function parseDelivery(body: unknown): ParsedDelivery {
  const trigger = OtherDelivery.parse(body).triggerEvent
  if (isOneOf(BOOKING_TRIGGERS, trigger)) return { kind: 'booking', body: BookingDelivery.parse(body) }
  if (isOneOf(MEETING_TRIGGERS, trigger)) return { kind: 'meeting', body: MeetingDelivery.parse(body) }
  if (trigger === 'BOOKING_NO_SHOW_UPDATED') return { kind: 'no_show', body: NoShowDelivery.parse(body) }
  return trigger === 'PING' ? { kind: 'ping', body: OtherDelivery.parse(body) } : { kind: 'unknown', body: OtherDelivery.parse(body) }
}
