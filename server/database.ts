import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import { migrateToLatest } from '../db/migrate.js'
import { databaseKind, openDatabase } from '../db/open-database.js'
import type { Database } from '../db/schema.js'

/** What a composition adds to a fresh database once it is migrated (the demo registers its hosts). */
export type Seed = (db: Kysely<Database>, now: Date) => Promise<void>

export interface DatabaseOptions {
  /** A database opened with openDatabase() that the caller closes (tests share one between apps). */
  db?: Kysely<Database> | undefined
  /** Run after the migrations, on a database this plugin opened. */
  seed?: Seed | undefined
}

/**
 * The app's database as `app.db` (and `app.dbKind`). Unless one is handed in, the database the
 * config names is opened, migrated and seeded here, before the app takes a request, and closed
 * when the app closes: onClose runs after in-flight requests, and after the plugins registered
 * later, which may still write on their way out.
 */
export const database = fp<DatabaseOptions>(async (app, options) => {
  if (options.db) {
    app.decorate('db', options.db)
    app.decorate('dbKind', databaseKind(options.db))
    return
  }
  const { db, kind } = openDatabase({ databaseUrl: app.config.databaseUrl, dataDir: app.config.dataDir })
  try {
    await migrateToLatest(db)
    await options.seed?.(db, app.clock.now())
  } catch (error) {
    await db.destroy().catch(() => {})
    throw error
  }
  app.decorate('db', db)
  app.decorate('dbKind', kind)
  app.addHook('onClose', async () => { await db.destroy() })
}, { name: 'database' })
