import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { recordAudit } from '../audit.js'
import { requireAdmin } from '../auth/admin-auth.js'
import { toAdminBooking } from '../bookings/list-bookings.js'
import { AppError } from '../errors.js'
import { answersForBooking } from '../forms/responses-repository.js'
import { AdminBooking } from './admin-bookings.js'

const Answers = z.object({
  responseId: z.string(),
  form: z.string(),
  version: z.number(),
  lang: z.string(),
  answeredAt: z.string(),
  answers: z.array(z.object({
    question: z.string(), label: z.string(), type: z.string(), sensitive: z.boolean(),
    value: z.union([z.string(), z.array(z.string()), z.boolean()]),
  })),
})

/** GET /admin/bookings/:uid: one booking with the questionnaire answers tied to it, decrypted. */
export const adminBookingDetailRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/admin/bookings/:uid', {
    preHandler: requireAdmin,
    schema: { tags: ['admin'], security: [{ adminKey: [] }], summary: 'One booking with its questionnaire answers, decrypted', params: z.object({ uid: z.string().min(1).max(200) }), response: { 200: AdminBooking.extend({ answers: Answers.nullable() }) } },
  }, async (request) => {
    const { uid } = request.params
    const row = await app.db.selectFrom('bookings').selectAll().where('uid', '=', uid).executeTakeFirst()
    if (!row) throw new AppError(404, 'booking_not_found', `No booking "${uid}" has arrived by webhook yet.`)
    const answers = await answersForBooking(app.db, app.keyRing, uid)
    // Pastoral answers leave the database only here, so each read is on the record.
    await recordAudit(app.db, { actor: 'admin', action: 'booking.read', subject: `booking:${uid}`, detail: { answers: answers !== undefined } })
    return { ...toAdminBooking(app.keyRing, row), answers: answers ?? null }
  })
}
