import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import type { Clock } from './clock.js'
import type { Config } from './config.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    db: Kysely<Database>
    clock: Clock
  }
}
