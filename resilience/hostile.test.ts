import { randomBytes } from 'node:crypto'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { sql } from 'kysely'
import pino from 'pino'
import t from 'tap'
import { testDatabase } from '../db/testing.js'
import { buildDemoApp } from '../demo/app.js'
import { loadDemoConfig } from '../demo/config.js'
import { loggerOptions } from '../server/logger.js'
import { sign } from '../server/webhooks/signature.js'
import { logFile, namedSecrets, scenarioSecrets } from './support/environment.js'
import { hostileRequestMaker } from './support/hostile-requests.js'
import { OutputLog } from './support/output-log.js'
import { seededRandom } from './support/random.js'
import { closeAgent, send, sendTruncated } from './support/raw-http.js'
import { leakedSecrets } from './support/secrets.js'
import { inPool, tally } from './support/send.js'
import { freePort } from '../demo/start-server.js'

const REQUESTS = Number(process.env.HOSTILE_REQUESTS ?? 2000)
const WARM_UP = Math.min(300, Math.floor(REQUESTS / 5))
const CONCURRENCY = 16
/** Tables a refused request must leave exactly as they were (audit_log records the refusals). */
const GUARDED = ['cal_users', 'hosts', 'bookings', 'webhook_deliveries'] as const

// A full collection before each heap reading, so a leak shows and garbage waiting to be swept does not.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const heapAfterGc = () => { gc(); gc(); return process.memoryUsage().heapUsed }

t.test('hostile input: every request refused with a 4xx in our error shape, nothing changed, memory flat', async (t) => {
  const seed = Number(process.env.HOSTILE_SEED ?? randomBytes(4).readUInt32LE())
  t.comment(`seed ${seed} (HOSTILE_SEED=${seed} replays this run)`)
  const random = seededRandom(seed)
  const secrets = scenarioSecrets()
  const log = new OutputLog()
  t.teardown(() => log.writeTo(logFile('hostile')))
  t.teardown(log.teeProcessOutput('process'))

  // The whole demo composition in this process (sandbox mode, the Cal.com sandbox mounted, which
  // the token requests need), on a real port.
  const port = await freePort()
  const config = loadDemoConfig({
    PORT: String(port), DATA_DIR: 'memory://', LOG_LEVEL: 'info',
    CAL_WEBHOOK_SECRET: secrets.webhookSecret, ADMIN_API_KEY: secrets.adminApiKey, TOKEN_API_KEY: secrets.tokenApiKey,
    MEMBER_ASSERTION_SECRET: secrets.memberAssertionSecret, TOKEN_ENCRYPTION_KEY: secrets.tokenEncryptionKey,
    ALLOWED_ORIGINS: 'https://gracechurch.example', TRUST_PROXY: 'true',
  })
  const { db } = await testDatabase(t)
  const app = await buildDemoApp({ config, db, logger: pino(loggerOptions('info'), log.sink('app')) })
  t.teardown(() => app.close())
  await app.listen({ port, host: '127.0.0.1' })
  t.teardown(closeAgent)
  const base = `http://127.0.0.1:${port}`
  const admin = { authorization: `Bearer ${secrets.adminApiKey}`, 'content-type': 'application/json' }
  const tokenKey = { authorization: `Bearer ${secrets.tokenApiKey}`, 'content-type': 'application/json' }

  // Some real data first, so "no row changed" has rows to guard.
  const tokens: string[] = []
  const seedUid = random.uid()
  const webhook = (uid: string) => {
    const body = JSON.stringify({
      triggerEvent: 'BOOKING_CREATED', createdAt: new Date().toISOString(),
      payload: { uid, type: '30min', title: 'Visit', startTime: '2026-12-02T15:00:00Z', endTime: '2026-12-02T15:30:00Z', status: 'ACCEPTED', attendees: [{ name: 'Real Visitor', email: `real.${uid}@example.org` }] },
    })
    return send(base, { method: 'POST', path: '/webhooks/cal', headers: { 'content-type': 'application/json', 'x-cal-signature-256': sign(secrets.webhookSecret, body) }, body })
  }
  const mint = async (email: string) => {
    const res = await send(base, { method: 'POST', path: '/tokens/cal/managed-user', headers: tokenKey, body: JSON.stringify({ email, name: 'Real Member' }) })
    const token = (JSON.parse(res.text) as { accessToken?: string }).accessToken
    if (token) tokens.push(token)
    return res
  }
  t.equal((await send(base, { method: 'POST', path: '/admin/hosts', headers: admin, body: JSON.stringify({ username: 'zack', name: 'Pastor Zack Miller', calLink: 'zack' }) })).status, 201, 'a host registered')
  t.equal((await webhook(seedUid)).status, 200, 'a booking received')
  t.equal((await mint(`member.${seed}@example.org`)).status, 200, 'a member token minted')

  const snapshot = async () => {
    const state: Record<string, string> = {}
    for (const table of GUARDED) {
      const { rows } = await sql<{ n: number; digest: string | null }>`
        select count(*)::int as n, md5(string_agg(t::text, '|' order by t.id)) as digest from ${sql.table(table)} t`.execute(db)
      state[table] = `${rows[0]?.n} rows, ${rows[0]?.digest ?? 'empty'}`
    }
    return state
  }
  const before = await snapshot()

  const maker = hostileRequestMaker(random, secrets)
  const answers: { family: string; status: number | string; shaped: boolean; example: string }[] = []
  let warmRss = 0
  let warmHeap = 0
  let peakRss = 0
  const started = performance.now()
  await inPool(Array.from({ length: REQUESTS }, (_, i) => i), CONCURRENCY, async (i) => {
    if (i === WARM_UP) { warmHeap = heapAfterGc(); warmRss = process.memoryUsage().rss }
    const req = maker.make(i)
    const headers = { ...req.headers, 'x-forwarded-for': `10.9.${(i >> 8) & 255}.${i & 255}` }
    try {
      const res = await send(base, { ...req, headers })
      let shaped = false
      try {
        const body = JSON.parse(res.text) as { error?: { code?: unknown; message?: unknown } }
        shaped = typeof body.error?.code === 'string' && typeof body.error.message === 'string' && body.error.message.length > 0
      } catch {}
      answers.push({ family: req.family, status: res.status, shaped, example: `${req.method} ${req.path.slice(0, 120)} → ${res.text.slice(0, 200)}` })
    } catch (error) {
      answers.push({ family: req.family, status: `network: ${(error as Error).message}`, shaped: false, example: `${req.method} ${req.path.slice(0, 120)}` })
    }
    if (i % 100 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss)
  })
  const endHeap = heapAfterGc()
  const endRss = process.memoryUsage().rss
  const seconds = (performance.now() - started) / 1000
  t.comment(`${REQUESTS} requests in ${seconds.toFixed(1)} s across ${maker.familyCount} families; statuses ${JSON.stringify(tally(answers.map((a) => a.status)))}`)

  const not4xx = answers.filter((a) => typeof a.status !== 'number' || a.status < 400 || a.status >= 500)
  const examples = new Map<string, string>()
  for (const a of answers) if (!a.shaped && !examples.has(`${a.family} → ${a.status}`)) examples.set(`${a.family} → ${a.status}`, a.example)
  for (const [what, example] of examples) t.comment(`refused wrongly: ${what}, e.g. ${example}`)
  t.same(Object.entries(tally(not4xx.map((a) => `${a.family} → ${a.status}`))), [], 'every answer is a 4xx')
  const unshaped = answers.filter((a) => !a.shaped)
  t.same(Object.entries(tally(unshaped.map((a) => `${a.family} → ${a.status}`))), [], 'every answer is {error:{code,message}}')

  // Bodies cut off mid-upload: the server must shrug them off (an answer is optional, no crash).
  for (let i = 0; i < 20; i++) await sendTruncated(base, random.pick(['/webhooks/cal', '/tokens/cal/managed-user', '/admin/hosts']), 5000, '{"triggerEvent":"BOOKING_CREATED","payload":{"uid":"')

  t.same(await snapshot(), before, `no row changed in ${GUARDED.join(', ')}`)
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype not polluted')
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`
  t.comment(`memory: RSS ${mb(warmRss)} after ${WARM_UP} requests, peak ${mb(peakRss)}, ${mb(endRss)} at the end; heap after GC ${mb(warmHeap)} → ${mb(endHeap)}`)
  t.ok(endRss < warmRss * 1.5, `RSS flat: ${mb(endRss)} at the end < 1.5 × ${mb(warmRss)} after warm-up`)
  t.ok(endHeap < warmHeap * 1.5, `heap flat: ${mb(endHeap)} after GC at the end < 1.5 × ${mb(warmHeap)} after warm-up`)

  const health = await send(base, { method: 'GET', path: '/health', headers: {} })
  t.equal(health.status, 200, 'the server is healthy afterwards')
  const laterUid = random.uid()
  t.equal((await webhook(laterUid)).status, 200, 'a valid webhook afterwards is accepted')
  t.ok(await db.selectFrom('bookings').select('uid').where('uid', '=', laterUid).executeTakeFirst(), '…and its booking stored')
  t.equal((await mint(`member.${seed}.later@example.org`)).status, 200, 'a valid token request afterwards is answered')

  await app.close()
  t.same(leakedSecrets(log.text(), {
    ...namedSecrets(secrets),
    'access tokens minted': tokens,
    'attendee emails': [`real.${seedUid}@example.org`, `real.${laterUid}@example.org`, 'hostile.visitor@example.org'],
    'member emails': [`member.${seed}@example.org`, `member.${seed}.later@example.org`, 'member@example.org', 'someone@example.org'],
  }), [], 'no secret, token or email in the server\'s log')
})
