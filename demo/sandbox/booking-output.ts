import type { SandboxBooking, SandboxEventType, SandboxHost } from './types.js'

/** BookingOutput_2024_08_13 (docs/connecting-cal-com.md, "The Cal.com facts this relies on"), field for field. */
export function bookingOutput(b: SandboxBooking, host: SandboxHost, eventType: SandboxEventType | undefined) {
  const responses: Record<string, unknown> = { name: b.attendee.name, email: b.attendee.email, guests: b.guests }
  if (b.notes) responses.notes = b.notes
  const { videoCallUrl: _video, ...metadata } = b.metadata
  return {
    id: b.id,
    uid: b.uid,
    title: b.title,
    description: b.notes,
    hosts: [{ id: host.id, name: host.name, email: host.email, displayEmail: host.email, username: host.username, timeZone: host.timeZone }],
    status: b.status === 'CANCELLED' ? 'cancelled' : 'accepted',
    ...(b.status === 'CANCELLED' && !b.rescheduled ? { cancellationReason: b.cancellationReason ?? '', ...(b.cancelledBy ? { cancelledByEmail: b.cancelledBy } : {}) } : {}),
    ...(b.rescheduleReason ? { reschedulingReason: b.rescheduleReason } : {}),
    ...(b.rescheduledBy ? { rescheduledByEmail: b.rescheduledBy } : {}),
    ...(b.fromReschedule ? { rescheduledFromUid: b.fromReschedule } : {}),
    ...(b.rescheduledTo ? { rescheduledToUid: b.rescheduledTo } : {}),
    start: b.startTime,
    end: b.endTime,
    duration: Math.round((Date.parse(b.endTime) - Date.parse(b.startTime)) / 60_000),
    eventTypeId: b.eventTypeId,
    eventType: { id: b.eventTypeId, slug: eventType?.slug ?? b.eventTypeSlug },
    meetingUrl: b.location,
    location: b.location,
    absentHost: false,
    createdAt: b.createdAt,
    // Never-updated bookings say null (the TS type allows it): a sweep on updatedAt misses them.
    updatedAt: b.updatedAt ?? null,
    metadata,
    icsUid: b.iCalUID,
    attendees: [{ name: b.attendee.name, email: b.attendee.email, displayEmail: b.attendee.email, timeZone: b.attendee.timeZone, language: b.attendee.locale, absent: false }],
    guests: b.guests,
    bookingFieldsResponses: responses,
  }
}

export type BookingStatusFilter = 'upcoming' | 'recurring' | 'past' | 'cancelled' | 'unconfirmed'

export interface BookingsFilter {
  status?: BookingStatusFilter[]
  attendeeEmail?: string
  attendeeName?: string
  bookingUid?: string
  eventTypeIds?: number[]
  eventTypeId?: number
  teamsIds?: number[]
  teamId?: number
  afterStart?: string
  beforeEnd?: string
  afterCreatedAt?: string
  beforeCreatedAt?: string
  afterUpdatedAt?: string
  beforeUpdatedAt?: string
  sortStart?: 'asc' | 'desc'
  sortEnd?: 'asc' | 'desc'
  sortCreated?: 'asc' | 'desc'
  sortUpdatedAt?: 'asc' | 'desc'
  take: number
  skip: number
}

const time = (iso: string) => Date.parse(iso)

function matchesStatus(b: SandboxBooking, statuses: BookingStatusFilter[], now: number): boolean {
  return statuses.some((s) => {
    if (s === 'cancelled') return b.status === 'CANCELLED'
    if (s === 'upcoming') return b.status !== 'CANCELLED' && time(b.endTime) >= now
    if (s === 'past') return b.status !== 'CANCELLED' && time(b.endTime) < now
    return false // the sandbox has no recurring or unconfirmed bookings
  })
}

/** GET /v2/bookings over one user's bookings: every filter, the sorts in order given, then skip/take. */
export function queryBookings(all: SandboxBooking[], f: BookingsFilter, now: number) {
  // Prisma's gte/lte on a null updatedAt is false: never-updated bookings drop out of these filters.
  const updated = (b: SandboxBooking) => (b.updatedAt ? time(b.updatedAt) : undefined)
  const matching = all.filter((b) =>
    (!f.status || matchesStatus(b, f.status, now)) &&
    (!f.attendeeEmail || b.attendee.email.toLowerCase() === f.attendeeEmail.toLowerCase()) &&
    (!f.attendeeName || b.attendee.name.toLowerCase().includes(f.attendeeName.toLowerCase())) &&
    (!f.bookingUid || b.uid === f.bookingUid) &&
    (!f.eventTypeIds || f.eventTypeIds.includes(b.eventTypeId)) &&
    (f.eventTypeId === undefined || b.eventTypeId === f.eventTypeId) &&
    // Seeded users belong to no team.
    (!f.teamsIds && f.teamId === undefined) &&
    (!f.afterStart || time(b.startTime) >= time(f.afterStart)) &&
    (!f.beforeEnd || time(b.endTime) <= time(f.beforeEnd)) &&
    (!f.afterCreatedAt || time(b.createdAt) >= time(f.afterCreatedAt)) &&
    (!f.beforeCreatedAt || time(b.createdAt) <= time(f.beforeCreatedAt)) &&
    (!f.afterUpdatedAt || (updated(b) ?? -Infinity) >= time(f.afterUpdatedAt)) &&
    (!f.beforeUpdatedAt || (updated(b) ?? Infinity) <= time(f.beforeUpdatedAt)))

  const sorts: [(b: SandboxBooking) => number, 'asc' | 'desc'][] = []
  if (f.sortStart) sorts.push([(b) => time(b.startTime), f.sortStart])
  if (f.sortEnd) sorts.push([(b) => time(b.endTime), f.sortEnd])
  if (f.sortCreated) sorts.push([(b) => time(b.createdAt), f.sortCreated])
  if (f.sortUpdatedAt) sorts.push([(b) => updated(b) ?? 0, f.sortUpdatedAt])
  // Ties (and no sort at all) fall back to the id, so pages never overlap.
  sorts.push([(b) => b.id, 'asc'])
  matching.sort((a, b) => {
    for (const [key, dir] of sorts) {
      const d = key(a) - key(b)
      if (d !== 0) return dir === 'asc' ? d : -d
    }
    return 0
  })
  const page = matching.slice(f.skip, f.skip + f.take)
  const totalItems = matching.length
  return {
    page,
    pagination: {
      totalItems,
      remainingItems: Math.max(0, totalItems - (f.skip + f.take)),
      returnedItems: page.length,
      itemsPerPage: f.take,
      currentPage: Math.floor(f.skip / f.take) + 1,
      totalPages: Math.ceil(totalItems / f.take),
      hasNextPage: f.skip + f.take < totalItems,
      hasPreviousPage: f.skip > 0,
    },
  }
}
