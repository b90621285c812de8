import { type Kysely, Migrator } from 'kysely'
import { migrations } from './migrations/index.js'

export class MigrationError extends Error {
  constructor(migration: string | undefined, cause: unknown) {
    super(`Database migration ${migration ? `${migration} ` : ''}failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = 'MigrationError'
  }
}

function migrator(db: Kysely<any>) {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } })
}

/** Brings the schema up to date; safe to run on every start and from several replicas at once. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const { error, results = [] } = await migrator(db).migrateToLatest()
  if (error) throw new MigrationError(results.find((r) => r.status === 'Error')?.migrationName, error)
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

export async function migrateDown(db: Kysely<any>): Promise<void> {
  const { error } = await migrator(db).migrateDown()
  if (error) throw new MigrationError(undefined, error)
}
