import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { requireAdmin } from '../auth/admin-auth.js'
import { ErrorReply } from '../errors.js'

const Query = z.object({
  /** Only minutes at or after this instant. */
  since: z.iso.datetime({ offset: true }).optional(),
  address: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})
const Refusal = z.object({ minute: z.string(), address: z.string(), route: z.string(), reason: z.string(), count: z.number() })
const Reply = z.object({ refusals: z.array(Refusal) })

/**
 * GET /admin/refusals: the refused anonymous calls, one row per address, route, reason and minute
 * with its count (audit_refusals), newest minute first, the largest counts first within it.
 */
export const adminRefusalRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/admin/refusals', {
    preHandler: requireAdmin,
    schema: { tags: ['admin'], summary: 'Refused anonymous calls, counted per minute', security: [{ adminKey: [] }], querystring: Query, response: { 200: Reply, 400: ErrorReply, 401: ErrorReply, 429: ErrorReply } },
  }, async (request) => {
    const { since, address, limit } = request.query
    let query = app.db.selectFrom('audit_refusals').selectAll()
    if (since) query = query.where('minute', '>=', new Date(since))
    if (address) query = query.where('address', '=', address)
    const rows = await query.orderBy('minute', 'desc').orderBy('count', 'desc').limit(limit).execute()
    return { refusals: rows.map((row) => ({ ...row, minute: row.minute.toISOString() })) }
  })
}
