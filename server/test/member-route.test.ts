import t from 'tap'
import { buildApp } from '../app.js'
import { signMemberAssertion } from '../tokens/member-assertion.js'
import { testConfig } from './helpers.js'
import { refusalCounts, refusalsBetween, setup } from './token-kit.js'

const MEMBER = { sub: 'm-7', email: 'Grace.Member@Example.org', name: 'Grace Member' }
const prefill = (assertion?: string, headers: Record<string, string> = {}) => ({
  method: 'GET' as const, url: '/v1/member', headers: { ...(assertion ? { 'x-churchhub-member': assertion } : {}), ...headers },
})

t.test('GET /v1/member answers who the assertion vouches for, and asks Cal.com nothing', async (t) => {
  const { app, cal, clock, db } = await setup(t)
  const assertion = signMemberAssertion(MEMBER, 'sandbox-member-secret', { now: clock.now() })
  const res = await app.inject(prefill(assertion))
  t.equal(res.statusCode, 200)
  t.same(res.json(), { email: 'grace.member@example.org', name: 'Grace Member' })
  t.equal(res.headers['cache-control'], 'no-store')
  t.same(cal.calls, [], 'no Cal.com call')
  t.same(await cal.sandbox.state.users.list(), [], 'no managed user in Cal.com')
  t.same(await db.selectFrom('cal_users').select('id').where('email_index', '=', app.keyRing.blindIndex('grace.member@example.org')).execute(), [], 'no stored token')

  t.equal((await app.inject(prefill(assertion))).statusCode, 200, 'pre-fill may use the same assertion again')
  const minted = await app.inject({ method: 'POST', url: '/tokens/cal/managed-user', headers: { 'x-churchhub-member': assertion }, payload: {} })
  t.equal(minted.statusCode, 200, 'and pre-fill did not spend its jti: it still mints once')
})

t.test('GET /v1/member refuses with 401 in the error shape, and counts each refusal', async (t) => {
  const { app, clock, db } = await setup(t)
  const before = await refusalCounts(app, db)
  const missing = await app.inject(prefill())
  t.equal(missing.statusCode, 401)
  t.same(missing.json(), { error: { code: 'unauthorized', message: 'Send the member assertion the church site signed in X-ChurchHub-Member.' } })
  t.equal(missing.headers['www-authenticate'], 'ChurchHub-Member')
  const forged = await app.inject(prefill(signMemberAssertion(MEMBER, 'another-secret-entirely-0123456789', { now: clock.now() })))
  t.equal(forged.statusCode, 401)
  t.same(forged.json(), { error: { code: 'invalid_member_assertion', message: 'The member assertion signature does not match MEMBER_ASSERTION_SECRET.' } })
  t.same(refusalsBetween(before, await refusalCounts(app, db)), { '/v1/member unauthorized': 1, '/v1/member invalid_member_assertion': 1 })
})

t.test('GET /v1/member without MEMBER_ASSERTION_SECRET: members are off', async (t) => {
  const { db, clock } = await setup(t)
  const app = await buildApp({ config: testConfig({}, { memberAssertionSecret: undefined }), db, clock })
  t.teardown(() => app.close())
  const res = await app.inject(prefill(signMemberAssertion(MEMBER, 'sandbox-member-secret', { now: clock.now() })))
  t.equal(res.statusCode, 401)
  t.equal(res.json().error.code, 'member_tokens_disabled')
})

t.test('GET /v1/member is a browser route: CORS for ALLOWED_ORIGINS only, and a per-address rate limit', async (t) => {
  const { db, clock } = await setup(t)
  const app = await buildApp({ config: testConfig({ ALLOWED_ORIGINS: 'https://gracechurch.org' }), db, clock, tokenRateLimit: { max: 2, timeWindowMs: 60_000 } })
  t.teardown(() => app.close())
  const assertion = signMemberAssertion(MEMBER, 'sandbox-member-secret', { now: clock.now() })
  const preflight = await app.inject({
    method: 'OPTIONS', url: '/v1/member',
    headers: { origin: 'https://gracechurch.org', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-churchhub-member' },
  })
  t.equal(preflight.statusCode, 204)
  t.equal(preflight.headers['access-control-allow-origin'], 'https://gracechurch.org')
  const allowed = await app.inject(prefill(assertion, { origin: 'https://gracechurch.org' }))
  t.equal(allowed.statusCode, 200)
  t.equal(allowed.headers['access-control-allow-origin'], 'https://gracechurch.org')
  const evil = await app.inject(prefill(assertion, { origin: 'https://evil.example' }))
  t.equal(evil.statusCode, 403)
  t.equal(evil.json().error.code, 'origin_not_allowed')

  t.equal((await app.inject(prefill(assertion))).statusCode, 200)
  const limited = await app.inject(prefill(assertion))
  t.equal(limited.statusCode, 429)
  t.equal(limited.json().error.code, 'rate_limited')
  t.equal((await app.inject({ ...prefill(assertion), remoteAddress: '10.0.0.7' })).statusCode, 200, 'another address is not limited')
})
