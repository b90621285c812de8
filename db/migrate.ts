import { type Kysely, Migrator, sql } from 'kysely'
import { migrations } from './migrations/index.js'

export class MigrationError extends Error {
  constructor(migration: string | undefined, cause: unknown) {
    super(`Database migration ${migration ? `${migration} ` : ''}failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = 'MigrationError'
  }
}

// Kysely looks for its bookkeeping tables in every schema unless told which one; without this, a
// database whose `public` was migrated makes every other schema (one per test file) fail.
async function migrator(db: Kysely<any>) {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db).catch((error) => {
    throw new MigrationError(undefined, error)
  })
  // Migrations are written side by side and touch separate tables, so one with an earlier name can
  // arrive after a later one has run; it is then run rather than refused as out of order.
  return new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema: rows[0]?.schema, allowUnorderedMigrations: true })
}

/** Brings the schema up to date; safe to run on every start and from several replicas at once. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const { error, results = [] } = await (await migrator(db)).migrateToLatest()
  if (error) throw new MigrationError(results.find((r) => r.status === 'Error')?.migrationName, error)
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

export async function migrateDown(db: Kysely<any>): Promise<void> {
  const { error } = await (await migrator(db)).migrateDown()
  if (error) throw new MigrationError(undefined, error)
}
