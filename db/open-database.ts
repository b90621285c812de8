import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { PGliteDialect } from './pglite-dialect.js'
import type { Database } from './schema.js'

export interface DatabaseOptions {
  /** Postgres connection string; without it the embedded PGlite is used. */
  databaseUrl?: string | undefined
  /** Where PGlite keeps its files; `memory://` for a throwaway database. */
  dataDir?: string | undefined
  /** Postgres schema to work in (tests give each file its own). */
  schema?: string | undefined
  poolSize?: number | undefined
}

export type DatabaseKind = 'postgres' | 'pglite'
export interface OpenedDatabase {
  db: Kysely<Database>
  kind: DatabaseKind
}

// int8 (counts, sums) as a JS number: every count we keep fits, and both drivers then agree.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (value: string) => Number(value)
    return pg.types.getTypeParser(oid, format as 'text')
  },
}

// The kind of every database opened here, so code handed only the Kysely instance knows it too.
const kinds = new WeakMap<Kysely<Database>, DatabaseKind>()

/** Postgres or PGlite, as openDatabase() opened it; throws for a database opened any other way. */
export function databaseKind(db: Kysely<Database>): DatabaseKind {
  const kind = kinds.get(db)
  if (!kind) throw new Error('This database was not opened with openDatabase(), so whether it is Postgres or PGlite is unknown; open it with openDatabase().')
  return kind
}

/**
 * PGlite's Postgres keeps its default 128 MB of shared buffers inside the process's WebAssembly
 * memory, resident for good. A church's data is small and the operating system caches the files
 * PGlite reads anyway, so 16 MB serve as well, and the process holds about 0.13 GB less (measured:
 * docs/deploying.md, scripts/measure-memory.ts).
 */
const PGLITE_SETTINGS = ['-c', 'shared_buffers=16MB']

export function openDatabase(options: DatabaseOptions = {}): OpenedDatabase {
  const opened = open(options)
  kinds.set(opened.db, opened.kind)
  return opened
}

function open(options: DatabaseOptions): OpenedDatabase {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      types,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    })
    // An idle client losing its server must not crash the process; the pool replaces it.
    pool.on('error', () => {})
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), kind: 'postgres' }
  }
  const dataDir = options.dataDir ?? './.data'
  let location = 'memory://'
  if (!dataDir.startsWith('memory://')) {
    location = resolve(dataDir, 'pglite')
    mkdirSync(location, { recursive: true })
  }
  const pglite = new PGlite(location, { startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] })
  return { db: new Kysely<Database>({ dialect: new PGliteDialect(pglite) }), kind: 'pglite' }
}
