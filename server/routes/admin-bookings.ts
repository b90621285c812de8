import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { recordAudit } from '../audit.js'
import { requireAdmin } from '../auth/admin-auth.js'
import { listBookings, toAdminBooking } from '../bookings/list-bookings.js'
import { ErrorReply } from '../errors.js'
import { bookingsWithAnswers } from '../forms/responses-repository.js'
import { decodeCursor, PageQuery, toPage } from './page-cursor.js'

export const BOOKING_STATUSES = ['ACCEPTED', 'PENDING', 'CANCELLED', 'REJECTED', 'RESCHEDULED'] as const

const time = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date or date-time').transform((s) => new Date(s))

const Query = z.object({
  ...PageQuery,
  status: z.string().trim().toUpperCase().pipe(z.enum(BOOKING_STATUSES)).optional(),
  host: z.string().trim().min(1).optional(),
  /** An attendee's email, looked up by its blind index. */
  attendee: z.string().trim().min(3).max(320).optional(),
  from: time.optional(),
  to: time.optional(),
})

const nullableText = z.string().nullable()
export const AdminBooking = z.object({
  uid: z.string(),
  status: z.string(),
  title: nullableText,
  eventType: nullableText,
  startTime: z.string(),
  endTime: z.string(),
  host: z.object({ username: nullableText, email: nullableText }),
  attendee: z.object({ name: nullableText, email: nullableText }),
  notes: nullableText,
  noShow: z.boolean().nullable(),
  rescheduledFromUid: nullableText,
  rescheduledToUid: nullableText,
  lastTrigger: z.string(),
  lastEventAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** When retention or an erasure emptied its personal fields. */
  erasedAt: z.string().nullable(),
})

const Reply = z.object({ bookings: z.array(AdminBooking.extend({ hasAnswers: z.boolean() })), nextCursor: z.string().nullable() })

/** GET /admin/bookings: newest first, filtered by status, host username and start time [from, to). */
export const adminBookingRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/admin/bookings', { preHandler: requireAdmin, schema: { tags: ['admin'], summary: 'Bookings, newest first', security: [{ adminKey: [] }], querystring: Query, response: { 200: Reply, 400: ErrorReply, 401: ErrorReply, 429: ErrorReply } } }, async (request) => {
    const { limit, cursor, status, host, attendee, from, to } = request.query
    const attendeeIndex = attendee ? app.keyRing.blindIndex(attendee) : undefined
    const rows = await listBookings(app.db, { status, host, attendeeIndex, from, to, beforeId: cursor ? decodeCursor(cursor) : undefined, limit: limit + 1 })
    const page = toPage(rows, limit)
    // Attendee emails and notes leave the database only here, so each read is on the record (the
    // person asked about as a keyed hash, never the address).
    await recordAudit(app.db, { actor: 'admin', action: 'bookings.listed', detail: { count: page.items.length, status, host, attendee: attendeeIndex, from, to } })
    const answered = await bookingsWithAnswers(app.db, page.items.map((b) => b.uid))
    return { bookings: page.items.map((row) => ({ ...toAdminBooking(app.keyRing, row), hasAnswers: answered.has(row.uid) })), nextCursor: page.nextCursor }
  })
}
