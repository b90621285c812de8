import t from 'tap'
import { freePort } from '../start-server.js'
import { testConfig } from '../../server/test/helpers.js'
import { connectSandboxHosts } from '../connect-sandbox-hosts.js'
import { SandboxState } from '../sandbox/state.js'
import { buildDemo } from './helpers.js'

const ADMIN = { authorization: 'Bearer sandbox-admin-key' }

t.test('in sandbox mode zack and maria start connected by their sandbox API keys, with per-host webhooks and reconciliation', async (t) => {
  const port = await freePort()
  const config = testConfig({ PORT: String(port) })
  const sandbox = new SandboxState({ baseUrl: config.cal.origin, webhookTargets: [] })
  const { app } = await buildDemo(t, { config: { ...config, publicUrl: `http://127.0.0.1:${port}` }, sandbox })
  await app.listen({ port, host: '127.0.0.1' })
  t.same(await connectSandboxHosts(app), ['zack', 'maria'])
  t.same(await connectSandboxHosts(app), [], 'a second start leaves them as they are')

  const hosts = (await app.inject({ url: '/admin/hosts', headers: ADMIN })).json().hosts
  t.same(hosts.map((h: { username: string; connection: { method: string; calUsername: string } }) => [h.username, h.connection.method, h.connection.calUsername]), [['maria', 'api_key', 'maria'], ['zack', 'api_key', 'zack']])
  t.same(sandbox.userWebhooks.snapshot().map((w) => w.subscriberUrl).sort(), hosts.map((h: { connection: { webhookUrl: string } }) => h.connection.webhookUrl).sort())

  const monday = new Date(Date.UTC(2030, 0, 7, 15))
  const booking = await sandbox.createBooking({ hostUsername: 'maria', eventTypeSlug: '15min', start: monday, attendee: { name: 'Ann', email: 'ann@example.org' } })
  const listed = (await app.inject({ url: '/admin/bookings', headers: ADMIN })).json().bookings
  t.same(listed.map((b: { uid: string }) => b.uid), [booking.uid], 'delivered through maria\'s own webhook')
  const run = (await app.inject({ method: 'POST', url: '/admin/reconcile', headers: ADMIN })).json().hosts
  t.same(run.map((h: { username: string; fetched: number; unchanged: number }) => [h.username, h.fetched, h.unchanged]), [['zack', 0, 0], ['maria', 1, 1]])

  const page = await app.inject({ url: '/demo/admin' })
  t.match(page.body, /id="hosts"/)
  t.match(page.body, /id="reconcile-now"/)
})
