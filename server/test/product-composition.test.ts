// The product as `npm run serve` builds it: its own routes only. The demo pages and the Cal.com
// sandbox belong to the demo composition (demo/app.ts), and no configuration brings them in here.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { loadConfig } from '../config.js'
import { build, testConfig } from './helpers.js'

const PRODUCTION = {
  CAL_CLIENT_ID: 'church-client',
  CAL_CLIENT_SECRET: 'church-client-secret',
  CAL_WEBHOOK_SECRET: 'church-webhook-secret',
  ADMIN_API_KEY: 'a-real-admin-key-of-the-church',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  MEMBER_ASSERTION_SECRET: 'a-member-secret-of-the-church-0123456789',
  PUBLIC_URL: 'https://booking.gracechurch.org',
  LOG_LEVEL: 'silent',
  DATA_DIR: 'memory://',
}

const DEMO_AND_SANDBOX = ['/', '/demo', '/demo/member', '/demo/admin', '/demo/assets/site.css',
  '/sandbox/cal/zack', '/sandbox/cal/embed/embed.js', '/sandbox/cal/v2/me', '/sandbox/cal/_control/state']

const production = await build(t, { config: loadConfig(PRODUCTION) })

t.test('the production composition answers 404 for the demo pages and the sandbox', async (t) => {
  for (const url of DEMO_AND_SANDBOX) {
    const res = await production.app.inject({ url })
    t.equal(res.statusCode, 404, url)
    t.same(res.json(), { error: { code: 'not_found', message: `No route for GET ${url}.` } }, url)
  }
  t.equal((await production.app.inject({ method: 'POST', url: '/sandbox/cal/_control/webhooks', payload: {} })).statusCode, 404)
  t.equal((await production.app.inject({ url: '/health' })).statusCode, 200, 'while its own routes answer')
})

t.test('nor does a sandbox-mode configuration bring them in: only the demo composition mounts them', async (t) => {
  const config = testConfig()
  t.equal(config.sandbox, true)
  const { app } = await build(t, { config, db: production.db })
  for (const url of DEMO_AND_SANDBOX) t.equal((await app.inject({ url })).statusCode, 404, url)
})

t.test('every answer says nosniff: success, not found, refused and invalid alike', async (t) => {
  const { app } = production
  const answers = [
    await app.inject({ url: '/health' }),
    await app.inject({ url: '/no-such-route' }),
    await app.inject({ url: '/admin/bookings' }),
    await app.inject({ method: 'POST', url: '/admin/hosts', headers: { authorization: `Bearer ${PRODUCTION.ADMIN_API_KEY}` }, payload: { username: '' } }),
    await app.inject({ method: 'POST', url: '/webhooks/cal', headers: { 'content-type': 'application/json' }, payload: '{' }),
    await app.inject({ url: '/v1/hosts/%E0%A4%A' }),
  ]
  t.same(answers.map((res) => res.statusCode), [200, 404, 401, 400, 401, 400])
  t.same(answers.map((res) => res.headers['x-content-type-options']), Array(answers.length).fill('nosniff'))
})

t.test('HSTS when PUBLIC_URL is https, never when it is http', async (t) => {
  const https = await production.app.inject({ url: '/health' })
  t.equal(https.headers['strict-transport-security'], 'max-age=63072000; includeSubDomains')
  t.equal((await production.app.inject({ url: '/nowhere' })).headers['strict-transport-security'], 'max-age=63072000; includeSubDomains', 'on a 404 too')

  const { app } = await build(t, { config: loadConfig({ ...PRODUCTION, PUBLIC_URL: 'http://booking.internal:3000' }), db: production.db })
  t.equal((await app.inject({ url: '/health' })).headers['strict-transport-security'], undefined)
})

t.test('the HTTP server\'s timeouts are the chosen ones, not Node\'s or Fastify\'s defaults', async (t) => {
  const { server } = production.app
  t.same(
    { headersTimeout: server.headersTimeout, requestTimeout: server.requestTimeout, keepAliveTimeout: server.keepAliveTimeout },
    { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 65_000 },
  )
})

t.test('the production entry started with no configuration stops, asking for a real Cal.com\'s secrets', async (t) => {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root, env: { PATH: process.env.PATH, DATA_DIR: 'memory://' }, encoding: 'utf8', timeout: 60_000,
  })
  t.equal(run.status, 1)
  t.same(run.stderr.trim().split('\n').map((line) => line.split(':').slice(0, 2).join(':')), [
    'Configuration error: ADMIN_API_KEY', 'Configuration error: TOKEN_ENCRYPTION_KEY', 'Configuration error: PUBLIC_URL',
  ])
  t.equal(run.stdout, '', 'nothing started')
})
