import { type Kysely, sql, type Transaction } from 'kysely'
import type { Database } from '../../db/schema.js'

/**
 * Runs `work` in one transaction holding a transaction-scoped advisory lock named `job`, or not
 * at all (`undefined`) when another replica holds it: so a job started by every replica at once
 * runs once. The lock goes with the commit or rollback, so a crashed run never leaves it held.
 * PGlite has the same function (one process, so it never finds it taken).
 */
export async function onceAcrossReplicas<T>(db: Kysely<Database>, job: string, work: (trx: Transaction<Database>) => Promise<T>): Promise<T | undefined> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(hashtext(${`churchhub:${job}`})) as locked`.execute(trx)
    if (!rows[0]?.locked) return undefined
    return work(trx)
  })
}
