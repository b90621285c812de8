// How the demo composition (demo/app.ts) mounts the sandbox: only in sandbox mode, at /sandbox/cal,
// on the app's clock, persisted under DATA_DIR, and not at all when buildDemoApp is told `sandbox: false`.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { testDatabase } from '../../db/testing.js'
import { ManualClock } from '../../server/clock.js'
import { captureLogger, testConfig } from '../../server/test/helpers.js'
import { buildDemoApp, type DemoAppOptions } from '../app.js'
import { SandboxState } from '../sandbox/state.js'

const secret = { 'x-cal-secret-key': 'sandbox-secret' }
const USERS = '/sandbox/cal/v2/oauth-clients/sandbox-client/users'

// One database for the file: these apps never write to it, and migrating one per app is slow.
const { db } = await testDatabase(t)

async function app(t: Test, options: Partial<DemoAppOptions> = {}) {
  const built = await buildDemoApp({ config: testConfig(), db, clock: new ManualClock('2026-01-05T15:00:00Z'), ...options })
  t.teardown(() => built.close())
  return built
}

t.test('in sandbox mode the Platform API answers under /sandbox/cal/v2', async (t) => {
  const server = await app(t)
  const res = await server.inject({ url: USERS, headers: secret })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'success', data: [] })
  const refused = await server.inject({ url: USERS })
  t.equal(refused.statusCode, 401)
  t.equal(refused.json().status, 'error', "the sandbox's errors keep Cal.com's envelope inside our app")
  const ours = await server.inject({ url: '/no-such-route' })
  t.match(ours.json(), { error: { code: 'not_found' } }, 'and our own routes keep ours')
})

t.test('sandbox: false leaves it out', async (t) => {
  const server = await app(t, { sandbox: false })
  t.equal((await server.inject({ url: USERS, headers: secret })).statusCode, 404)
})

t.test('outside sandbox mode nothing is mounted', async (t) => {
  const config = testConfig({
    CAL_API_URL: 'https://api.cal.com/v2', CAL_CLIENT_ID: 'real-client', CAL_CLIENT_SECRET: 'real-secret-0123456789',
    CAL_WEBHOOK_SECRET: 'real-webhook-secret', ADMIN_API_KEY: 'a-real-admin-key-0123456789',
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  })
  t.equal(config.sandbox, false)
  const server = await app(t, { config })
  t.equal((await server.inject({ url: USERS, headers: secret })).statusCode, 404)
})

t.test('a handed-in state is the one served, on the clock the app was given', async (t) => {
  const clock = new ManualClock('2026-01-05T15:00:00Z')
  const state = new SandboxState({ clientId: 'sandbox-client', clientSecret: 'sandbox-secret', clock })
  const { user, tokens } = state.users.create({ email: 'shared@x.org', name: 'Shared' })
  const server = await app(t, { sandbox: state })
  t.same((await server.inject({ url: USERS, headers: secret })).json().data.map((u: any) => u.id), [user.id])
  const me = () => server.inject({ url: '/sandbox/cal/v2/me', headers: { authorization: `Bearer ${tokens.accessToken}` } })
  t.equal((await me()).statusCode, 200)
  clock.advance(3600_000)
  t.equal((await me()).statusCode, 498)
  state.faults.add({ path: '/v2/me', fault: 'drop', times: 1 })
  await t.rejects(me(), /destroyed/, 'a dropped connection fails app.inject too')
  state.faults.add({ path: '/v2/me', fault: 429, times: 1 })
  t.equal((await me()).headers['retry-after'], '1')
})

t.test('the app\'s own clock drives the mounted sandbox', async (t) => {
  const clock = new ManualClock('2026-01-05T15:00:00Z')
  const server = await app(t, { clock })
  const created = await server.inject({ method: 'POST', url: USERS, headers: secret, payload: { email: 'c@x.org', name: 'C' } })
  t.equal(created.statusCode, 201)
  t.equal(created.json().data.accessTokenExpiresAt, Date.parse('2026-01-05T16:00:00Z'))
  clock.advance(3600_000)
  const me = await server.inject({ url: '/sandbox/cal/v2/me', headers: { authorization: `Bearer ${created.json().data.accessToken}` } })
  t.equal(me.statusCode, 498)
})

t.test('with a DATA_DIR on disk, the sandbox keeps its users in sandbox.json across restarts', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-mount-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const config = testConfig({ DATA_DIR: dir })
  const first = await app(t, { config })
  const created = await first.inject({ method: 'POST', url: USERS, headers: secret, payload: { email: 'kept@x.org', name: 'Kept' } })
  t.equal(created.statusCode, 201)
  t.ok(existsSync(join(dir, 'sandbox.json')))
  t.match(readFileSync(join(dir, 'sandbox.json'), 'utf8'), 'kept+sandbox-client@x.org')
  await first.close()

  const second = await app(t, { config })
  const again = await second.inject({ method: 'POST', url: USERS, headers: secret, payload: { email: 'kept@x.org', name: 'Kept' } })
  t.equal(again.statusCode, 409, 'the user made before the restart is still there')
})

t.test('requests to the sandbox leave no email in the log (query strings carry them)', async (t) => {
  const capture = captureLogger()
  const server = await app(t, { logger: capture.logger })
  await server.inject({ url: `${USERS}?emails=ruth.private@example.org`, headers: secret })
  await server.inject({ url: '/sandbox/cal/zack/30min/embed?email=ruth.private%40example.org&name=Ruth' })
  await server.inject({ url: '/health' })
  t.ok(capture.lines.some((l) => l.includes('/health')), 'our own requests are still logged')
  t.notMatch(capture.text(), /ruth\.private/)
})
