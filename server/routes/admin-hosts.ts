import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { recordAudit } from '../audit.js'
import { requireAdmin } from '../auth/admin-auth.js'
import { ErrorReply } from '../errors.js'
import { upsertHost } from '../hosts/hosts-repository.js'
import { CalLink, CalOrigin, EventType, Username } from './host-schemas.js'

const HostBody = z.object({
  username: Username,
  name: z.string().trim().min(1).max(200),
  calLink: CalLink,
  calOrigin: CalOrigin.optional(),
  eventTypes: z.array(EventType).max(50).optional(),
})
const HostReply = HostBody.extend({ calOrigin: z.string().nullable(), eventTypes: z.array(EventType), created: z.boolean() })

/** Register or update a host: a regular Cal.com user or team with a public booking page. */
export const adminHostRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/admin/hosts', {
    preHandler: requireAdmin,
    schema: {
      tags: ['admin'], summary: 'Register or update a host', security: [{ adminKey: [] }],
      body: HostBody, response: { 200: HostReply, 201: HostReply, 400: ErrorReply, 401: ErrorReply, 429: ErrorReply },
    },
  }, async (request, reply) => {
    const body = request.body
    const { row, created } = await app.db.transaction().execute(async (trx) => {
      const result = await upsertHost(trx, body, app.clock.now())
      await recordAudit(trx, {
        actor: 'admin', action: result.created ? 'host.registered' : 'host.updated', subject: `host:${result.row.username}`,
        detail: { calLink: result.row.cal_link, calOrigin: result.row.cal_origin, eventTypes: (body.eventTypes ?? []).length },
      })
      return result
    })
    return reply.code(created ? 201 : 200).send({
      username: row.username, name: row.name, calLink: row.cal_link, calOrigin: row.cal_origin,
      eventTypes: (row.event_types as z.infer<typeof EventType>[]) ?? [], created,
    })
  })
}
