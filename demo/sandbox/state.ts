import { randomBytes, randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { type Clock, systemClock } from '../../server/clock.js'
import { CalHttpError } from './api/cal-errors.js'
import { Faults } from './faults.js'
import { managedEmail, managedUsername, shortUid } from './identity.js'
import { seededHosts } from './seed.js'
import { localParts, zonedTimeToUtc } from './time.js'
import { accessTokenExpiry, mintToken, refreshTokenExpiry, type TokenType } from './tokens.js'
import { bookingPayload, deliverWebhook, type BookingTrigger, type DeliveryRecord, type Subscriber } from './webhooks.js'

export { CalHttpError }

export interface SandboxEventType { id: number; slug: string; title: string; length: number; description: string }

/** Bookable weekdays (0 = Sunday) and hours, in the host's own time zone. */
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
  /** Uid of the booking this one replaced. */
  fromReschedule?: string
  /** True on a booking that was replaced by a reschedule (its status is CANCELLED). */
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

export interface TokenPair { accessToken: string; accessTokenExpiresAt: number; refreshToken: string; refreshTokenExpiresAt: number }

interface StoredToken { type: TokenType; userId: number; expiresAt: number }

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

export type AccessCheck = { ok: true; user: ManagedUser } | { ok: false; reason: 'unknown' | 'expired' }

export interface SandboxStateOptions {
  clientId: string
  clientSecret: string
  /** Secret the default subscribers' deliveries are signed with. */
  webhookSecret?: string
  /** Default subscribers: every booking event goes to each of these URLs. */
  webhookTargets?: string[]
  /** Public URL of the mount, e.g. http://127.0.0.1:3000/sandbox/cal (used in links inside webhooks). */
  baseUrl?: string
  clock?: Clock
  /** JSON file the state is loaded from at start and saved to after every change. */
  dataFile?: string
  /** How long createBooking waits for webhook deliveries before it resolves anyway (default 5 s). */
  deliveryWaitMs?: number
}

/** A clock tests (or POST _control/clock) can move forward, on top of whatever clock was handed in. */
export class SandboxClock implements Clock {
  offsetMs = 0
  constructor(readonly base: Clock) {}
  now() { return new Date(this.base.now().getTime() + this.offsetMs) }
  advance(ms: number) { this.offsetMs += ms }
}

interface Persisted {
  version: 1
  clientId: string
  jwtSecret: string
  seq: { user: number; booking: number; schedule: number }
  users: ManagedUser[]
  tokens: [string, StoredToken][]
  bookings: SandboxBooking[]
  webhooks: OAuthClientWebhook[]
}

const BOOKING_TRIGGERS = ['BOOKING_CREATED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED']

/** Everything the offline Cal.com knows: hosts, managed users, tokens, bookings, webhooks, faults, time. */
export class SandboxState {
  readonly clientId: string
  readonly clientSecret: string
  readonly webhookSecret: string | undefined
  readonly webhookTargets: string[]
  readonly baseUrl: string
  readonly clock: SandboxClock
  readonly faults = new Faults()
  readonly hosts: SandboxHost[] = seededHosts()
  /** The last deliveries made (newest last, at most 200), for tests and for looking into a demo. */
  readonly deliveries: DeliveryRecord[] = []
  readonly #dataFile: string | undefined
  readonly #deliveryWaitMs: number
  #jwtSecret = randomBytes(32).toString('base64url')
  #seq = { user: 5000, booking: 70000, schedule: 9000 }
  #users = new Map<number, ManagedUser>()
  #tokens = new Map<string, StoredToken>()
  #bookings = new Map<string, SandboxBooking>()
  #webhooks = new Map<string, OAuthClientWebhook>()
  #inFlight = new AbortController()

  constructor(options: SandboxStateOptions) {
    this.clientId = options.clientId
    this.clientSecret = options.clientSecret
    this.webhookSecret = options.webhookSecret
    this.webhookTargets = options.webhookTargets ?? []
    this.baseUrl = (options.baseUrl ?? 'http://127.0.0.1/sandbox/cal').replace(/\/+$/, '')
    this.clock = options.clock instanceof SandboxClock ? options.clock : new SandboxClock(options.clock ?? systemClock)
    this.#dataFile = options.dataFile
    this.#deliveryWaitMs = options.deliveryWaitMs ?? 5000
    this.#load()
  }

  // ---- hosts and booking pages -------------------------------------------------------------

  findHost(username: string): SandboxHost | undefined {
    return this.hosts.find((h) => h.username === username)
  }

  findEventType(username: string, slug: string): SandboxEventType | undefined {
    return this.findHost(username)?.eventTypes.find((e) => e.slug === slug)
  }

  /** Start times (ISO) bookable for that event type between `from` and `to`: free, in the future, inside the host's hours. */
  availableSlots(username: string, slug: string, range: { from: Date; to: Date }): string[] {
    const host = this.findHost(username)
    const eventType = this.findEventType(username, slug)
    if (!host || !eventType) return []
    const now = this.clock.now().getTime()
    const slots: string[] = []
    const first = localParts(host.timeZone, range.from)
    for (let d = 0; ; d++) {
      const noon = zonedTimeToUtc(host.timeZone, first.year, first.month, first.day + d, 12 * 60)
      if (noon.getTime() - 12 * 3600_000 > range.to.getTime()) break
      const day = localParts(host.timeZone, noon)
      if (!host.availability.days.includes(day.weekday)) continue
      for (let m = host.availability.startMinute; m + eventType.length <= host.availability.endMinute; m += eventType.length) {
        const start = zonedTimeToUtc(host.timeZone, day.year, day.month, day.day, m)
        const t = start.getTime()
        if (t < range.from.getTime() || t >= range.to.getTime() || t < now) continue
        if (this.#overlapping(host.username, start, new Date(t + eventType.length * 60_000))) continue
        slots.push(start.toISOString())
      }
    }
    return slots
  }

  bookingsFor(username: string): SandboxBooking[] {
    return [...this.#bookings.values()].filter((b) => b.hostUsername === username).sort((a, b) => a.startTime.localeCompare(b.startTime))
  }

  getBooking(uid: string): SandboxBooking | undefined {
    return this.#bookings.get(uid)
  }

  /**
   * Books a slot as Cal.com's booking page would, then sends BOOKING_CREATED (or BOOKING_RESCHEDULED
   * when `rescheduleUid` is given) to every subscriber. Throws CalHttpError (400, 404, 409) when the
   * slot cannot be booked.
   */
  async createBooking(input: CreateBookingInput): Promise<SandboxBooking> {
    const host = this.findHost(input.hostUsername)
    const eventType = this.findEventType(input.hostUsername, input.eventTypeSlug)
    if (!host || !eventType) throw new CalHttpError(404, `No event type ${input.hostUsername}/${input.eventTypeSlug}.`)
    const start = new Date(input.start)
    if (Number.isNaN(start.getTime())) throw new CalHttpError(400, 'The start time is not a valid date.')
    const end = new Date(start.getTime() + eventType.length * 60_000)
    if (!input.attendee.name.trim() || !/^[^@\s]+@[^@\s]+$/.test(input.attendee.email)) {
      throw new CalHttpError(400, 'The attendee needs a name and a valid email address.')
    }
    if (start.getTime() < this.clock.now().getTime()) throw new CalHttpError(400, 'Attempting to book a meeting in the past.')
    if (!this.#withinHours(host, start, end)) throw new CalHttpError(400, 'no_available_users_found_error')

    let old: SandboxBooking | undefined
    if (input.rescheduleUid !== undefined) {
      old = this.#bookings.get(input.rescheduleUid)
      if (!old) throw new CalHttpError(404, `Booking with uid ${input.rescheduleUid} not found.`)
      if (old.status === 'CANCELLED') throw new CalHttpError(400, 'Cannot reschedule a cancelled booking.')
    }
    if (this.#overlapping(host.username, start, end, old?.uid)) throw new CalHttpError(409, 'booking_time_out_of_bounds_error')

    const uid = shortUid()
    const booking: SandboxBooking = {
      id: ++this.#seq.booking,
      uid,
      hostUsername: host.username,
      eventTypeSlug: eventType.slug,
      eventTypeId: eventType.id,
      title: `${eventType.title} between ${host.name} and ${input.attendee.name}`,
      startTime: start.toISOString(),
      endTime: end.toISOString(),
      status: 'ACCEPTED',
      attendee: {
        name: input.attendee.name,
        email: input.attendee.email,
        timeZone: input.attendee.timeZone ?? host.timeZone,
        locale: input.attendee.locale ?? 'en',
      },
      guests: input.guests ?? [],
      notes: input.notes ?? '',
      metadata: input.metadata ?? {},
      location: `${this.baseUrl}/video/${uid}`,
      iCalUID: old ? old.iCalUID : `${uid}@Cal.com`,
      iCalSequence: old ? old.iCalSequence + 1 : 0,
      createdAt: this.clock.now().toISOString(),
    }
    if (old) {
      booking.fromReschedule = old.uid
      if (input.rescheduledBy) booking.rescheduledBy = input.rescheduledBy
      if (input.rescheduleReason) booking.rescheduleReason = input.rescheduleReason
      old.status = 'CANCELLED'
      old.rescheduled = true
      old.rescheduledTo = uid
    }
    this.#bookings.set(uid, booking)
    this.#save()
    await this.#send(old ? 'BOOKING_RESCHEDULED' : 'BOOKING_CREATED', booking, host, old)
    return booking
  }

  /** Cancels as the booker would on Cal.com's cancel page, then sends BOOKING_CANCELLED. */
  async cancelBooking(uid: string, options: { reason?: string; cancelledBy?: string } = {}): Promise<SandboxBooking> {
    const booking = this.#bookings.get(uid)
    if (!booking) throw new CalHttpError(404, `Booking with uid ${uid} not found.`)
    if (booking.status === 'CANCELLED') throw new CalHttpError(400, 'This booking has already been cancelled.')
    booking.status = 'CANCELLED'
    booking.iCalSequence += 1
    booking.cancellationReason = options.reason ?? ''
    booking.cancelledBy = options.cancelledBy ?? booking.attendee.email
    this.#save()
    await this.#send('BOOKING_CANCELLED', booking, this.findHost(booking.hostUsername)!)
    return booking
  }

  // ---- managed users and tokens ------------------------------------------------------------

  listManagedUsers(query: { emails?: string[]; limit?: number; offset?: number } = {}): ManagedUser[] {
    let users = [...this.#users.values()]
    if (query.emails?.length) {
      const wanted = new Set(query.emails.map((e) => managedEmail(e, this.clientId).toLowerCase()))
      users = users.filter((u) => wanted.has(u.email.toLowerCase()))
    }
    const offset = query.offset ?? 0
    return users.slice(offset, offset + (query.limit ?? 50))
  }

  getManagedUser(id: number): ManagedUser | undefined {
    return this.#users.get(id)
  }

  /** 201 semantics: a new user and its first token pair; 409 CalHttpError when the email is taken for this client. */
  createManagedUser(input: CreateManagedUserInput): { user: ManagedUser; tokens: TokenPair } {
    const email = managedEmail(input.email, this.clientId)
    const existing = [...this.#users.values()].find((u) => u.email.toLowerCase() === email.toLowerCase())
    if (existing) throw new CalHttpError(409, `User with the provided e-mail already exists. Existing user ID=${existing.id}`)
    const timeZone = input.timeZone ?? undefined
    const user: ManagedUser = {
      id: ++this.#seq.user,
      email,
      username: managedUsername(input.email, this.clientId),
      name: input.name,
      bio: input.bio ?? null,
      timeZone: timeZone ?? 'Europe/London',
      weekStart: input.weekStart ?? 'Sunday',
      createdDate: this.clock.now().toISOString(),
      timeFormat: input.timeFormat ?? 12,
      // A default Mon–Fri schedule exists only when a time zone was given (contract §2.3).
      defaultScheduleId: timeZone ? ++this.#seq.schedule : null,
      locale: input.locale ?? 'en',
      avatarUrl: input.avatarUrl ?? null,
      metadata: input.metadata ?? {},
    }
    this.#users.set(user.id, user)
    const tokens = this.#issueTokens(user.id, false)
    this.#save()
    return { user, tokens }
  }

  updateManagedUser(id: number, patch: UpdateManagedUserInput): ManagedUser | undefined {
    const user = this.#users.get(id)
    if (!user) return undefined
    const { email, timeZone, ...rest } = patch
    for (const [key, value] of Object.entries(rest)) if (value !== undefined) (user as any)[key] = value
    if (timeZone) user.timeZone = timeZone
    if (email !== undefined) {
      user.email = managedEmail(email, this.clientId)
      user.username = managedUsername(email, this.clientId)
    }
    this.#save()
    return user
  }

  deleteManagedUser(id: number): ManagedUser | undefined {
    const user = this.#users.get(id)
    if (!user) return undefined
    this.#users.delete(id)
    for (const [token, stored] of this.#tokens) if (stored.userId === id) this.#tokens.delete(token)
    this.#save()
    return user
  }

  /** Revokes every token of the user and issues a fresh pair (tokens.repository.ts#forceRefreshOAuthTokens). */
  forceRefreshTokens(id: number): TokenPair | undefined {
    if (!this.#users.has(id)) return undefined
    for (const [token, stored] of this.#tokens) if (stored.userId === id) this.#tokens.delete(token)
    const tokens = this.#issueTokens(id, false)
    this.#save()
    return tokens
  }

  /**
   * Rotation: the presented refresh token is consumed and a new pair issued; undefined when it is
   * unknown, already used or expired. Older access tokens stay valid until they expire.
   */
  refreshTokens(refreshToken: string): TokenPair | undefined {
    const stored = this.#tokens.get(refreshToken)
    const now = this.clock.now().getTime()
    if (!stored || stored.type !== 'refresh_token' || stored.expiresAt <= now || !this.#users.has(stored.userId)) return undefined
    this.#tokens.delete(refreshToken)
    for (const [token, t] of this.#tokens) if (t.type === 'access_token' && t.expiresAt <= now) this.#tokens.delete(token)
    const tokens = this.#issueTokens(stored.userId, true)
    this.#save()
    return tokens
  }

  /** Looks the access token up as Cal.com does: unknown → 401, past its stored expiry → 498. */
  checkAccessToken(accessToken: string): AccessCheck {
    const stored = this.#tokens.get(accessToken)
    const user = stored && stored.type === 'access_token' ? this.#users.get(stored.userId) : undefined
    if (!stored || !user) return { ok: false, reason: 'unknown' }
    if (stored.expiresAt <= this.clock.now().getTime()) return { ok: false, reason: 'expired' }
    return { ok: true, user }
  }

  #issueTokens(userId: number, fromRefresh: boolean): TokenPair {
    const now = this.clock.now()
    const accessTokenExpiresAt = accessTokenExpiry(now)
    const refreshTokenExpiresAt = refreshTokenExpiry(now)
    const common = { clientId: this.clientId, ownerId: userId, now, ...(fromRefresh ? { userId } : {}) }
    const accessToken = mintToken(this.#jwtSecret, { type: 'access_token', expiresAt: accessTokenExpiresAt, ...common })
    const refreshToken = mintToken(this.#jwtSecret, { type: 'refresh_token', expiresAt: refreshTokenExpiresAt, ...common })
    this.#tokens.set(accessToken, { type: 'access_token', userId, expiresAt: accessTokenExpiresAt })
    this.#tokens.set(refreshToken, { type: 'refresh_token', userId, expiresAt: refreshTokenExpiresAt })
    return { accessToken, accessTokenExpiresAt, refreshToken, refreshTokenExpiresAt }
  }

  // ---- OAuth-client webhooks ---------------------------------------------------------------

  listWebhooks(range: { take?: number; skip?: number } = {}): OAuthClientWebhook[] {
    const skip = range.skip ?? 0
    return [...this.#webhooks.values()].slice(skip, skip + (range.take ?? 250))
  }

  getWebhook(id: string): OAuthClientWebhook | undefined {
    return this.#webhooks.get(id)
  }

  createWebhook(input: { subscriberUrl: string; triggers: string[]; active: boolean; secret?: string; payloadTemplate?: string }): OAuthClientWebhook {
    const webhook: OAuthClientWebhook = {
      id: randomUUID(),
      oAuthClientId: this.clientId,
      subscriberUrl: input.subscriberUrl,
      triggers: input.triggers,
      active: input.active,
      payloadTemplate: input.payloadTemplate ?? null,
      ...(input.secret !== undefined ? { secret: input.secret } : {}),
    }
    this.#webhooks.set(webhook.id, webhook)
    this.#save()
    return webhook
  }

  updateWebhook(id: string, patch: Partial<Omit<OAuthClientWebhook, 'id' | 'oAuthClientId'>>): OAuthClientWebhook | undefined {
    const webhook = this.#webhooks.get(id)
    if (!webhook) return undefined
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) (webhook as any)[key] = value
    this.#save()
    return webhook
  }

  deleteWebhook(id: string): OAuthClientWebhook | undefined {
    const webhook = this.#webhooks.get(id)
    if (webhook) { this.#webhooks.delete(id); this.#save() }
    return webhook
  }

  deleteAllWebhooks(): number {
    const n = this.#webhooks.size
    this.#webhooks.clear()
    this.#save()
    return n
  }

  /** Every URL a booking event goes to: the default targets, then active registered webhooks for that trigger. */
  subscribersFor(trigger: string): Subscriber[] {
    const defaults = BOOKING_TRIGGERS.includes(trigger)
      ? this.webhookTargets.map((url) => ({ url, secret: this.webhookSecret }))
      : []
    const registered = [...this.#webhooks.values()]
      .filter((w) => w.active && w.triggers.includes(trigger))
      .map((w) => ({ url: w.subscriberUrl, secret: w.secret }))
    return [...defaults, ...registered]
  }

  /** Abandons webhook deliveries in flight and ends hung fault connections; the state stays usable. */
  close() {
    this.#inFlight.abort()
    this.#inFlight = new AbortController()
    this.faults.releaseHung()
  }

  // ---- internals ---------------------------------------------------------------------------

  #withinHours(host: SandboxHost, start: Date, end: Date): boolean {
    const s = localParts(host.timeZone, start)
    const e = localParts(host.timeZone, new Date(end.getTime() - 1))
    return s.day === e.day && host.availability.days.includes(s.weekday)
      && s.minuteOfDay >= host.availability.startMinute && e.minuteOfDay < host.availability.endMinute
  }

  #overlapping(username: string, start: Date, end: Date, exceptUid?: string): boolean {
    return [...this.#bookings.values()].some((b) => b.hostUsername === username && b.status === 'ACCEPTED' && b.uid !== exceptUid
      && Date.parse(b.startTime) < end.getTime() && Date.parse(b.endTime) > start.getTime())
  }

  async #send(trigger: BookingTrigger, booking: SandboxBooking, host: SandboxHost, old?: SandboxBooking) {
    const eventType = this.findEventType(host.username, booking.eventTypeSlug)!
    const payload = bookingPayload({ trigger, booking, host, eventType, baseUrl: this.baseUrl, ...(old ? { old } : {}) })
    const deliveries = this.subscribersFor(trigger).map((subscriber) =>
      deliverWebhook({ subscriber, trigger, payload, createdAt: this.clock.now(), signal: this.#inFlight.signal }).then((record) => {
        this.deliveries.push(record)
        if (this.deliveries.length > 200) this.deliveries.shift()
      }))
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.allSettled(deliveries),
      new Promise((resolve) => { timer = setTimeout(resolve, this.#deliveryWaitMs) }),
    ])
    clearTimeout(timer)
  }

  #load() {
    if (!this.#dataFile) return
    let data: Persisted
    try {
      data = JSON.parse(readFileSync(this.#dataFile, 'utf8')) as Persisted
    } catch {
      return
    }
    // State saved for another OAuth client belongs to another "Cal.com account": start afresh.
    if (data.version !== 1 || data.clientId !== this.clientId) return
    this.#jwtSecret = data.jwtSecret
    this.#seq = data.seq
    this.#users = new Map(data.users.map((u) => [u.id, u]))
    this.#tokens = new Map(data.tokens)
    this.#bookings = new Map(data.bookings.map((b) => [b.uid, b]))
    this.#webhooks = new Map(data.webhooks.map((w) => [w.id, w]))
  }

  #save() {
    if (!this.#dataFile) return
    const data: Persisted = {
      version: 1,
      clientId: this.clientId,
      jwtSecret: this.#jwtSecret,
      seq: this.#seq,
      users: [...this.#users.values()],
      tokens: [...this.#tokens],
      bookings: [...this.#bookings.values()],
      webhooks: [...this.#webhooks.values()],
    }
    mkdirSync(dirname(this.#dataFile), { recursive: true })
    const tmp = `${this.#dataFile}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(data))
    renameSync(tmp, this.#dataFile)
  }
}
