// How many audit rows a flood of forged webhook posts leaves: 100,000 posts (FORGED_POSTS) with a
// wrong signature, spread over ADDRESSES client networks (default 1, then 100; audit rows keep /24s), through the real
// route on the real clock, then the audit tables counted.
//   npx tsx scripts/measure-refusal-rows.ts                          (embedded PGlite)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx scripts/measure-refusal-rows.ts
import { sql } from 'kysely'
import { testDatabase } from '../db/testing.js'
import { buildApp } from '../server/app.js'
import { loadConfig } from '../server/config.js'

const POSTS = Number(process.env.FORGED_POSTS ?? 100_000)
const runs = (process.env.ADDRESSES ?? '1,100').split(',').map(Number)
const body = JSON.stringify({ triggerEvent: 'BOOKING_CREATED', createdAt: new Date().toISOString(), payload: { uid: 'forged', title: 'x' } })
const headers = { 'content-type': 'application/json', 'x-cal-signature-256': 'f'.repeat(64) }
const cleanups: (() => unknown)[] = []

for (const addresses of runs) {
  const { db } = await testDatabase({ teardown: (fn) => cleanups.push(fn) })
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: 'memory://' }, { allowSandbox: true })
  const app = await buildApp({ config, db })
  const started = performance.now()
  const statuses = new Map<number, number>()
  // 50 at a time, as a flood from many connections would arrive.
  for (let i = 0; i < POSTS; i += 50) {
    const batch = Array.from({ length: Math.min(50, POSTS - i) }, (_, j) =>
      app.inject({ method: 'POST', url: '/webhooks/cal', payload: body, headers, remoteAddress: `198.51.${(i + j) % addresses}.7` }))
    for (const res of await Promise.all(batch)) statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
  }
  const seconds = (performance.now() - started) / 1000
  await app.close()
  const count = async (table: string) => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]!.n)
  const total = Number((await sql<{ n: string }>`select coalesce(sum(count), 0) as n from audit_refusals`.execute(db)).rows[0]!.n)
  const minutes = Number((await sql<{ n: string }>`select count(distinct minute) as n from audit_refusals`.execute(db)).rows[0]!.n)
  console.log(JSON.stringify({
    database: process.env.DATABASE_URL ? 'postgres' : 'pglite', posts: POSTS, addresses,
    answers: Object.fromEntries(statuses), seconds: Math.round(seconds),
    auditRefusalRows: await count('audit_refusals'), refusalsCounted: total, minutesSpanned: minutes, auditLogRows: await count('audit_log'),
  }))
}
for (const cleanup of cleanups.reverse()) await cleanup()
