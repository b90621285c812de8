import t from 'tap'
import { buildApp } from '../app.js'
import { rotateKeys } from '../privacy/rotate-keys.js'
import { createTokenCipher } from '../tokens/crypto.js'
import { signMemberAssertion } from '../tokens/member-assertion.js'
import { CREATE, FORCE_REFRESH, REFRESH } from './cal-helpers.js'
import { build, testConfig } from './helpers.js'
import { MINUTE, auditActions, calUserRow, current, mint, refusalCounts, refusalsBetween, setup, testRing } from './token-kit.js'

t.test('the first request creates the managed user; repeats within its life make no Cal.com call', async (t) => {
  const { app, cal, db, calClient } = await setup(t)
  const first = await app.inject(mint())
  t.equal(first.statusCode, 200)
  const body = first.json()
  t.match(body, { accessToken: String, accessTokenExpiresAt: Number, user: { id: Number, username: String, email: current.email, name: 'Ruth Miller' } })
  t.equal(first.headers['cache-control'], 'no-store')
  t.same(cal.calls, ['POST /oauth-clients/sandbox-client/users'], 'one create, nothing else')

  for (let i = 0; i < 5; i++) {
    const again = await app.inject(mint(current.email.toUpperCase()))
    t.equal(again.json().accessToken, body.accessToken, 'the stored token is served')
  }
  t.equal(cal.calls.length, 1, 'no Cal.com call while the token has more than 5 minutes left')
  t.equal((await calClient.me(body.accessToken)).id, body.user.id, 'Cal.com accepts the token')

  const audit = await auditActions(db)
  t.equal(audit.length, 1, 'exactly one audit row')
  t.same(audit[0], { action: 'token.minted', actor: 'token-key', subject: audit[0]!.subject, detail: { calUserId: body.user.id, via: 'created' } })
  t.match(audit[0]!.subject, /^cal_user:\d+$/)
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
  t.same((await auditActions(db)).map((a) => a.action), ['token.minted', 'token.refreshed'])
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
  const answers = await Promise.all(Array.from({ length: 10 }, () => app.inject(mint(`new.${current.email}`, 'New Person'))))
  t.same(answers.map((a) => a.statusCode), Array(10).fill(200))
  t.equal(new Set(answers.map((a) => a.json().accessToken)).size, 1)
  t.equal(cal.count(CREATE), 1)
  t.equal(cal.count(FORCE_REFRESH), 0)
})

t.test('a 409 on create is resolved by finding the user and force-refreshing; the caller never sees it', async (t) => {
  const { app, cal, db, calClient } = await setup(t)
  const existing = await calClient.createManagedUser({ email: current.email, name: 'Ruth Miller' })
  cal.calls.length = 0
  const res = await app.inject(mint())
  t.equal(res.statusCode, 200)
  t.equal(res.json().user.id, existing.user.id)
  t.equal(cal.calls.length, 3, 'three Cal.com calls: create, find, force-refresh')
  t.match(cal.calls[0], CREATE)
  t.equal(cal.calls[1], 'GET /oauth-clients/sandbox-client/users')
  t.match(cal.calls[2], FORCE_REFRESH)
  t.equal((await calClient.me(res.json().accessToken)).id, existing.user.id)
  t.same((await auditActions(db)).map((a) => [a.action, a.detail]), [['token.minted', { calUserId: existing.user.id, via: 'existing' }]])
})

t.test('tokens in the database are not readable without the key', async (t) => {
  const { app, db } = await setup(t)
  const issued = (await app.inject(mint())).json()
  const row = await calUserRow(db)
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
  const { app, cal, clock, db } = await setup(t)
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

  const before = await refusalCounts(app, db)
  const unknown = await refresh('eyJhbGciOiJIUzI1NiJ9.e30.forged')
  t.equal(unknown.statusCode, 401)
  t.equal(unknown.json().error.code, 'unknown_token')
  t.equal((await refresh()).statusCode, 401)
  t.same(refusalsBetween(before, await refusalCounts(app, db)), { '/tokens/cal/refresh unknown_token': 1, '/tokens/cal/refresh unauthorized': 1 }, 'each refusal is counted')
})

t.test('GET /tokens/cal/refresh takes the current or the replaced token only within 24 hours of its expiry', async (t) => {
  const { app, clock, db } = await setup(t)
  const refresh = (token: string) => app.inject({ method: 'GET', url: '/tokens/cal/refresh', headers: { authorization: `Bearer ${token}` } })
  const first = (await app.inject(mint())).json()
  const firstExpiry = first.accessTokenExpiresAt
  clock.set(new Date(firstExpiry + 23 * 60 * MINUTE))
  const second = await refresh(first.accessToken)
  t.equal(second.statusCode, 200, '23 hours after expiry: renewed')
  const secondToken = second.json().accessToken
  t.equal((await refresh(first.accessToken)).statusCode, 200, 'the replaced token, 23 hours after its expiry, is still taken')

  clock.set(new Date(firstExpiry + 24 * 60 * MINUTE + 1000))
  const before = await refusalCounts(app, db)
  const tooOld = await refresh(first.accessToken)
  t.equal(tooOld.statusCode, 401, 'the replaced token, a day past its expiry, is refused')
  t.equal(tooOld.json().error.code, 'token_too_old')
  const third = await refresh(secondToken)
  t.equal(third.statusCode, 200, 'the current token, just expired, is renewed')
  t.same(refusalsBetween(before, await refusalCounts(app, db)), { '/tokens/cal/refresh token_too_old': 1 })

  const current = (await calUserRow(db)).access_token_expires_at.getTime()
  clock.set(new Date(current + 24 * 60 * MINUTE + 1000))
  t.equal((await refresh(third.json().accessToken)).json().error.code, 'token_too_old', 'the current token, a day past its expiry, is refused too')
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
  t.same((await auditActions(db)).map((a) => [a.action, a.actor]), [['token.minted', 'member:m-42']])

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
  const before = await refusalCounts(app, db)
  for (const [what, assertion] of refusals) {
    const res = await asMember(assertion)
    t.equal(res.statusCode, 401, what)
    t.equal(res.json().error.code, 'invalid_member_assertion', what)
  }
  t.equal((await app.inject({ method: 'POST', url: '/tokens/cal/managed-user', payload: { email: 'a@example.org', name: 'A' } })).statusCode, 401, 'a bare browser post is refused')
  t.same(refusalsBetween(before, await refusalCounts(app, db)), {
    '/tokens/cal/managed-user invalid_member_assertion': refusals.length,
    '/tokens/cal/managed-user unauthorized': 1,
  }, 'each refusal is counted, by address, route and reason: never with what was sent')
})

t.test('token-key auth and body validation on the token route', async (t) => {
  const { app } = await setup(t)
  const wrongKey = await app.inject({ ...mint(), headers: { authorization: 'Bearer not-the-token-key' } })
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
  const { cal, clock, db } = await setup(t)
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

t.test('without a Platform client the token routes answer 404 managed_users_not_configured', async (t) => {
  const { app } = await build(t, { config: testConfig({}, { cal: { ...testConfig().cal, clientId: undefined, clientSecret: undefined } }) })
  for (const [method, url] of [['POST', '/tokens/cal/managed-user'], ['GET', '/tokens/cal/refresh']] as const) {
    const res = await app.inject({ method, url, headers: { authorization: 'Bearer sandbox-admin-key' }, ...(method === 'POST' ? { payload: { email: 'a@example.org', name: 'A' } } : {}) })
    t.equal(res.statusCode, 404, url)
    t.equal(res.json().error.code, 'managed_users_not_configured')
  }
})

t.test('a managed user stored before its email was sealed is still found by its email, refreshed, then sealed by keys:rotate', async (t) => {
  const { app, cal, clock, db } = await setup(t)
  const first = (await app.inject(mint())).json()
  // As the row was before migration 2026-11-25T15-00: plain text, no blind index.
  await db.updateTable('cal_users').set({ email: current.email, name: 'Ruth Miller', cal_username: first.user.username, email_index: null })
    .where('id', '=', (await calUserRow(db)).id).execute()
  const legacy = await db.selectFrom('cal_users').select('id').where('email', '=', current.email).executeTakeFirstOrThrow()
  t.same((await app.inject(mint(current.email.toUpperCase()))).json(), first, 'served from the plain row')
  clock.advance(61 * MINUTE)
  const refreshed = (await app.inject(mint())).json()
  t.not(refreshed.accessToken, first.accessToken, 'refreshed')
  t.same(refreshed.user, first.user)
  t.same([cal.count(CREATE), cal.count(REFRESH)], [1, 1], 'the plain row was found: no second managed user')

  t.same((await rotateKeys(db, testRing())).find((r) => r.table === 'cal_users'), { table: 'cal_users', rowsMoved: 1 })
  const sealed = await calUserRow(db)
  t.equal(sealed.id, legacy.id, 'the same row, now found by its blind index')
  t.notOk([sealed.email, sealed.name, sealed.cal_username].some((v) => v?.includes('ruth') || v?.includes('Ruth')), 'email, name and username sealed')
  t.same((await app.inject(mint())).json(), refreshed, 'and served as before')
  t.equal(cal.calls.length, 2, 'no further Cal.com call')
})
