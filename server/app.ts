import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyBaseLogger } from 'fastify'
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { type Clock, systemClock } from './clock.js'
import type { Config } from './config.js'
import { registerErrorHandlers } from './error-handler.js'
import { loggerOptions } from './logger.js'
import { healthRoutes } from './routes/health.js'
import { browserAccess } from './browser-access.js'
import type { CalClient } from './cal/client.js'
import { tokenServices } from './tokens/plugin.js'
import { managedUserTokenRoutes, type TokenRouteOptions } from './routes/managed-user-tokens.js'
import { hostRoutes } from './routes/hosts.js'
import { adminHostRoutes } from './routes/admin-hosts.js'
import './types.js'

export interface AppOptions {
  config: Config
  db: Kysely<Database>
  clock?: Clock
  /** A pino logger to write to (tests capture its output); otherwise one is made from the config. */
  logger?: FastifyBaseLogger
  /** The Cal.com client; by default one built from config.cal. Tests hand in their own. */
  calClient?: CalClient
  /** Per-IP limit on /tokens/* (default 120 a minute); false turns it off, for benchmarks. */
  tokenRateLimit?: TokenRouteOptions['rateLimit']
}

export async function buildApp(options: AppOptions) {
  const { config, db, clock = systemClock } = options
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: loggerOptions(config.logLevel) }),
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID()
    },
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  }).withTypeProvider<ZodTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.decorate('config', config)
  app.decorate('db', db)
  app.decorate('clock', clock)
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  registerErrorHandlers(app)

  await app.register(browserAccess)
  await app.register(tokenServices, { calClient: options.calClient })
  await app.register(healthRoutes)
  await app.register(managedUserTokenRoutes, { rateLimit: options.tokenRateLimit })
  await app.register(hostRoutes)
  await app.register(adminHostRoutes)

  return app
}

export type App = Awaited<ReturnType<typeof buildApp>>
