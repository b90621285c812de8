import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'

/**
 * Takes job `name`'s lease for `leaseMs` when it is free and the job is due (last started at least
 * `everyMs` ago): one statement, so two replicas asking at once cannot both win. A replica that
 * dies holding it loses it when the lease runs out. Times are the database's, shared by all.
 */
export async function takeLease(db: Kysely<Database>, name: string, holder: string, everyMs: number, leaseMs: number, force = false): Promise<boolean> {
  await db.insertInto('job_locks').values({ name }).onConflict((oc) => oc.column('name').doNothing()).execute()
  const due = force ? sql<boolean>`true` : sql<boolean>`(last_started_at is null or last_started_at <= now() - ${`${Math.max(0, everyMs - 1000)} milliseconds`}::interval)`
  const taken = await db.updateTable('job_locks')
    .set({ holder, lease_until: sql`now() + ${`${leaseMs} milliseconds`}::interval`, last_started_at: sql`now()` })
    .where('name', '=', name)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', sql<Date>`now()`)]))
    .where(due)
    .returning('name').executeTakeFirst()
  return taken !== undefined
}

export async function releaseLease(db: Kysely<Database>, name: string, holder: string): Promise<void> {
  await db.updateTable('job_locks').set({ lease_until: null, holder: null, last_finished_at: sql`now()` })
    .where('name', '=', name).where('holder', '=', holder).execute()
}
