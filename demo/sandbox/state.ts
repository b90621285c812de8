import { type Clock, systemClock } from '../../server/clock.js'
import { Accounts, RateLimiter } from './accounts.js'
import { CalHttpError } from './api/cal-errors.js'
import { DeliveryDrops } from './delivery-drops.js'
import { freeSlots, overlaps, withinHours } from './availability.js'
import { Faults } from './faults.js'
import { shortUid } from './identity.js'
import { ManagedUsers } from './managed-users.js'
import { seededHosts } from './seed.js'
import { readSnapshot, writeSnapshot } from './snapshot-file.js'
import type { CreateBookingInput, SandboxBooking, SandboxEventType, SandboxHost } from './types.js'
import { UserWebhooks } from './user-webhooks.js'
import { WebhookSubscriptions } from './webhook-subscriptions.js'
import { bookingPayload, deliverWebhook, noShowPayload, pingPayload, type BookingTrigger, type DeliveryRecord, type Subscriber } from './webhooks.js'

export { CalHttpError }
export type * from './types.js'

export interface SandboxStateOptions {
  /** The Platform OAuth client (default: the sandbox's development client). */
  clientId?: string | undefined
  clientSecret?: string | undefined
  /** Secret the default subscribers' deliveries are signed with. */
  webhookSecret?: string | undefined
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

/** A clock tests (or POST _control/clock) can move, on top of whatever clock was handed in. */
export class SandboxClock implements Clock {
  offsetMs = 0
  constructor(readonly base: Clock) {}
  now() { return new Date(this.base.now().getTime() + this.offsetMs) }
  advance(ms: number) { this.offsetMs += ms }
}

const DEFAULT_TARGET_TRIGGERS = ['BOOKING_CREATED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED', 'BOOKING_NO_SHOW_UPDATED']

/**
 * Everything the offline Cal.com knows: the seeded hosts and their bookings, managed users and their
 * tokens (`users`), OAuth-client webhooks (`webhooks`), faults and time.
 */
export class SandboxState {
  readonly clientId: string
  readonly clientSecret: string
  readonly webhookSecret: string | undefined
  readonly webhookTargets: string[]
  readonly baseUrl: string
  readonly clock: SandboxClock
  readonly faults = new Faults()
  readonly hosts: SandboxHost[] = seededHosts()
  readonly users: ManagedUsers
  readonly webhooks: WebhookSubscriptions
  /** The seeded users' API keys and OAuth tokens. */
  readonly accounts: Accounts
  readonly rateLimiter = new RateLimiter()
  /** Webhooks users made with their own credentials (/v2/webhooks). */
  readonly userWebhooks: UserWebhooks
  /** Deliveries lost on purpose (_control/webhook-drops). */
  readonly drops = new DeliveryDrops()
  /** The last deliveries made (newest last, at most 200), for tests and for looking into a demo. */
  readonly deliveries: DeliveryRecord[] = []
  readonly #dataFile: string | undefined
  readonly #deliveryWaitMs: number
  #bookingSeq = 70000
  #bookings = new Map<string, SandboxBooking>()
  #inFlight = new AbortController()

  constructor(options: SandboxStateOptions) {
    this.clientId = options.clientId ?? 'sandbox-client'
    this.clientSecret = options.clientSecret ?? 'sandbox-secret'
    this.webhookSecret = options.webhookSecret
    this.webhookTargets = options.webhookTargets ?? []
    this.baseUrl = (options.baseUrl ?? 'http://127.0.0.1/sandbox/cal').replace(/\/+$/, '')
    this.clock = options.clock instanceof SandboxClock ? options.clock : new SandboxClock(options.clock ?? systemClock)
    this.#dataFile = options.dataFile
    this.#deliveryWaitMs = options.deliveryWaitMs ?? 5000
    this.users = new ManagedUsers(this.clientId, this.clock, () => this.#save())
    this.webhooks = new WebhookSubscriptions(this.clientId, () => this.#save())
    this.accounts = new Accounts(this.hosts)
    this.userWebhooks = new UserWebhooks(() => this.#save())
    this.#load()
  }

  findHost(username: string): SandboxHost | undefined {
    return this.hosts.find((h) => h.username === username)
  }

  findEventType(username: string, slug: string): SandboxEventType | undefined {
    return this.findHost(username)?.eventTypes.find((e) => e.slug === slug)
  }

  /** Bookable start times (ISO) between `from` and `to`: free, not in the past, inside the host's hours. */
  availableSlots(username: string, slug: string, range: { from: Date; to: Date }): string[] {
    const host = this.findHost(username)
    const eventType = this.findEventType(username, slug)
    if (!host || !eventType) return []
    return freeSlots(host, eventType, [...this.#bookings.values()], { ...range, now: this.clock.now() })
  }

  bookingsFor(username: string): SandboxBooking[] {
    return [...this.#bookings.values()].filter((b) => b.hostUsername === username).sort((a, b) => a.startTime.localeCompare(b.startTime))
  }

  /** Every booking of a user, cancelled and rescheduled ones included, in creation order. */
  allBookingsOf(username: string): SandboxBooking[] {
    return [...this.#bookings.values()].filter((b) => b.hostUsername === username)
  }

  getBooking(uid: string): SandboxBooking | undefined {
    return this.#bookings.get(uid)
  }

  /**
   * Books a slot as Cal.com's booking page would, then sends BOOKING_CREATED, or BOOKING_RESCHEDULED
   * when `rescheduleUid` is given (a new booking; the old one becomes CANCELLED + rescheduled, with no
   * BOOKING_CANCELLED of its own: contract §4.6). Throws CalHttpError 400/404/409 when it cannot.
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
    if (!withinHours(host, start, end)) throw new CalHttpError(400, 'no_available_users_found_error')

    let old: SandboxBooking | undefined
    if (input.rescheduleUid !== undefined) {
      old = this.#bookings.get(input.rescheduleUid)
      if (!old) throw new CalHttpError(404, `Booking with uid ${input.rescheduleUid} not found.`)
      if (old.status === 'CANCELLED') throw new CalHttpError(400, 'Cannot reschedule a cancelled booking.')
    }
    if (overlaps(this.#bookings.values(), host.username, start, end, old?.uid)) throw new CalHttpError(409, 'booking_time_out_of_bounds_error')

    const uid = shortUid()
    const booking: SandboxBooking = {
      id: ++this.#bookingSeq,
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
      old.updatedAt = this.clock.now().toISOString()
    }
    this.#bookings.set(uid, booking)
    this.#save()
    await this.#sendBooking(old ? 'BOOKING_RESCHEDULED' : 'BOOKING_CREATED', booking, host, old)
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
    booking.updatedAt = this.clock.now().toISOString()
    this.#save()
    await this.#sendBooking('BOOKING_CANCELLED', booking, this.findHost(booking.hostUsername)!)
    return booking
  }

  /** The host marks the booker (or a guest) as a no-show: BOOKING_NO_SHOW_UPDATED to every subscriber. */
  async markNoShow(uid: string, email: string, noShow = true): Promise<SandboxBooking> {
    const booking = this.#bookings.get(uid)
    if (!booking) throw new CalHttpError(404, `Booking with uid ${uid} not found.`)
    await this.#deliverAll('BOOKING_NO_SHOW_UPDATED', noShowPayload(booking, [{ email, noShow }]), this.findHost(booking.hostUsername)?.id)
    return booking
  }

  /** What the "Ping test" button sends: to one URL, signed with the secret given (none → no-secret-provided). */
  async ping(subscriber: Subscriber): Promise<DeliveryRecord> {
    const now = this.clock.now()
    const record = await deliverWebhook({ subscriber, trigger: 'PING', payload: pingPayload(now), createdAt: now, signal: this.#inFlight.signal })
    this.#record(record)
    return record
  }

  /**
   * Where an event goes: the default targets (signed with webhookSecret), the OAuth client's
   * webhooks, then the webhooks the booking's own user made.
   */
  subscribersFor(trigger: string, userId?: number): Subscriber[] {
    const defaults = DEFAULT_TARGET_TRIGGERS.includes(trigger) ? this.webhookTargets.map((url) => ({ url, secret: this.webhookSecret })) : []
    const own = userId === undefined ? [] : this.userWebhooks.for(userId, trigger)
    return [...defaults, ...[...this.webhooks.for(trigger), ...own].map((w) => ({ url: w.subscriberUrl, secret: w.secret }))]
  }

  /** Abandons webhook deliveries in flight and ends hung fault connections; the state stays usable. */
  close() {
    this.#inFlight.abort()
    this.#inFlight = new AbortController()
    this.faults.releaseHung()
  }

  async #sendBooking(trigger: BookingTrigger, booking: SandboxBooking, host: SandboxHost, old?: SandboxBooking) {
    const eventType = this.findEventType(host.username, booking.eventTypeSlug)!
    await this.#deliverAll(trigger, bookingPayload({ trigger, booking, host, eventType, baseUrl: this.baseUrl, ...(old ? { old } : {}) }), host.id)
  }

  /** One request per subscriber, in parallel, never retried; waits for them at most deliveryWaitMs. */
  async #deliverAll(trigger: string, payload: unknown, userId?: number) {
    const deliveries = this.subscribersFor(trigger, userId).map((subscriber) => {
      if (this.drops.take()) {
        // Lost as a failed first attempt is: Cal.com never retries.
        this.#record({ url: subscriber.url, trigger, body: '', headers: {}, error: 'dropped by _control/webhook-drops' })
        return Promise.resolve()
      }
      return deliverWebhook({ subscriber, trigger, payload, createdAt: this.clock.now(), signal: this.#inFlight.signal }).then((r) => this.#record(r))
    })
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.allSettled(deliveries),
      new Promise((resolve) => { timer = setTimeout(resolve, this.#deliveryWaitMs) }),
    ])
    clearTimeout(timer)
  }

  #record(record: DeliveryRecord) {
    this.deliveries.push(record)
    if (this.deliveries.length > 200) this.deliveries.shift()
  }

  #load() {
    const saved = this.#dataFile ? readSnapshot(this.#dataFile) : undefined
    // State saved for another OAuth client belongs to another "Cal.com account": start afresh.
    if (!saved || saved.clientId !== this.clientId) return
    this.users.restore(saved.managedUsers)
    this.webhooks.restore(saved.webhooks)
    this.userWebhooks.restore(saved.userWebhooks)
    this.#bookingSeq = saved.bookingSeq
    this.#bookings = new Map(saved.bookings.map((b) => [b.uid, b]))
  }

  #save() {
    if (!this.#dataFile) return
    writeSnapshot(this.#dataFile, {
      version: 1,
      clientId: this.clientId,
      managedUsers: this.users.snapshot(),
      bookingSeq: this.#bookingSeq,
      bookings: [...this.#bookings.values()],
      webhooks: this.webhooks.snapshot(),
      userWebhooks: this.userWebhooks.snapshot(),
    })
  }
}
