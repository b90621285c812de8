import { spawnSync } from 'node:child_process'
import { type Kysely, sql } from 'kysely'
import type { Database } from '../../db/schema.js'
import { KeyRing } from '../privacy/key-ring.js'

/** A key ring for tests that write through the repository without an app. */
export const testRing = new KeyRing([{ kid: 'test', key: Buffer.alloc(32, 9) }])

export const ADMIN = { authorization: 'Bearer sandbox-admin-key' }

/**
 * Every row of every table of the test's schema as text: what `pg_dump --data-only` would write,
 * on Postgres and PGlite alike (both answer this; PGlite has no pg_dump).
 */
export async function dumpAllRows(db: Kysely<Database>): Promise<string> {
  const { rows: tables } = await sql<{ name: string }>`select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db)
  const parts: string[] = []
  for (const { name } of tables) {
    const { rows } = await sql<{ row: string }>`select t::text as row from ${sql.table(name)} t`.execute(db)
    parts.push(`-- ${name}`, ...rows.map((r) => r.row))
  }
  return parts.join('\n')
}

/**
 * On Postgres, the real thing: `pg_dump` of the test's schema, as an operator would back it up.
 * Undefined on PGlite (no pg_dump reaches it; dumpAllRows reads every row instead).
 */
export async function pgDump(db: Kysely<Database>): Promise<string | undefined> {
  const url = process.env.DATABASE_URL
  if (!url) return undefined
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
  const run = spawnSync('pg_dump', ['--schema', rows[0]!.schema, url], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (run.status !== 0) throw new Error(`pg_dump failed: ${run.stderr || run.error?.message}`)
  return run.stdout
}
