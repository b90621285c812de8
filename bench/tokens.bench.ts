/**
 * The token route answering from the database, under load, against a bare Fastify JSON route
 * measured in the same run. Not a test: prints figures (and returns them for bench/run.ts).
 *   npx tsx bench/tokens.bench.ts            PGlite, then Postgres too when DATABASE_URL is set
 */
import { pathToFileURL } from 'node:url'
import autocannon from 'autocannon'
import Fastify from 'fastify'
import { startSandbox } from '../demo/sandbox/standalone.js'
import { buildApp } from '../server/app.js'
import { CalClient } from '../server/cal/client.js'
import { loadDemoConfig } from '../demo/config.js'
import { onEachDatabase, withBenchDatabase } from './support/bench-database.js'
import { type LoadFigures, loadFigures, ratio } from './support/load-figures.js'

export interface TokensBenchResult {
  database: 'pglite' | 'postgres'
  connections: number
  durationSeconds: number
  bare: LoadFigures
  /** Every request for the same member, as one visitor's page views are. */
  tokens: LoadFigures
  /** tokens ÷ bare requests per second. */
  ratio: number
  /** Each connection cycling through `members` different members, so concurrent reads are for different rows. */
  manyMembers: { members: number; tokens: LoadFigures; ratio: number }
  /** Calls the server made to Cal.com while the token route was under load (must be 0). */
  calCallsDuringRun: number
}

/** The sandbox's development TOKEN_API_KEY: the key a church backend mints with. */
const TOKEN_KEY = 'sandbox-token-key'

interface LoadRequest { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }

async function load(url: string, options: { connections: number; duration: number; requests?: LoadRequest[] } & LoadRequest): Promise<LoadFigures> {
  // One worker thread: the load generator does not take the server's event loop.
  return loadFigures(await autocannon({
    url, workers: 1, connections: options.connections, duration: options.duration,
    method: options.method ?? 'GET', headers: options.headers ?? {}, body: options.body,
    ...(options.requests ? { requests: options.requests } : {}),
  }))
}

const tokenRequest = (email: string) => ({
  method: 'POST' as const,
  headers: { authorization: `Bearer ${TOKEN_KEY}`, 'content-type': 'application/json' },
  body: JSON.stringify({ email, name: 'Bench Member', timeZone: 'America/Chicago' }),
})

async function benchOne(databaseUrl: string | undefined, connections: number, durationSeconds: number, members: number): Promise<TokensBenchResult> {
  return withBenchDatabase(databaseUrl, async (db, cleanup) => {
    const sandbox = await startSandbox()
    cleanup(() => sandbox.close())
    let calCalls = 0
    const calClient = new CalClient({
      apiUrl: `${sandbox.url}/v2`, clientId: 'sandbox-client', clientSecret: 'sandbox-secret',
      fetch: (input, init) => { calCalls++; return fetch(input, init) },
    })
    const app = await buildApp({ config: loadDemoConfig({ LOG_LEVEL: 'silent', DATA_DIR: 'memory://' }), db, calClient, tokenRateLimit: false })
    cleanup(() => app.close())
    await app.listen({ port: 0, host: '127.0.0.1' })
    const bare = Fastify({ logger: false })
    bare.get('/bare', async () => ({ status: 'ok' }))
    cleanup(() => bare.close())
    await bare.listen({ port: 0, host: '127.0.0.1' })

    const tokenUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/tokens/cal/managed-user`
    const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/bare`
    // Every member is minted (one Cal.com call each) before anything is measured.
    const crowd = Array.from({ length: members }, (_, i) => tokenRequest(`bench.member.${i}@example.org`))
    for (let i = 0; i < crowd.length; i += 25) {
      await Promise.all(crowd.slice(i, i + 25).map(async (request) => {
        const answer = await fetch(tokenUrl, request)
        if (answer.status !== 200) throw new Error(`the token route answered ${answer.status}: ${await answer.text()}`)
      }))
    }
    const one = crowd[0]!

    // Warm both (JIT, pools), then measure each alone so they do not share the CPU.
    await load(bareUrl, { connections, duration: 1 })
    await load(tokenUrl, { connections, duration: 1, ...one })
    const bareFigures = await load(bareUrl, { connections, duration: durationSeconds })
    const before = calCalls
    const tokenFigures = await load(tokenUrl, { connections, duration: durationSeconds, ...one })
    const crowdFigures = await load(tokenUrl, { connections, duration: durationSeconds, requests: crowd })
    return {
      database: databaseUrl ? 'postgres' : 'pglite',
      connections,
      durationSeconds,
      bare: bareFigures,
      tokens: tokenFigures,
      ratio: ratio(tokenFigures, bareFigures),
      manyMembers: { members, tokens: crowdFigures, ratio: ratio(crowdFigures, bareFigures) },
      calCallsDuringRun: calCalls - before,
    }
  })
}

/** PGlite always; Postgres as well when DATABASE_URL (or `databaseUrl`) is given. */
export async function runTokensBench(options: { connections?: number; durationSeconds?: number; databaseUrl?: string; members?: number } = {}): Promise<TokensBenchResult[]> {
  const connections = options.connections ?? 50
  const duration = options.durationSeconds ?? 5
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL
  return onEachDatabase(databaseUrl, (url) => benchOne(url, connections, duration, options.members ?? 1000))
}

export function formatTokensBench(results: TokensBenchResult[]): string {
  const lines = ['Token route (answering from the database) vs a bare Fastify JSON route, autocannon']
  for (const r of results) {
    lines.push(
      `  ${r.database}: ${r.connections} connections, ${r.durationSeconds} s each`,
      `    bare route:  ${r.bare.requestsPerSecond} req/s, p50 ${r.bare.p50Ms} ms, p99 ${r.bare.p99Ms} ms`,
      `    token route: ${r.tokens.requestsPerSecond} req/s, p50 ${r.tokens.p50Ms} ms, p99 ${r.tokens.p99Ms} ms, non-2xx ${r.tokens.non2xx}, errors ${r.tokens.errors}`,
      `    ratio ${r.ratio} (target ≥ 0.25 on Postgres), p99 target ≤ 20 ms`,
      `    token route, ${r.manyMembers.members} members: ${r.manyMembers.tokens.requestsPerSecond} req/s, p50 ${r.manyMembers.tokens.p50Ms} ms, p99 ${r.manyMembers.tokens.p99Ms} ms, non-2xx ${r.manyMembers.tokens.non2xx}, errors ${r.manyMembers.tokens.errors}, ratio ${r.manyMembers.ratio}`,
      `    Cal.com calls during both runs: ${r.calCallsDuringRun} (target 0)`,
    )
  }
  return lines.join('\n')
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatTokensBench(await runTokensBench()))
}
