import type { SandboxBooking, SandboxEventType, SandboxHost } from '../state.js'

/** One public embed event the page script posts to the embedding page (docs/calcom.md, "The embed"). */
export interface EmbedEvent { type: string; data: Record<string, unknown> }

/** The booking object Cal's booking API hands its booker (what `bookingSuccessful.data.booking` carries). */
function bookingObject(b: SandboxBooking, host: SandboxHost) {
  return {
    id: b.id,
    uid: b.uid,
    title: b.title,
    description: b.notes,
    startTime: b.startTime,
    endTime: b.endTime,
    status: b.status,
    eventTypeId: b.eventTypeId,
    userId: host.id,
    user: { id: host.id, name: host.name, email: host.email, username: host.username, timeZone: host.timeZone },
    userPrimaryEmail: host.email,
    attendees: [
      { name: b.attendee.name, email: b.attendee.email, timeZone: b.attendee.timeZone, locale: b.attendee.locale },
      ...b.guests.map((email) => ({ name: '', email, timeZone: b.attendee.timeZone, locale: b.attendee.locale })),
    ],
    responses: { name: b.attendee.name, email: b.attendee.email, notes: b.notes, guests: b.guests },
    metadata: { ...b.metadata, videoCallUrl: b.location },
    location: 'integrations:daily',
    iCalUID: b.iCalUID,
    fromReschedule: b.fromReschedule ?? null,
    paymentRequired: false,
    ...(b.cancellationReason !== undefined ? { cancellationReason: b.cancellationReason } : {}),
  }
}

function eventTypeObject(e: SandboxEventType) {
  return { id: e.id, slug: e.slug, title: e.title, length: e.length, description: e.description, requiresConfirmation: false, recurringEvent: null }
}

const organizer = (host: SandboxHost) => ({ name: host.name, email: host.email, timeZone: host.timeZone })

/**
 * What Cal's booker posts after a booking (useBookings.ts): the deprecated event first, then V2;
 * for a reschedule the `reschedule…` pair instead.
 */
export function bookingEvents(b: SandboxBooking, host: SandboxHost, eventType: SandboxEventType): EmbedEvent[] {
  const prefix = b.fromReschedule ? 'rescheduleBookingSuccessful' : 'bookingSuccessful'
  return [
    {
      type: prefix,
      data: {
        booking: bookingObject(b, host),
        eventType: eventTypeObject(eventType),
        date: b.startTime,
        duration: eventType.length,
        organizer: organizer(host),
        confirmed: true,
      },
    },
    {
      type: `${prefix}V2`,
      data: {
        uid: b.uid,
        title: b.title,
        startTime: b.startTime,
        endTime: b.endTime,
        eventTypeId: b.eventTypeId,
        status: b.status,
        paymentRequired: false,
        isRecurring: false,
        videoCallUrl: b.location,
      },
    },
  ]
}

export function cancelEvents(b: SandboxBooking, host: SandboxHost, eventType: SandboxEventType): EmbedEvent[] {
  return [{ type: 'bookingCancelled', data: { booking: bookingObject(b, host), organizer: organizer(host), eventType: eventTypeObject(eventType) } }]
}
