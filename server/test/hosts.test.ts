import t, { type Test } from 'tap'
import { testDatabase } from '../../db/testing.js'
import { buildApp } from '../app.js'
import { seedSandboxHosts } from '../../demo/seed-sandbox-hosts.js'
import { build, testConfig } from './helpers.js'

const ADMIN = { authorization: 'Bearer sandbox-admin-key' }
// One migrated database for the file (making one is the slow part); each test uses hosts of its own.
const shared = testDatabase(t)
const buildShared = async (t: Test) => build(t, { db: (await shared).db })
const host = {
  username: 'pastor-dan', name: 'Pastor Dan Reyes', calLink: 'dan-reyes', calOrigin: 'https://cal.gracechurch.org',
  eventTypes: [{ slug: '30min', title: 'Pastoral care, 30 minutes', length: 30 }],
}

t.test('an admin registers a host; the widget reads its public booking info', async (t) => {
  const { app, db } = await buildShared(t)
  const created = await app.inject({ method: 'POST', url: '/admin/hosts', headers: ADMIN, payload: host })
  t.equal(created.statusCode, 201)
  t.match(created.json(), { ...host, created: true })

  const read = await app.inject({ method: 'GET', url: '/v1/hosts/Pastor-Dan' })
  t.equal(read.statusCode, 200)
  t.same(read.json(), {
    username: 'pastor-dan', name: 'Pastor Dan Reyes', calLink: 'dan-reyes', calOrigin: 'https://cal.gracechurch.org',
    embedJsUrl: 'https://cal.gracechurch.org/embed/embed.js', eventTypes: host.eventTypes,
  }, 'a self-hosted Cal.com serves its own embed.js; nothing else in the answer')

  const updated = await app.inject({ method: 'POST', url: '/admin/hosts', headers: ADMIN, payload: { username: 'pastor-dan', name: 'Pastor Dan', calLink: 'team/grace/care' } })
  t.equal(updated.statusCode, 200)
  t.equal(updated.json().created, false)
  const after = (await app.inject({ method: 'GET', url: '/v1/hosts/pastor-dan' })).json()
  t.equal(after.calLink, 'team/grace/care')
  t.equal(after.calOrigin, app.config.cal.origin, 'without calOrigin the configured Cal.com is used')
  t.equal(after.embedJsUrl, app.config.cal.embedJsUrl)

  const audit = await db.selectFrom('audit_log').select(['actor', 'action', 'subject']).where('subject', '=', 'host:pastor-dan').orderBy('id').execute()
  t.same(audit, [
    { actor: 'admin', action: 'host.registered', subject: 'host:pastor-dan' },
    { actor: 'admin', action: 'host.updated', subject: 'host:pastor-dan' },
  ])
})

t.test('admin auth and validation on POST /admin/hosts', async (t) => {
  const { app, db } = await buildShared(t)
  await db.deleteFrom('hosts').where('username', '=', 'pastor-dan').execute()
  const noKey = await app.inject({ method: 'POST', url: '/admin/hosts', payload: host })
  t.equal(noKey.statusCode, 401)
  t.equal(noKey.json().error.code, 'unauthorized')
  const wrongKey = await app.inject({ method: 'POST', url: '/admin/hosts', headers: { authorization: 'Bearer nope' }, payload: host })
  t.equal(wrongKey.statusCode, 401)
  for (const [field, payload] of [
    ['calLink', { ...host, calLink: 'https://cal.com/dan' }],
    ['calLink', { ...host, calLink: 'dan/../admin' }],
    ['username', { ...host, username: 'no spaces allowed' }],
    ['calOrigin', { ...host, calOrigin: 'javascript:alert(1)' }],
    ['eventTypes', { ...host, eventTypes: [{ slug: '30min', title: 'x', length: 0 }] }],
  ] as const) {
    const res = await app.inject({ method: 'POST', url: '/admin/hosts', headers: ADMIN, payload })
    t.equal(res.statusCode, 400, field)
    t.match(res.json().error.message, field, `the message names ${field}`)
  }
  t.equal((await db.selectFrom('hosts').select('id').where('username', '=', 'pastor-dan').execute()).length, 0, 'nothing stored')
})

t.test('an unknown host is 404 in the error shape', async (t) => {
  const { app } = await buildShared(t)
  const res = await app.inject({ method: 'GET', url: '/v1/hosts/nobody' })
  t.equal(res.statusCode, 404)
  t.equal(res.json().error.code, 'host_not_found')
})

t.test('the sandbox hosts are registered once, however many replicas start', async (t) => {
  const { app, db } = await buildShared(t)
  await Promise.all([seedSandboxHosts(db, new Date()), seedSandboxHosts(db, new Date()), seedSandboxHosts(db, new Date())])
  const zack = (await app.inject({ method: 'GET', url: '/v1/hosts/zack' })).json()
  t.match(zack, { username: 'zack', name: 'Pastor Zack Miller', calLink: 'zack' })
  t.same(zack.eventTypes.map((e: { slug: string; length: number }) => [e.slug, e.length]), [['15min', 15], ['30min', 30], ['60min', 60]], 'exactly his three event types')
  t.equal((await app.inject({ method: 'GET', url: '/v1/hosts/maria' })).json().name, 'Maria Lopez')
  const registered = await db.selectFrom('audit_log').select('subject').where('action', '=', 'host.registered').where('subject', 'in', ['host:zack', 'host:maria']).execute()
  t.same(registered.map((r) => r.subject).sort(), ['host:maria', 'host:zack'], 'audited once each')

  await app.inject({ method: 'POST', url: '/admin/hosts', headers: { authorization: 'Bearer sandbox-admin-key' }, payload: { username: 'zack', name: 'Zack M.', calLink: 'zack-m' } })
  await seedSandboxHosts(db, new Date())
  t.equal((await app.inject({ method: 'GET', url: '/v1/hosts/zack' })).json().calLink, 'zack-m', 'an admin change is kept')
})

t.test('CORS: only ALLOWED_ORIGINS may call the browser routes', async (t) => {
  const { db } = await shared
  const app = await buildApp({ config: testConfig({ ALLOWED_ORIGINS: 'https://gracechurch.org' }), db })
  t.teardown(() => app.close())
  await seedSandboxHosts(db, new Date())

  const allowed = await app.inject({ method: 'GET', url: '/v1/hosts/zack', headers: { origin: 'https://gracechurch.org' } })
  t.equal(allowed.statusCode, 200)
  t.equal(allowed.headers['access-control-allow-origin'], 'https://gracechurch.org')

  const preflight = await app.inject({
    method: 'OPTIONS', url: '/tokens/cal/managed-user',
    headers: { origin: 'https://gracechurch.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-churchhub-member' },
  })
  t.equal(preflight.statusCode, 204)
  t.equal(preflight.headers['access-control-allow-origin'], 'https://gracechurch.org')
  t.match(preflight.headers['access-control-allow-headers'], /x-churchhub-member/)

  for (const [method, url] of [['GET', '/v1/hosts/zack'], ['POST', '/tokens/cal/managed-user'], ['OPTIONS', '/tokens/cal/managed-user']] as const) {
    const refused = await app.inject({ method, url, headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } })
    t.equal(refused.statusCode, 403, `${method} ${url}`)
    t.equal(refused.json().error.code, 'origin_not_allowed')
    t.notOk(refused.headers['access-control-allow-origin'])
  }

  const serverToServer = await app.inject({ method: 'GET', url: '/v1/hosts/zack' })
  t.equal(serverToServer.statusCode, 200, 'no Origin (not a browser): not a CORS matter')
  const health = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example' } })
  t.notOk(health.headers['access-control-allow-origin'], 'other routes get no CORS headers')
  const adminPreflight = await app.inject({
    method: 'OPTIONS', url: '/admin/bookings',
    headers: { origin: 'https://gracechurch.org', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
  })
  t.equal(adminPreflight.statusCode, 404, 'a preflight for a server-to-server route is not answered, even from an allowed origin')
  t.notOk(adminPreflight.headers['access-control-allow-origin'])
})

t.test('CORS in sandbox mode without ALLOWED_ORIGINS: any origin', async (t) => {
  const { app } = await buildShared(t)
  const res = await app.inject({ method: 'GET', url: '/v1/hosts/zack', headers: { origin: 'http://localhost:8080' } })
  t.equal(res.headers['access-control-allow-origin'], 'http://localhost:8080')
})

t.test('host answers are cacheable: an ETag, and 304 for a browser that holds it until the host changes', async (t) => {
  const { app } = await buildShared(t)
  await app.inject({ method: 'POST', url: '/admin/hosts', headers: ADMIN, payload: { ...host, username: 'pastor-eve', calLink: 'eve' } })
  const first = await app.inject({ method: 'GET', url: '/v1/hosts/pastor-eve' })
  t.equal(first.statusCode, 200)
  t.equal(first.headers['cache-control'], 'public, max-age=300, stale-while-revalidate=86400')
  const etag = String(first.headers.etag)
  t.match(etag, /^"[\w-]{27}"$/)

  const again = await app.inject({ method: 'GET', url: '/v1/hosts/pastor-eve', headers: { 'if-none-match': etag } })
  t.equal(again.statusCode, 304)
  t.equal(again.body, '')
  t.equal(again.headers.etag, etag)
  const weak = await app.inject({ method: 'GET', url: '/v1/hosts/pastor-eve', headers: { 'if-none-match': `"other", W/${etag}` } })
  t.equal(weak.statusCode, 304, 'a weak or listed ETag matches too')
  const stale = await app.inject({ method: 'GET', url: '/v1/hosts/pastor-eve', headers: { 'if-none-match': '"something-else"' } })
  t.equal(stale.statusCode, 200)
  t.same(stale.json(), first.json())

  await app.inject({ method: 'POST', url: '/admin/hosts', headers: ADMIN, payload: { ...host, username: 'pastor-eve', calLink: 'eve-cares' } })
  const changed = await app.inject({ method: 'GET', url: '/v1/hosts/pastor-eve', headers: { 'if-none-match': etag } })
  t.equal(changed.statusCode, 200, 'a changed host is a new answer')
  t.equal(changed.json().calLink, 'eve-cares')
  t.not(changed.headers.etag, etag)
})
