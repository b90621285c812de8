import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { type BookingsFilter, bookingOutput, queryBookings } from '../booking-output.js'
import type { SandboxState } from '../state.js'
import { CalHttpError } from './cal-errors.js'
import { requireUser, userOf } from './user-auth.js'

const STATUSES = ['upcoming', 'recurring', 'past', 'cancelled', 'unconfirmed'] as const
// Strict ISO 8601 (class-validator's IsISO8601({strict: true})): a date, or a date-time with an offset or Z.
const iso = z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/, 'must be a valid ISO 8601 date string')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a valid ISO 8601 date string')
const sort = z.enum(['asc', 'desc'])
const numbers = z.string().transform((s) => s.split(',').map(Number)).refine((a) => a.length >= 1 && a.every(Number.isFinite), 'must be a comma list of numbers')

const Query = z.object({
  status: z.string().optional().superRefine((s, ctx) => {
    if (s === undefined) return
    if (s.trim() === '') ctx.addIssue({ code: 'custom', message: 'status cannot be empty.' })
    else if (!s.split(',').every((v) => (STATUSES as readonly string[]).includes(v.trim()))) ctx.addIssue({ code: 'custom', message: 'Invalid status. Allowed are upcoming, recurring, past, cancelled, unconfirmed' })
  }),
  attendeeEmail: z.string().transform((s) => s.trim().replace(/\s+/g, '+')).optional(),
  attendeeName: z.string().optional(),
  bookingUid: z.string().optional(),
  eventTypeIds: numbers.optional(),
  eventTypeId: z.coerce.number().int().optional(),
  teamsIds: numbers.optional(),
  teamId: z.coerce.number().int().optional(),
  afterStart: iso.optional(),
  beforeEnd: iso.optional(),
  afterCreatedAt: iso.optional(),
  beforeCreatedAt: iso.optional(),
  afterUpdatedAt: iso.optional(),
  beforeUpdatedAt: iso.optional(),
  sortStart: sort.optional(),
  sortEnd: sort.optional(),
  sortCreated: sort.optional(),
  sortUpdatedAt: sort.optional(),
  take: z.coerce.number().int().min(1).max(250).default(100),
  skip: z.coerce.number().int().min(0).default(0),
})

/** GET /v2/bookings and /v2/bookings/:uid (cal-api-version 2024-08-13, docs/connecting-cal-com.md, "The Cal.com facts this relies on"). */
export const bookingRoutes: FastifyPluginAsyncZod<{ state: SandboxState }> = async (app, { state }) => {
  const output = (uid: string) => {
    const b = state.getBooking(uid)!
    const host = state.findHost(b.hostUsername)!
    return bookingOutput(b, host, state.findEventType(host.username, b.eventTypeSlug))
  }

  app.get('/v2/bookings', { schema: { querystring: Query } }, async (request) => {
    const host = requireUser(state, request)
    const { status, ...rest } = request.query
    const filter = { ...rest, ...(status ? { status: status.split(',').map((s) => s.trim()) } : {}) } as BookingsFilter
    const { page, pagination } = queryBookings(state.allBookingsOf(host.username), filter, state.clock.now().getTime())
    if (request.headers['cal-api-version'] !== '2024-08-13') {
      // Routed as 2024-04-15: the older controller's shape, which a 2024-08-13 reader cannot parse.
      return { status: 'success', data: { bookings: page.map((b) => ({ id: b.id, uid: b.uid, startTime: b.startTime, endTime: b.endTime, status: b.status })), recurringInfo: [], nextCursor: null } }
    }
    return { status: 'success', data: page.map((b) => output(b.uid)), pagination }
  })

  app.get('/v2/bookings/:bookingUid', { schema: { params: z.object({ bookingUid: z.string() }) } }, async (request) => {
    userOf(state, request) // optional auth: a bad credential is still refused
    const uid = request.params.bookingUid
    if (!state.getBooking(uid)) throw new CalHttpError(404, `Booking with uid=${uid} was not found in the database`)
    return { status: 'success', data: output(uid) }
  })
}
