import { randomBytes } from 'node:crypto'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { migrateToLatest } from './migrate.js'
import { type OpenedDatabase, openDatabase } from './open-database.js'

interface Teardown { teardown(fn: () => unknown): void }

export interface TestDatabase extends OpenedDatabase {
  /** Opens another handle on the same database, as a second replica would. */
  openAnother(): OpenedDatabase
}

/**
 * A migrated database of the test's own: a fresh in-memory PGlite, or, when DATABASE_URL is set,
 * a fresh schema on that server, so test files can run in parallel without seeing each other.
 */
export async function testDatabase(t: Teardown, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL || undefined
  if (!url) {
    const opened = openDatabase({ dataDir: 'memory://' })
    t.teardown(() => opened.db.destroy())
    if (options.migrate !== false) await migrateToLatest(opened.db)
    return { ...opened, openAnother: () => { throw new Error('A second handle needs Postgres: set DATABASE_URL') } }
  }
  const schema = `test_${randomBytes(6).toString('hex')}`
  const admin = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) })
  await admin.schema.createSchema(schema).execute()
  const handles: OpenedDatabase[] = []
  const openAnother = () => {
    const opened = openDatabase({ databaseUrl: url, schema })
    handles.push(opened)
    return opened
  }
  const opened = openAnother()
  t.teardown(async () => {
    for (const h of handles) await h.db.destroy().catch(() => {})
    await admin.schema.dropSchema(schema).cascade().execute()
    await admin.destroy()
  })
  if (options.migrate !== false) await migrateToLatest(opened.db)
  return { ...opened, openAnother }
}
