import t from 'tap'
import { buildApp } from '../app.js'
import { ConfigError, loadConfig } from '../config.js'
import { REAL_ENV, testConfig } from './helpers.js'
import { ADMIN, TOKEN_KEY, current, mint, refusalCounts, refusalsBetween, setup } from './token-kit.js'

const problems = (env: NodeJS.ProcessEnv) => {
  try { loadConfig(env); return [] } catch (error) { if (error instanceof ConfigError) return error.problems; throw error }
}

t.test('TOKEN_API_KEY mints tokens for an email and nothing else; the admin key cannot mint', async (t) => {
  const { app } = await setup(t)
  t.equal((await app.inject(mint())).statusCode, 200, 'the token key mints')
  const byAdmin = await app.inject({ ...mint(), headers: ADMIN })
  t.equal(byAdmin.statusCode, 401, 'the admin key does not')
  t.match(byAdmin.json().error.message, /the admin key cannot mint tokens/)
  for (const url of ['/admin/bookings', '/admin/audit']) {
    t.equal((await app.inject({ method: 'GET', url, headers: TOKEN_KEY })).statusCode, 401, `the token key is not an admin key: GET ${url}`)
  }
  t.equal((await app.inject({ method: 'POST', url: '/admin/hosts', headers: TOKEN_KEY, payload: { username: 'x', name: 'X', calLink: 'x' } })).statusCode, 401, 'nor may it manage hosts')
  t.equal((await app.inject({ method: 'GET', url: '/admin/bookings', headers: ADMIN })).statusCode, 200, 'the admin key reads bookings')
})

t.test('without TOKEN_API_KEY, backend minting is off and says how to turn it on', async (t) => {
  const { db, clock, cal } = await setup(t)
  const app = await buildApp({ config: testConfig({}, { tokenApiKey: undefined }), db, clock, calClient: cal.client() })
  t.teardown(() => app.close())
  const res = await app.inject(mint())
  t.equal(res.statusCode, 401)
  t.match(res.json().error.message, /set TOKEN_API_KEY/)
})

t.test('wrong admin or token keys: ten a minute per address, then 429 whatever is sent', async (t) => {
  const { app, clock, db } = await setup(t)
  const from = (remoteAddress: string, headers: Record<string, string>) => ({ method: 'GET' as const, url: '/admin/audit', headers, remoteAddress })
  const before = await refusalCounts(app, db, '10.1.1.1')
  for (let i = 0; i < 6; i++) t.equal((await app.inject(from('10.1.1.1', { authorization: `Bearer wrong-${i}` }))).statusCode, 401)
  for (let i = 0; i < 4; i++) t.equal((await app.inject({ ...mint(), headers: { authorization: `Bearer wrong-${i}` }, remoteAddress: '10.1.1.1' })).statusCode, 401)
  const limited = await app.inject(from('10.1.1.1', ADMIN))
  t.equal(limited.statusCode, 429, 'after ten failures, even the right admin key waits')
  t.equal(limited.json().error.code, 'rate_limited')
  t.equal(limited.headers['retry-after'], '60')
  t.equal((await app.inject({ ...mint(), remoteAddress: '10.1.1.1' })).statusCode, 429, 'and the right token key')
  t.equal((await app.inject(from('10.2.2.2', ADMIN))).statusCode, 200, 'another address is not limited')
  t.equal((await app.inject(from('10.1.1.1', {}))).statusCode, 429)
  t.same(refusalsBetween(before, await refusalCounts(app, db, '10.1.1.1')), {
    '/admin/audit unauthorized': 6, '/tokens/cal/managed-user unauthorized': 4, '/tokens/cal/managed-user rate_limited': 1,
  }, 'each refusal counted')
  clock.advance(61_000)
  t.equal((await app.inject(from('10.1.1.1', ADMIN))).statusCode, 200, 'a minute later the right key works again')
  t.equal((await app.inject({ ...mint(current.email), remoteAddress: '10.1.1.1' })).statusCode, 200)
})

t.test('config: TOKEN_API_KEY in the sandbox, and the rules for keys and assertion secrets outside it', async (t) => {
  t.equal(testConfig().tokenApiKey, 'sandbox-token-key', 'the sandbox\'s public development value')
  t.equal(loadConfig(REAL_ENV).tokenApiKey, undefined, 'unset outside the sandbox: backend minting off')
  t.same(problems({ ...REAL_ENV, TOKEN_API_KEY: 'sandbox-token-key' }), ['TOKEN_API_KEY: the sandbox\'s development value is refused outside sandbox mode; set a secret of your own'])
  t.same(problems({ ...REAL_ENV, TOKEN_API_KEY: REAL_ENV.ADMIN_API_KEY }), ['TOKEN_API_KEY: must differ from ADMIN_API_KEY, or the token key would manage hosts and read bookings too'])
  t.same(problems({ ...REAL_ENV, MEMBER_ASSERTION_SECRET: 'only-twenty-four-bytes!!' }), ['MEMBER_ASSERTION_SECRET: expected at least 32 bytes outside sandbox mode (openssl rand -base64 32)'])
  t.same(problems({ ...REAL_ENV, MEMBER_ASSERTION_SECRET: 'x'.repeat(32), MEMBER_ASSERTION_AUDIENCE: 'https://booking.gracechurch.org' }), [])
  t.equal(loadConfig({ ...REAL_ENV, MEMBER_ASSERTION_AUDIENCE: 'https://booking.gracechurch.org' }).memberAssertionAudience, 'https://booking.gracechurch.org')
})
