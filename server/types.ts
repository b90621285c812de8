import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../db/open-database.js'
import type { Database } from '../db/schema.js'
import type { Clock } from './clock.js'
import type { Config } from './config.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    db: Kysely<Database>
    /** Postgres or PGlite, as openDatabase() said: PGlite is one process's, with one connection. */
    dbKind: DatabaseKind
    clock: Clock
  }
}
