import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { recordAudit } from '../audit.js'
import { requireAdmin } from '../auth/admin-auth.js'
import { toAdminBooking } from '../bookings/list-bookings.js'
import { answersForBooking } from '../forms/responses-repository.js'
import { erasePerson } from '../privacy/erase-person.js'
import { unseal } from '../privacy/sealed.js'
import { calUserOf } from '../tokens/cal-users.js'

const Email = z.string().trim().min(3).max(320).refine((v) => v.includes('@'), 'expected an email address')

const EraseBody = z.object({ email: Email })
const EraseReply = z.object({
  erased: z.object({ bookings: z.number(), deliveries: z.number(), managedUsers: z.number() }),
  /** The keyed hash the audit log names the person by. */
  person: z.string(),
})

const ExportQuery = z.object({ email: Email })
const ExportReply = z.object({
  person: z.string(),
  exportedAt: z.string(),
  bookings: z.array(z.object({ booking: z.record(z.string(), z.unknown()), payload: z.unknown(), answers: z.unknown() })),
  /** The person's Cal.com managed user (a host or signed-in member), opened; never the tokens. */
  managedUsers: z.array(z.object({ email: z.string(), name: z.string(), calUserId: z.number(), calUsername: z.string().nullable(), createdAt: z.string() })),
})

/**
 * The people's rights over their data: erase everything held about one person, or export it.
 * The person is found by the blind index of the email; the email itself is neither stored nor
 * logged nor audited here.
 */
export const adminPeopleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/admin/people/erase', { preHandler: requireAdmin, schema: { tags: ['admin'], security: [{ adminKey: [] }], summary: 'Erase everything held about one person', body: EraseBody, response: { 200: EraseReply } } }, async (request) => {
    const { person, ...erased } = await erasePerson({
      db: app.db, ring: app.keyRing, clock: app.clock,
      deleteManagedUser: app.config.sandbox ? undefined : (id) => app.calClient.deleteManagedUser(id),
    }, request.body.email)
    return { erased, person }
  })

  // Every booking at once: one person holds a handful, and an export is one document.
  app.get('/admin/people/export', { preHandler: requireAdmin, schema: { tags: ['admin'], security: [{ adminKey: [] }], summary: 'Everything held about one person, decrypted', querystring: ExportQuery, response: { 200: ExportReply } } }, async (request) => {
    const person = app.keyRing.blindIndex(request.query.email)
    const rows = await app.db.selectFrom('bookings').selectAll().where('attendee_email_index', '=', person).orderBy('id').execute()
    const bookings = await Promise.all(rows.map(async (row) => {
      const payload = unseal(app.keyRing, row.last_payload)
      const answers = await answersForBooking(app.db, app.keyRing, row.uid)
      return { booking: toAdminBooking(app.keyRing, row), payload: payload === null ? null : JSON.parse(payload) as unknown, answers: answers ?? null }
    }))
    const users = await app.db.selectFrom('cal_users').select(['email', 'name', 'cal_user_id', 'cal_username', 'created_at'])
      .where(calUserOf(app.keyRing, request.query.email)).orderBy('id').execute()
    const managedUsers = users.map((u) => ({
      email: unseal(app.keyRing, u.email)!, name: unseal(app.keyRing, u.name)!, calUserId: u.cal_user_id,
      calUsername: unseal(app.keyRing, u.cal_username), createdAt: u.created_at.toISOString(),
    }))
    await recordAudit(app.db, { actor: 'admin', action: 'person.exported', subject: `person:${person}`, detail: { bookings: bookings.length, managedUsers: managedUsers.length } })
    return { person, exportedAt: app.clock.now().toISOString(), bookings, managedUsers }
  })
}
