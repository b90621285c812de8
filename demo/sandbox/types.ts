/** The sandbox's records. Shapes that go on the wire follow docs/calcom.md and demo/test/calcom-examples/ field for field. */

export interface SandboxEventType { id: number; slug: string; title: string; length: number; description: string }

/** Bookable weekdays (0 = Sunday) and hours (minutes after local midnight), in the host's own time zone. */
export interface WeeklyAvailability { days: number[]; startMinute: number; endMinute: number }

/** A regular Cal.com user with a public booking page (managed users have none). */
export interface SandboxHost {
  id: number
  username: string
  name: string
  email: string
  bio: string
  timeZone: string
  locale: string
  timeFormat: 12 | 24
  eventTypes: SandboxEventType[]
  availability: WeeklyAvailability
}

export interface SandboxAttendee { name: string; email: string; timeZone: string; locale: string }

export interface SandboxBooking {
  id: number
  uid: string
  hostUsername: string
  eventTypeSlug: string
  eventTypeId: number
  title: string
  /** ISO instants (UTC). */
  startTime: string
  endTime: string
  status: 'ACCEPTED' | 'CANCELLED'
  attendee: SandboxAttendee
  guests: string[]
  notes: string
  metadata: Record<string, string>
  /** The Cal Video link, also `metadata.videoCallUrl` in webhooks. */
  location: string
  iCalUID: string
  iCalSequence: number
  createdAt: string
  /** Set by a cancel or a reschedule; absent (null on the wire) while never updated. */
  updatedAt?: string | null
  /** Uid of the booking this one replaced. */
  fromReschedule?: string
  /** True on a booking that a reschedule replaced (its status is then CANCELLED). */
  rescheduled?: boolean
  rescheduledTo?: string
  rescheduledBy?: string
  rescheduleReason?: string
  cancellationReason?: string
  cancelledBy?: string
}

export interface CreateBookingInput {
  hostUsername: string
  eventTypeSlug: string
  start: Date
  attendee: { name: string; email: string; timeZone?: string; locale?: string }
  guests?: string[]
  notes?: string
  metadata?: Record<string, string>
  rescheduleUid?: string
  rescheduledBy?: string
  rescheduleReason?: string
}

/** ManagedUserOutput (contract §2.3). */
export interface ManagedUser {
  id: number
  email: string
  username: string | null
  name: string | null
  bio: string | null
  timeZone: string
  weekStart: string
  createdDate: string
  timeFormat: number | null
  defaultScheduleId: number | null
  locale?: string
  avatarUrl: string | null
  metadata: Record<string, string | number | boolean>
}

export interface CreateManagedUserInput {
  email: string
  name: string
  timeFormat?: number
  weekStart?: string
  timeZone?: string | null
  locale?: string
  avatarUrl?: string
  bio?: string
  metadata?: Record<string, string | number | boolean>
}

export type UpdateManagedUserInput = Partial<CreateManagedUserInput> & { defaultScheduleId?: number }

/** KeysResponseDto; the expiry times are ms since the epoch. */
export interface TokenPair { accessToken: string; accessTokenExpiresAt: number; refreshToken: string; refreshTokenExpiresAt: number }

export type AccessCheck = { ok: true; user: ManagedUser } | { ok: false; reason: 'unknown' | 'expired' }

/** OAuthClientWebhookOutputDto (contract §4.7). */
export interface OAuthClientWebhook {
  id: string
  oAuthClientId: string
  subscriberUrl: string
  triggers: string[]
  active: boolean
  payloadTemplate: string | null
  secret?: string
}
