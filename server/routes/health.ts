import { sql } from 'kysely'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'

const HealthReply = z.object({ status: z.enum(['ok', 'degraded']), db: z.enum(['ok', 'unavailable']) })
const DB_CHECK_TIMEOUT_MS = 2_000

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/health', { schema: { tags: ['health'], summary: 'Liveness and database reachability', response: { 200: HealthReply, 503: HealthReply } } }, async (request, reply) => {
    try {
      await Promise.race([
        sql`select 1`.execute(app.db),
        new Promise((_, reject) => setTimeout(() => reject(new Error('database check timed out')), DB_CHECK_TIMEOUT_MS).unref()),
      ])
      return { status: 'ok' as const, db: 'ok' as const }
    } catch (err) {
      request.log.warn({ err }, 'database health check failed')
      return reply.code(503).header('retry-after', '5').send({ status: 'degraded' as const, db: 'unavailable' as const })
    }
  })
}
