import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { requireAdmin } from '../auth/admin-auth.js'
import { ErrorReply } from '../errors.js'
import { decodeCursor, PageQuery, toPage } from './page-cursor.js'

const Query = z.object({
  ...PageQuery,
  action: z.string().trim().min(1).optional(),
  subject: z.string().trim().min(1).optional(),
})

const Entry = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
})
const Reply = z.object({ entries: z.array(Entry), nextCursor: z.string().nullable() })

/** GET /admin/audit: the append-only log, newest first, filtered by exact action and subject. */
export const adminAuditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/admin/audit', { preHandler: requireAdmin, schema: { tags: ['admin'], summary: 'The append-only audit log, newest first', security: [{ adminKey: [] }], querystring: Query, response: { 200: Reply, 400: ErrorReply, 401: ErrorReply, 429: ErrorReply } } }, async (request) => {
    const { limit, cursor, action, subject } = request.query
    let query = app.db.selectFrom('audit_log').selectAll()
    if (action) query = query.where('action', '=', action)
    if (subject) query = query.where('subject', '=', subject)
    if (cursor) query = query.where('id', '<', decodeCursor(cursor))
    const page = toPage(await query.orderBy('id', 'desc').limit(limit + 1).execute(), limit)
    const entries = page.items.map((row) => ({
      id: row.id, at: row.at.toISOString(), actor: row.actor, action: row.action, subject: row.subject,
      detail: (row.detail ?? {}) as Record<string, unknown>,
    }))
    return { entries, nextCursor: page.nextCursor }
  })
}
