import t from 'tap'
import { openDatabase } from '../../db/open-database.js'
import { buildApp } from '../app.js'
import { CREATE, FORCE_REFRESH, REFRESH } from './cal-helpers.js'
import { testConfig } from './helpers.js'
import { MINUTE, auditActions, calUserRow, current, mint, setup } from './token-kit.js'

t.test('a used refresh token (400 from Cal.com) falls back to force-refresh', async (t) => {
  const { app, cal, clock, calClient } = await setup(t)
  const first = (await app.inject(mint())).json()
  clock.advance(58 * MINUTE)
  cal.sandbox.faults.add({ path: '/v2/oauth/*/refresh', fault: 400, times: 1 })
  const res = await app.inject(mint())
  t.equal(res.statusCode, 200)
  t.equal(cal.count(REFRESH), 1)
  t.equal(cal.count(FORCE_REFRESH), 1)
  t.not(res.json().accessToken, first.accessToken)
  t.equal((await calClient.me(res.json().accessToken)).id, first.user.id)
})

t.test('Cal.com failures become 502/503/504 with our error shape, audited, nothing stored', async (t) => {
  const cases = [
    { fault: 500 as const, status: 502, code: 'cal_error' },
    { fault: 429 as const, retryAfterSeconds: 30, status: 503, code: 'cal_rate_limited', retryAfter: '30' },
    { fault: 'hang' as const, status: 504, code: 'cal_timeout' },
    { fault: 'drop' as const, status: 502, code: 'cal_unreachable' },
  ]
  // One database and sandbox for the create cases (a new person each), to keep the file quick.
  const shared = await setup(t, { client: { timeoutMs: 300 } })
  for (const c of cases) {
    await t.test(`on create: ${c.fault}`, async (t) => {
      const { app, cal, db } = shared
      const email = `failing-${c.fault}.${current.email}`
      cal.sandbox.faults.add({ path: '/v2/oauth-clients/*', fault: c.fault, ...(c.retryAfterSeconds ? { retryAfterSeconds: c.retryAfterSeconds } : {}) })
      t.teardown(() => cal.sandbox.faults.clear())
      const auditBefore = (await auditActions(db)).length
      const res = await app.inject(mint(email))
      t.equal(res.statusCode, c.status)
      t.equal(res.json().error.code, c.code)
      if (c.retryAfter) t.equal(res.headers['retry-after'], c.retryAfter, 'Retry-After passed on')
      t.equal((await db.selectFrom('cal_users').select('id').where('email_index', '=', app.keyRing.blindIndex(email)).execute()).length, 0, 'nothing stored')
      const audited = (await auditActions(db)).slice(auditBefore)
      t.same(audited.map((a) => [a.action, a.actor]), [['token.failed', 'token-key']], 'exactly one audit row')
      t.match(audited[0]?.detail, { operation: 'mint', code: c.code })
    })
  }

  await t.test('on refresh: the stored pair is kept when Cal.com fails', async (t) => {
    const { app, cal, clock, db } = await setup(t)
    const first = (await app.inject(mint())).json()
    const before = await calUserRow(db)
    clock.advance(58 * MINUTE)
    cal.sandbox.faults.add({ path: '/v2/oauth/*/refresh', fault: 500 })
    const res = await app.inject(mint())
    t.equal(res.statusCode, 502)
    t.equal(cal.count(REFRESH), 3, 'one call and two bounded retries')
    const after = await calUserRow(db)
    t.equal(after.refresh_token_enc, before.refresh_token_enc, 'nothing replaced')
    cal.sandbox.faults.clear()
    const recovered = await app.inject(mint())
    t.equal(recovered.statusCode, 200, 'recovers once Cal.com does')
    t.not(recovered.json().accessToken, first.accessToken)
  })

  await t.test('a single 500 or 429 is retried and succeeds', async (t) => {
    const { app, cal } = shared
    cal.calls.length = 0
    cal.sandbox.faults.add({ path: '/v2/oauth-clients/*', fault: 500, times: 1 })
    cal.sandbox.faults.add({ path: '/v2/oauth-clients/*', fault: 429, retryAfterSeconds: 0, times: 1 })
    const res = await app.inject(mint(`retried.${current.email}`))
    t.equal(res.statusCode, 200)
    t.equal(cal.count(CREATE), 3)
  })
})

t.test('Cal.com token rules when calling as the managed user: 498, 401, 403', async (t) => {
  const { app, cal, db } = await setup(t)
  const issued = (await app.inject(mint())).json()
  const row = await calUserRow(db)
  const asUser = () => app.tokenStore.withUserToken(row.id, 'system', (token) => app.calClient.me(token))

  cal.sandbox.faults.add({ path: '/v2/me', fault: 498, times: 1 })
  t.equal((await asUser()).id, issued.user.id, '498: refreshed and retried')
  t.equal(cal.count(REFRESH), 1)
  t.equal(cal.count(FORCE_REFRESH), 0)

  cal.sandbox.faults.add({ path: '/v2/me', fault: 403, times: 1 })
  t.equal((await asUser()).id, issued.user.id, '403: force-refreshed and retried')
  t.equal(cal.count(FORCE_REFRESH), 1)

  cal.sandbox.faults.add({ path: '/v2/me', fault: 401 })
  await t.rejects(asUser(), { statusCode: 502, code: 'cal_error', calStatus: 401 }, '401 twice: 502, after one force-refresh')
  t.equal(cal.count(FORCE_REFRESH), 2)
  t.equal(cal.count(/^GET \/me$/), 6, 'each rule retries once, no more')
  cal.sandbox.faults.clear()
  const stored = (await app.inject(mint())).json().accessToken
  t.equal((await app.calClient.me(stored)).id, issued.user.id, 'the stored token is the live one')
})

t.test('while Cal.com hangs, concurrent requests for a stale token all get 504 cal_timeout', async (t) => {
  const { app, cal, clock, db } = await setup(t, { client: { timeoutMs: 300 } })
  t.equal((await app.inject(mint())).statusCode, 200)
  const before = await calUserRow(db)
  clock.advance(58 * MINUTE)
  cal.sandbox.faults.add({ path: '/v2/oauth/*/refresh', fault: 'hang' })
  const answers = await Promise.all(Array.from({ length: 20 }, () => app.inject(mint())))
  t.same(answers.map((a) => a.statusCode), Array(20).fill(504), 'every answer a 504')
  t.same([...new Set(answers.map((a) => a.json().error.code))], ['cal_timeout'], 'naming Cal.com, not the database')
  const after = await calUserRow(db)
  t.equal(after.refresh_token_enc, before.refresh_token_enc, 'the stored pair is untouched')
})

t.test('the database not answering is a 503, not a crash', async (t) => {
  const { cal, clock } = await setup(t)
  // Nothing listens on port 1: every query fails at once, as with a database that is down.
  const { db } = openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/down', poolSize: 1 })
  t.teardown(() => db.destroy())
  const app = await buildApp({ config: testConfig(), db, clock, calClient: cal.client() })
  t.teardown(() => app.close())
  const res = await app.inject(mint())
  t.equal(res.statusCode, 503)
  t.equal(res.json().error.code, 'database_unavailable')
  t.equal(res.headers['retry-after'], '2')
  t.equal(cal.calls.length, 0)
})

t.test('a person waiting on a slow Cal.com does not hold up tokens served to others', async (t) => {
  const { app, cal } = await setup(t, { client: { timeoutMs: 2_000 } })
  t.equal((await app.inject(mint())).statusCode, 200)
  cal.sandbox.faults.add({ path: '/v2/oauth-clients/*', fault: 'hang' })
  let slowSettled = false
  const slow = app.inject(mint(`slow.${current.email}`)).then((res) => { slowSettled = true; return res })
  while (cal.count(CREATE) < 2) await new Promise((resolve) => setTimeout(resolve, 5))
  const served = await app.inject(mint())
  t.equal(served.statusCode, 200)
  t.notOk(slowSettled, 'served while the other request still waits on Cal.com')
  t.equal((await slow).statusCode, 504)
})
