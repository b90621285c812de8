import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyBaseLogger } from 'fastify'
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { type Clock, systemClock } from './clock.js'
import type { Config } from './config.js'
import { frameworkErrors, registerErrorHandlers } from './error-handler.js'
import { loggerOptions, requestLogger } from './logger.js'
import { healthRoutes } from './routes/health.js'
import { browserAccess } from './browser-access.js'
import type { CalClient } from './cal/client.js'
import { tokenServices } from './tokens/plugin.js'
import { managedUserTokenRoutes, type TokenRouteOptions } from './routes/managed-user-tokens.js'
import { hostRoutes } from './routes/hosts.js'
import { memberRoutes } from './routes/member.js'
import { type RefusalLimits, refusalServices } from './auth/plugin.js'
import { adminHostRoutes } from './routes/admin-hosts.js'
import { adminConnectionRoutes } from './routes/admin-connections.js'
import { connectionServices } from './connections/plugin.js'
import { jobServices } from './jobs/plugin.js'
import type { Job } from './jobs/scheduler.js'
import { adminReconcileRoutes } from './routes/admin-reconcile.js'
import { oauthConnectRoutes } from './routes/oauth-connect.js'
import { webhookRoutes } from './routes/webhooks.js'
import { adminBookingRoutes } from './routes/admin-bookings.js'
import { adminAuditRoutes } from './routes/admin-audit.js'
import { adminRefusalRoutes } from './routes/admin-refusals.js'
import { adminPeopleRoutes } from './routes/admin-people.js'
import { adminFormRoutes } from './routes/admin-forms.js'
import { adminBookingDetailRoutes } from './routes/admin-booking-detail.js'
import { type FormRouteOptions, formRoutes } from './routes/forms.js'
import { widgetRoutes } from './routes/widget.js'
import { database, type Seed } from './database.js'
import { securityHeadersPlugin, withSecurityHeaders } from './security-headers.js'
import { openApi } from './openapi.js'
import { SERVER_TIMEOUTS } from './server-timeouts.js'
import './types.js'

export interface AppOptions {
  config: Config
  /**
   * A database opened with openDatabase(), which the caller closes. Without one the app opens the
   * database the config names, migrates it, runs `seed`, and closes it when the app closes.
   */
  db?: Kysely<Database>
  /** Run on a database the app opened, once migrated and before the first request. */
  seed?: Seed
  clock?: Clock
  /** A pino logger made with loggerOptions() to write to (tests capture its output); otherwise one is made from the config. */
  logger?: FastifyBaseLogger
  /** The Cal.com client; by default one built from config.cal. Tests hand in their own. */
  calClient?: CalClient
  /** Per-IP limit on /tokens/* (default 120 a minute); false turns it off, for benchmarks. */
  tokenRateLimit?: TokenRouteOptions['rateLimit']
  /** Per-address limits on wrong keys and refused webhook posts (defaults in server/auth/plugin.ts). */
  refusalLimits?: RefusalLimits
  /** Start the background jobs (reconciliation, …) once ready; the entry points do, tests mostly not. */
  startJobs?: boolean
  /** More scheduled jobs, `{ name, everyMs, run }`, run once across replicas like the reconciliation. */
  jobs?: Job[]
  /** Per-IP limit on questionnaire answers (default 20 a minute); false turns it off. */
  formRateLimit?: FormRouteOptions['rateLimit']
}

/**
 * The product: the API, webhooks and the widget bundle, nothing from `demo/`. Open → migrate →
 * seed → build happens here for every composition (the demo's adds its sandbox and pages on top).
 */
export async function buildApp(options: AppOptions) {
  const { config, clock = systemClock } = options
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: loggerOptions(config.logLevel) }),
    childLoggerFactory: requestLogger,
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID()
    },
    bodyLimit: 1024 * 1024,
    requestTimeout: SERVER_TIMEOUTS.requestTimeout,
    keepAliveTimeout: SERVER_TIMEOUTS.keepAliveTimeout,
    http: {
      requestTimeout: SERVER_TIMEOUTS.requestTimeout,
      headersTimeout: SERVER_TIMEOUTS.headersTimeout,
      connectionsCheckingInterval: SERVER_TIMEOUTS.connectionsCheckingInterval,
    },
    frameworkErrors: withSecurityHeaders(config, frameworkErrors),
    trustProxy: typeof config.trustProxy === 'number'
      ? ((hops: number) => (_address: string, hop: number) => hop < hops)(config.trustProxy)
      : config.trustProxy,
  }).withTypeProvider<ZodTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.decorate('config', config)
  app.decorate('clock', clock)
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  registerErrorHandlers(app)
  await app.register(securityHeadersPlugin)
  await app.register(openApi)
  await app.register(database, { db: options.db, seed: options.seed })

  await app.register(refusalServices, options.refusalLimits ?? {})
  await app.register(tokenServices, { calClient: options.calClient })
  await app.register(connectionServices)
  await app.register(jobServices, { start: options.startJobs, extraJobs: options.jobs })
  await app.register(healthRoutes)
  // The routes a church site's pages call from the browser: CORS, the origin check and the rate
  // limits are theirs alone, so no other request pays for them.
  await app.register(async (browser) => {
    await browser.register(browserAccess)
    await browser.register(managedUserTokenRoutes, { rateLimit: options.tokenRateLimit })
    await browser.register(memberRoutes, { rateLimit: options.tokenRateLimit })
    await browser.register(hostRoutes)
    await browser.register(formRoutes, { rateLimit: options.formRateLimit })
  })
  await app.register(adminHostRoutes)
  await app.register(adminConnectionRoutes)
  await app.register(adminReconcileRoutes)
  await app.register(oauthConnectRoutes)
  await app.register(webhookRoutes)
  await app.register(adminBookingRoutes)
  await app.register(adminAuditRoutes)
  await app.register(adminRefusalRoutes)
  await app.register(adminPeopleRoutes)
  await app.register(adminFormRoutes)
  await app.register(adminBookingDetailRoutes)
  await app.register(widgetRoutes)

  return app
}

export type App = Awaited<ReturnType<typeof buildApp>>
