import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ErrorReply } from '../errors.js'
import { requireAdmin } from '../auth/admin-auth.js'
import { listConnections } from '../connections/connections-repository.js'
import { RECONCILE_JOB } from '../jobs/plugin.js'
import { Username } from './host-schemas.js'

const Outcome = z.object({
  username: z.string(), fetched: z.number(), created: z.number(), updated: z.number(), unchanged: z.number(),
  watermark: z.string().nullable(), requests: z.number(), error: z.object({ code: z.string(), message: z.string() }).optional(),
})
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null)

/** Reconciliation on demand, and what the last runs did. */
export const adminReconcileRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/admin/reconcile', {
    preHandler: requireAdmin,
    schema: { tags: ['admin'], security: [{ adminKey: [] }], summary: 'Reconcile now, every connected host or one', body: z.object({ username: Username.optional() }).nullish(), response: { 200: z.object({ hosts: z.array(Outcome) }), 401: ErrorReply, 404: ErrorReply } },
  }, async (request) => ({ hosts: await app.reconciler.run({ username: request.body?.username, actor: 'admin' }) }))

  app.get('/admin/reconcile', { preHandler: requireAdmin, schema: { tags: ['admin'], security: [{ adminKey: [] }], summary: 'The last reconciliation of each host and its last error' } }, async () => {
    const [connections, lock] = await Promise.all([
      listConnections(app.db),
      app.db.selectFrom('job_locks').selectAll().where('name', '=', RECONCILE_JOB).executeTakeFirst(),
    ])
    return {
      intervalMs: app.config.reconcileIntervalMs,
      lastScheduledRun: lock ? { startedAt: iso(lock.last_started_at), finishedAt: iso(lock.last_finished_at), running: lock.holder !== null } : null,
      hosts: connections.map((c) => ({
        username: c.username,
        lastRun: c.last_reconcile_at ? { at: iso(c.last_reconcile_at), ...(c.last_reconcile as object) } : null,
        watermark: iso(c.updated_watermark),
        lastError: c.last_reconcile_error ? { at: iso(c.last_reconcile_error_at), message: c.last_reconcile_error } : null,
      })),
    }
  })
}
