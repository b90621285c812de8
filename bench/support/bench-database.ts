import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import { testDatabase } from '../../db/testing.js'

export type Cleanup = (fn: () => unknown) => void

/**
 * Runs one benchmark on a migrated database of its own: a fresh PGlite, or a fresh schema on
 * `databaseUrl`. Whatever `run` registers with `cleanup` is closed afterwards, newest first.
 */
export async function withBenchDatabase<T>(databaseUrl: string | undefined, run: (db: Kysely<Database>, cleanup: Cleanup) => Promise<T>): Promise<T> {
  const cleanups: (() => unknown)[] = []
  const cleanup: Cleanup = (fn) => { cleanups.unshift(fn) }
  // testDatabase reads DATABASE_URL to choose between PGlite and Postgres.
  const previousUrl = process.env.DATABASE_URL
  try {
    if (databaseUrl) process.env.DATABASE_URL = databaseUrl
    else delete process.env.DATABASE_URL
    const { db } = await testDatabase({ teardown: cleanup })
    return await run(db, cleanup)
  } finally {
    for (const fn of cleanups) await fn()
    if (previousUrl === undefined) delete process.env.DATABASE_URL
    else process.env.DATABASE_URL = previousUrl
  }
}

/** PGlite always; Postgres as well when a URL is given. */
export async function onEachDatabase<T>(databaseUrl: string | undefined, run: (databaseUrl: string | undefined) => Promise<T>): Promise<T[]> {
  const results = [await run(undefined)]
  if (databaseUrl) results.push(await run(databaseUrl))
  return results
}
