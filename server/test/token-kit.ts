import { sql } from 'kysely'
import type { Test } from 'tap'
import { type TestDatabase, testDatabase } from '../../db/testing.js'
import { buildApp } from '../app.js'
import { ManualClock } from '../clock.js'
import { startCal } from './cal-helpers.js'
import { testConfig } from './helpers.js'

export const ADMIN = { authorization: 'Bearer sandbox-admin-key' }
export const MINUTE = 60_000

/**
 * One migrated database per test file (making one is the slow part), a sandbox and an app per
 * test, and a person of the test's own, so tests sharing the database do not see each other.
 */
let shared: Promise<TestDatabase> | undefined
let people = 0
export const current = { email: '', auditStart: 0 }

export const mint = (email = current.email, name = 'Ruth Miller') => ({
  method: 'POST' as const, url: '/tokens/cal/managed-user', headers: ADMIN, payload: { email, name, timeZone: 'America/Chicago' },
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
export const calUserRow = (db: Db) => db.selectFrom('cal_users').selectAll().where('email', '=', current.email).executeTakeFirstOrThrow()
