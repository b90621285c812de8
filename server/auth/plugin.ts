import fp from 'fastify-plugin'
import { RefusalLog } from '../audit-refusals.js'
import { type FailedAttemptLimit, FailedAttempts } from './failed-attempts.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Wrong admin or token keys, counted per address (429 once an address has used its share). */
    failedKeyAttempts: FailedAttempts
    /** Refused webhook posts, counted per address: past the limit they are answered 429 unread. */
    refusedWebhooks: FailedAttempts
    /** Aggregated audit rows for refused anonymous calls. */
    refusals: RefusalLog
  }
}

export interface RefusalLimits {
  /** Wrong admin/token keys per address per window (default 10 a minute). */
  keyAttempts?: FailedAttemptLimit
  /** Refused webhook posts per address per window (default 30 a minute). */
  webhookRefusals?: FailedAttemptLimit
}

/** The services refusals go through: per-address limits and the aggregated audit of what was refused. */
export const refusalServices = fp<RefusalLimits>(async (app, options) => {
  app.decorate('failedKeyAttempts', new FailedAttempts(app.clock, options.keyAttempts))
  app.decorate('refusedWebhooks', new FailedAttempts(app.clock, options.webhookRefusals ?? { max: 30, windowMs: 60_000 }))
  const refusals = new RefusalLog(app.db, app.clock)
  app.decorate('refusals', refusals)
  // After in-flight requests, before the database (registered earlier) closes.
  app.addHook('onClose', async () => { await refusals.flush() })
}, { name: 'refusal-services', dependencies: ['database'] })
