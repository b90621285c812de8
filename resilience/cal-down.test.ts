import { randomBytes } from 'node:crypto'
import t from 'tap'
import { DEFAULT_TIMEOUT_MS } from '../server/cal/client.js'
import { startSandbox } from '../demo/sandbox/standalone.js'
import { logFile, namedSecrets, scenarioSecrets, serverEnv } from './support/environment.js'
import { OutputLog } from './support/output-log.js'
import { scratchDatabase } from './support/scratch-database.js'
import { leakedSecrets } from './support/secrets.js'
import { inPool, tally } from './support/send.js'
import { startServer } from './support/server-process.js'

/** Correctness bound, not a speed target: the server's own Cal.com timeout plus one second. */
const BOUND_MS = DEFAULT_TIMEOUT_MS + 1_000
const CONCURRENCY = 25

interface Phase {
  name: string
  fault: number | 'hang' | 'drop'
  retryAfterSeconds?: number
  requests: number
  /** The status and error code a caller must get while Cal.com fails this way. */
  expect: { status: number; code: string; retryAfter?: boolean }
}

// 500 token requests in all, each for a new person, so every one has to reach Cal.com.
const PHASES: Phase[] = [
  { name: 'Cal.com answers 500', fault: 500, requests: 100, expect: { status: 502, code: 'cal_error' } },
  { name: 'Cal.com answers 429, Retry-After 1 s', fault: 429, retryAfterSeconds: 1, requests: 100, expect: { status: 503, code: 'cal_rate_limited', retryAfter: true } },
  { name: 'Cal.com answers 429, Retry-After 120 s', fault: 429, retryAfterSeconds: 120, requests: 100, expect: { status: 503, code: 'cal_rate_limited', retryAfter: true } },
  { name: 'Cal.com hangs', fault: 'hang', requests: 100, expect: { status: 504, code: 'cal_timeout' } },
  { name: 'Cal.com drops the connection', fault: 'drop', requests: 100, expect: { status: 502, code: 'cal_unreachable' } },
]

t.test('Cal.com down: token requests fail fast and clearly, and recover without a restart', async (t) => {
  const secrets = scenarioSecrets()
  const clientId = `client-${randomBytes(6).toString('hex')}`
  const runId = randomBytes(5).toString('hex')
  const log = new OutputLog()
  t.teardown(() => log.writeTo(logFile('cal-down')))

  const sandbox = await startSandbox({ clientId, clientSecret: secrets.calClientSecret, webhookSecret: secrets.webhookSecret })
  t.teardown(() => { sandbox.faults.releaseHung(); return sandbox.close() })
  const database = process.env.DATABASE_URL ? await scratchDatabase(t, process.env.DATABASE_URL) : undefined
  const server = await startServer('server', serverEnv(secrets, {
    CAL_API_URL: `${sandbox.url}/v2`,
    CAL_CLIENT_ID: clientId,
    CAL_CLIENT_SECRET: secrets.calClientSecret,
    CAL_ORIGIN: sandbox.url,
    CAL_EMBED_JS_URL: `${sandbox.url}/embed/embed.js`,
    ...(database ? { DATABASE_URL: database.url } : {}),
  }), log)
  t.teardown(() => server.stop())

  let person = 0
  const tokens: string[] = []
  const mint = async () => {
    const i = person++
    const started = performance.now()
    const response = await fetch(`${server.url}/tokens/cal/managed-user`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${secrets.tokenApiKey}`,
        'content-type': 'application/json',
        // One address per caller, as many members behind a church's backend would be: this
        // measures Cal.com failures, not our own per-IP rate limit.
        'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      },
      body: JSON.stringify({ email: `member.${runId}.${i}@example.org`, name: `Member ${i}`, timeZone: 'America/Chicago' }),
      signal: AbortSignal.timeout(30_000),
    })
    const body = await response.json().catch(() => undefined) as any
    if (typeof body?.accessToken === 'string') tokens.push(body.accessToken)
    return { status: response.status, body, retryAfter: response.headers.get('retry-after'), ms: performance.now() - started }
  }

  const before = await mint()
  t.equal(before.status, 200, 'a token is minted while Cal.com is up')

  const pid = server.pid
  for (const phase of PHASES) {
    sandbox.faults.clear()
    sandbox.faults.releaseHung()
    sandbox.faults.add({ path: '/v2/*', fault: phase.fault, ...(phase.retryAfterSeconds !== undefined ? { retryAfterSeconds: phase.retryAfterSeconds } : {}) })
    const results: Awaited<ReturnType<typeof mint>>[] = []
    await inPool(Array.from({ length: phase.requests }), CONCURRENCY, async () => { results.push(await mint()) })

    const slowest = Math.max(...results.map((r) => r.ms))
    t.comment(`${phase.name}: statuses ${JSON.stringify(tally(results.map((r) => r.status)))}, slowest ${Math.round(slowest)} ms`)
    t.same(tally(results.map((r) => r.status)), { [phase.expect.status]: phase.requests }, `${phase.name}: every answer ${phase.expect.status}`)
    const unclear = results.filter((r) => r.body?.error?.code !== phase.expect.code || typeof r.body?.error?.message !== 'string' || r.body.error.message.length < 10)
    t.equal(unclear.length, 0, `${phase.name}: every answer is {error:{code:"${phase.expect.code}", message}}`)
    if (phase.expect.retryAfter) t.equal(results.filter((r) => !r.retryAfter).length, 0, `${phase.name}: every answer says when to retry`)
    t.equal(results.filter((r) => r.ms > BOUND_MS).length, 0, `${phase.name}: each answered within ${BOUND_MS} ms (slowest ${Math.round(slowest)} ms)`)
  }

  sandbox.faults.clear()
  sandbox.faults.releaseHung()
  const after = await mint()
  t.equal(after.status, 200, 'once Cal.com recovers, the same process mints tokens again')
  t.equal(server.pid, pid, 'without a restart')
  t.equal(server.child.exitCode, null, 'the server process is still running')

  await server.stop()
  t.same(leakedSecrets(log.text(), {
    ...namedSecrets(secrets),
    'access tokens minted': tokens,
    'member emails (run marker)': runId,
  }), [], 'no secret, token or email in the server\'s output')
})
