import t, { type Test } from 'tap'
import { testDatabase } from '../../db/testing.js'
import { buildApp } from '../app.js'
import { ManualClock } from '../clock.js'
import { createTokenCipher } from '../tokens/crypto.js'
import { signMemberAssertion } from '../tokens/member-assertion.js'
import { CREATE, FORCE_REFRESH, REFRESH, startCal } from './cal-helpers.js'
import { testConfig } from './helpers.js'

const ADMIN = { authorization: 'Bearer sandbox-admin-key' }
const MINUTE = 60_000
const mint = (email = 'ruth@example.org', name = 'Ruth Miller') => ({
  method: 'POST' as const, url: '/tokens/cal/managed-user', headers: ADMIN, payload: { email, name, timeZone: 'America/Chicago' },
})

async function setup(t: Test, options: { client?: Parameters<Awaited<ReturnType<typeof startCal>>['client']>[0] } = {}) {
  const clock = new ManualClock(new Date())
  const cal = await startCal(t, { clock })
  const database = await testDatabase(t)
  const calClient = cal.client(options.client)
  const app = await buildApp({ config: testConfig(), db: database.db, clock, calClient })
  t.teardown(() => app.close())
  return { app, cal, clock, database, db: database.db, calClient }
}

const auditActions = async (db: Awaited<ReturnType<typeof setup>>['db']) =>
  (await db.selectFrom('audit_log').select(['action', 'actor', 'subject', 'detail']).orderBy('id').execute())

t.test('the first request creates the managed user; repeats within its life make no Cal.com call', async (t) => {
  const { app, cal, db, calClient } = await setup(t)
  const first = await app.inject(mint())
  t.equal(first.statusCode, 200)
  const body = first.json()
  t.match(body, { accessToken: String, accessTokenExpiresAt: Number, user: { id: Number, username: String, email: 'ruth@example.org', name: 'Ruth Miller' } })
  t.equal(first.headers['cache-control'], 'no-store')
  t.same(cal.calls, ['POST /oauth-clients/sandbox-client/users'], 'one create, nothing else')

  for (let i = 0; i < 5; i++) {
    const again = await app.inject(mint('Ruth@Example.org'))
    t.equal(again.json().accessToken, body.accessToken, 'the stored token is served')
  }
  t.equal(cal.calls.length, 1, 'no Cal.com call while the token has more than 5 minutes left')
  t.equal((await calClient.me(body.accessToken)).id, body.user.id, 'Cal.com accepts the token')

  const audit = await auditActions(db)
  t.match(audit, [{ action: 'token.minted', actor: 'admin', subject: /^cal_user:\d+$/, detail: { calUserId: body.user.id, via: 'created' } }])
  t.notMatch(JSON.stringify(audit), /ruth@|eyJ/i, 'no email or token in the audit log')
})

t.test('moving past expiry minus 5 minutes triggers exactly one refresh', async (t) => {
  const { app, cal, clock, db, calClient } = await setup(t)
  const first = (await app.inject(mint())).json()
  clock.advance(54 * MINUTE)
  t.equal((await app.inject(mint())).json().accessToken, first.accessToken, 'still fresh at 6 minutes left')
  t.equal(cal.count(REFRESH), 0)
  clock.advance(2 * MINUTE)
  const second = (await app.inject(mint())).json()
  t.not(second.accessToken, first.accessToken, 'a new token')
  t.ok(second.accessTokenExpiresAt > first.accessTokenExpiresAt)
  const third = (await app.inject(mint())).json()
  t.equal(third.accessToken, second.accessToken)
  t.equal(cal.count(REFRESH), 1, 'one refresh')
  t.equal(cal.count(FORCE_REFRESH), 0)
  t.equal((await calClient.me(second.accessToken)).id, first.user.id)
  t.match((await auditActions(db)).map((a) => a.action), ['token.minted', 'token.refreshed'])
})

t.test('50 concurrent requests for an expired token across two app instances refresh once and agree', async (t) => {
  const { app, cal, clock, database, calClient } = await setup(t)
  // A second replica: its own pool on the same Postgres, or the same PGlite (one process only).
  const other = process.env.DATABASE_URL ? database.openAnother().db : database.db
  const app2 = await buildApp({ config: testConfig(), db: other, clock, calClient: cal.client() })
  t.teardown(() => app2.close())
  const first = (await app.inject(mint())).json()
  clock.advance(61 * MINUTE)
  const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? app : app2).inject(mint())))
  t.same(answers.map((a) => a.statusCode), Array(50).fill(200))
  const tokens = new Set(answers.map((a) => a.json().accessToken))
  t.equal(tokens.size, 1, 'everyone got the same token')
  t.not([...tokens][0], first.accessToken)
  t.equal(cal.count(REFRESH), 1, 'exactly one refresh call')
  t.equal(cal.count(FORCE_REFRESH), 0)
  t.equal(cal.count(CREATE), 1)
  t.equal((await calClient.me([...tokens][0]!)).id, first.user.id, 'and it is valid')
})

t.test('first requests for a new person at once create them once', async (t) => {
  const { app, cal } = await setup(t)
  const answers = await Promise.all(Array.from({ length: 10 }, () => app.inject(mint('new@example.org', 'New Person'))))
  t.same(answers.map((a) => a.statusCode), Array(10).fill(200))
  t.equal(new Set(answers.map((a) => a.json().accessToken)).size, 1)
  t.equal(cal.count(CREATE), 1)
  t.equal(cal.count(FORCE_REFRESH), 0)
})

t.test('a 409 on create is resolved by finding the user and force-refreshing; the caller never sees it', async (t) => {
  const { app, cal, db, calClient } = await setup(t)
  const existing = await calClient.createManagedUser({ email: 'ruth@example.org', name: 'Ruth Miller' })
  cal.calls.length = 0
  const res = await app.inject(mint())
  t.equal(res.statusCode, 200)
  t.equal(res.json().user.id, existing.user.id)
  t.match(cal.calls, [CREATE, /^GET \/oauth-clients\/sandbox-client\/users$/, FORCE_REFRESH])
  t.equal((await calClient.me(res.json().accessToken)).id, existing.user.id)
  t.match(await auditActions(db), [{ action: 'token.minted', detail: { via: 'existing' } }])
})

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
      const email = `failing-${c.fault}@example.org`
      cal.sandbox.faults.add({ path: '/v2/oauth-clients/*', fault: c.fault, ...(c.retryAfterSeconds ? { retryAfterSeconds: c.retryAfterSeconds } : {}) })
      t.teardown(() => cal.sandbox.faults.clear())
      const auditBefore = (await auditActions(db)).length
      const res = await app.inject(mint(email))
      t.equal(res.statusCode, c.status)
      t.equal(res.json().error.code, c.code)
      if (c.retryAfter) t.equal(res.headers['retry-after'], c.retryAfter, 'Retry-After passed on')
      t.equal((await db.selectFrom('cal_users').select('id').where('email', '=', email).execute()).length, 0, 'nothing stored')
      t.match((await auditActions(db)).slice(auditBefore), [{ action: 'token.failed', actor: 'admin', detail: { operation: 'mint', code: c.code } }])
    })
  }

  await t.test('on refresh: the stored pair is kept when Cal.com fails', async (t) => {
    const { app, cal, clock, db } = await setup(t)
    const first = (await app.inject(mint())).json()
    const before = await db.selectFrom('cal_users').selectAll().executeTakeFirstOrThrow()
    clock.advance(58 * MINUTE)
    cal.sandbox.faults.add({ path: '/v2/oauth/*/refresh', fault: 500 })
    const res = await app.inject(mint())
    t.equal(res.statusCode, 502)
    t.equal(cal.count(REFRESH), 3, 'one call and two bounded retries')
    const after = await db.selectFrom('cal_users').selectAll().executeTakeFirstOrThrow()
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
    const res = await app.inject(mint())
    t.equal(res.statusCode, 200)
    t.equal(cal.count(CREATE), 3)
  })
})

t.test('Cal.com token rules when calling as the managed user: 498, 401, 403', async (t) => {
  const { app, cal, db } = await setup(t)
  const issued = (await app.inject(mint())).json()
  const row = await db.selectFrom('cal_users').select('id').executeTakeFirstOrThrow()
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

t.test('tokens in the database are not readable without the key', async (t) => {
  const { app, db } = await setup(t)
  const issued = (await app.inject(mint())).json()
  const row = await db.selectFrom('cal_users').selectAll().executeTakeFirstOrThrow()
  const stored = JSON.stringify(row)
  t.notOk(stored.includes(issued.accessToken), 'no access token in clear')
  t.notOk(stored.includes(issued.accessToken.split('.')[1]), 'not even its payload')
  t.notMatch(row.access_token_enc, /^eyJ/)
  t.notOk(row.access_token_hash.includes(issued.accessToken))
  const otherKey = createTokenCipher(Buffer.alloc(32, 7))
  t.throws(() => otherKey.decrypt(row.access_token_enc), 'another key cannot open it')
  t.throws(() => otherKey.decrypt(row.refresh_token_enc))
})

t.test('GET /tokens/cal/refresh answers for the owner of an expired token', async (t) => {
  const { app, cal, clock } = await setup(t)
  const first = (await app.inject(mint())).json()
  const refresh = (token?: string) => app.inject({ method: 'GET', url: '/tokens/cal/refresh', headers: token ? { authorization: `Bearer ${token}` } : {} })

  const fresh = await refresh(first.accessToken)
  t.equal(fresh.statusCode, 200)
  t.same(fresh.json(), { accessToken: first.accessToken }, 'fresh: the same token, no Cal.com call')
  t.equal(cal.count(REFRESH), 0)

  clock.advance(61 * MINUTE)
  const renewed = await refresh(first.accessToken)
  t.equal(renewed.statusCode, 200)
  t.not(renewed.json().accessToken, first.accessToken)
  t.equal(cal.count(REFRESH), 1)
  t.same((await refresh(first.accessToken)).json(), renewed.json(), 'the replaced token still finds its owner')
  t.equal(cal.count(REFRESH), 1)

  const unknown = await refresh('eyJhbGciOiJIUzI1NiJ9.e30.forged')
  t.equal(unknown.statusCode, 401)
  t.equal(unknown.json().error.code, 'unknown_token')
  t.equal((await refresh()).statusCode, 401)
})

t.test('member assertions: the email comes from the signed assertion only', async (t) => {
  const { app, clock, db } = await setup(t)
  const now = clock.now()
  const sign = (claims = { sub: 'm-42', email: 'Member@Example.org', name: 'Mary Member' }, opts = {}) =>
    signMemberAssertion(claims, 'sandbox-member-secret', { now, ...opts })
  const asMember = (assertion: string, payload: object = {}) =>
    app.inject({ method: 'POST', url: '/tokens/cal/managed-user', headers: { 'x-churchhub-member': assertion }, payload })

  const ok = await asMember(sign(), { email: 'someone-else@example.org', name: 'Eve' })
  t.equal(ok.statusCode, 200)
  t.equal(ok.json().user.email, 'member@example.org', 'the posted email is ignored')
  t.equal(ok.json().user.name, 'Mary Member')
  t.match(await auditActions(db), [{ action: 'token.minted', actor: 'member:m-42' }])

  const header = (obj: object) => Buffer.from(JSON.stringify(obj)).toString('base64url')
  const [, payload, signature] = sign().split('.')
  const refusals: [string, string][] = [
    ['forged signature', sign(undefined, {}).replace(/.{4}$/, 'AAAA')],
    ['signed with another secret', signMemberAssertion({ sub: 'x', email: 'x@example.org', name: 'X' }, 'not-the-secret-at-all', { now })],
    ['expired', sign(undefined, { now: new Date(now.getTime() - 20 * MINUTE) })],
    ['too far ahead', sign(undefined, { ttlSeconds: 3600 })],
    ['alg none', `${header({ alg: 'none', typ: 'JWT' })}.${payload}.`],
    ['alg HS512', `${header({ alg: 'HS512', typ: 'JWT' })}.${payload}.${signature}`],
    ['not a JWS', 'hello'],
  ]
  for (const [what, assertion] of refusals) {
    const res = await asMember(assertion)
    t.equal(res.statusCode, 401, what)
    t.equal(res.json().error.code, 'invalid_member_assertion', what)
  }
  t.equal((await app.inject({ method: 'POST', url: '/tokens/cal/managed-user', payload: { email: 'a@example.org', name: 'A' } })).statusCode, 401, 'a bare browser post is refused')
})

t.test('admin auth and body validation on the token route', async (t) => {
  const { app } = await setup(t)
  const wrongKey = await app.inject({ ...mint(), headers: { authorization: 'Bearer not-the-admin-key' } })
  t.equal(wrongKey.statusCode, 401)
  t.equal(wrongKey.json().error.code, 'unauthorized')
  const noEmail = await app.inject({ ...mint(), payload: { name: 'No Email' } })
  t.equal(noEmail.statusCode, 400)
  t.match(noEmail.json().error.message, /email/)
  const badZone = await app.inject({ ...mint(), payload: { email: 'a@example.org', name: 'A', timeZone: 'Mars/Olympus' } })
  t.equal(badZone.statusCode, 400)
  t.match(badZone.json().error.message, /timeZone/)
})

t.test('per-IP rate limit on the token routes', async (t) => {
  const clock = new ManualClock(new Date())
  const cal = await startCal(t, { clock })
  const { db } = await testDatabase(t)
  const app = await buildApp({ config: testConfig(), db, clock, calClient: cal.client(), tokenRateLimit: { max: 2, timeWindowMs: 60_000 } })
  t.teardown(() => app.close())
  t.equal((await app.inject(mint())).statusCode, 200)
  t.equal((await app.inject(mint())).statusCode, 200)
  const limited = await app.inject(mint())
  t.equal(limited.statusCode, 429)
  t.equal(limited.json().error.code, 'rate_limited')
  t.match(limited.headers['retry-after'], /^\d+$/)
  const elsewhere = await app.inject({ ...mint(), remoteAddress: '10.0.0.9' })
  t.equal(elsewhere.statusCode, 200, 'another address is not limited')
})
