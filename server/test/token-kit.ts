import { sql } from 'kysely'
import type { Test } from 'tap'
import { type TestDatabase, testDatabase } from '../../db/testing.js'
import { buildApp } from '../app.js'
import { ManualClock } from '../clock.js'
import { startCal } from './cal-helpers.js'
import { testConfig } from './helpers.js'
import { truncateAddress } from '../privacy/address.js'
import { resolveKeyRing } from '../tokens/crypto.js'

export const ADMIN = { authorization: 'Bearer sandbox-admin-key' }
export const TOKEN_KEY = { authorization: 'Bearer sandbox-token-key' }
export const MINUTE = 60_000

/**
 * One migrated database per test file (making one is the slow part), a sandbox and an app per
 * test, and a person of the test's own, so tests sharing the database do not see each other.
 */
let shared: Promise<TestDatabase> | undefined
let people = 0
export const current = { email: '', auditStart: 0 }

export const mint = (email = current.email, name = 'Ruth Miller') => ({
  method: 'POST' as const, url: '/tokens/cal/managed-user', headers: TOKEN_KEY, payload: { email, name, timeZone: 'America/Chicago' },
})

export async function setup(t: Test, options: { client?: Parameters<Awaited<ReturnType<typeof startCal>>['client']>[0] } = {}) {
  const root = t.parent ? rootOf(t) : t
  shared ??= testDatabase(root)
  const database = await shared
  const clock = new ManualClock(new Date())
  const cal = await startCal(t, { clock })
  const calClient = cal.client(options.client)
  const app = await buildApp({ config: testConfig(), db: database.db, clock, calClient })
  t.teardown(() => app.close())
  current.email = `ruth.${++people}@example.org`
  current.auditStart = Number((await sql<{ max: number | null }>`select max(id) as max from audit_log`.execute(database.db)).rows[0]?.max ?? 0)
  return { app, cal, clock, database, db: database.db, calClient }
}

function rootOf(t: Test): Test {
  let node = t
  while (node.parent) node = node.parent as Test
  return node
}

type Db = Awaited<ReturnType<typeof setup>>['db']

/** This test's audit rows, oldest first. */
export const auditActions = async (db: Db) =>
  db.selectFrom('audit_log').select(['action', 'actor', 'subject', 'detail']).where('id', '>', current.auditStart).orderBy('id').execute()

/** This test's person's row. */
export const calUserRow = (db: Db) => db.selectFrom('cal_users').selectAll().where('email_index', '=', testRing().blindIndex(current.email)).executeTakeFirstOrThrow()

/** The ring the sandbox app seals with: one memory key per process, so the same as the app's. */
export const testRing = () => resolveKeyRing(testConfig())

/**
 * The refusals counted so far (audit_refusals, written at once), as "route reason" → count, for
 * refusals from `address`. Tests compare two readings: the database is shared by the file's tests.
 */
export async function refusalCounts(app: { refusals: { flush(): Promise<void> } }, db: Db, address = '127.0.0.1') {
  await app.refusals.flush()
  const rows = await db.selectFrom('audit_refusals').select(['route', 'reason', 'count']).where('address', '=', truncateAddress(address)).execute()
  const counts: Record<string, number> = {}
  for (const row of rows) counts[`${row.route} ${row.reason}`] = (counts[`${row.route} ${row.reason}`] ?? 0) + row.count
  return counts
}

/** What changed between two readings of refusalCounts, without the keys that did not. */
export function refusalsBetween(before: Record<string, number>, after: Record<string, number>) {
  const changed: Record<string, number> = {}
  for (const [key, count] of Object.entries(after)) if (count !== (before[key] ?? 0)) changed[key] = count - (before[key] ?? 0)
  return changed
}
