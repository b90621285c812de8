import t from 'tap'
import { ManualClock } from '../clock.js'
import { ADMIN, connectedSetup } from './connect-helpers.js'

t.test('connecting by API key: checked with /v2/me, event types read, a webhook of the host\'s own, the key encrypted', async (t) => {
  const { inject, connect, sandbox, db, config } = await connectedSetup(t)
  const res = await connect('zack')
  t.equal(res.statusCode, 200, res.body)
  const body = res.json()
  const hostId = (await db.selectFrom('hosts').select('id').where('username', '=', 'zack').executeTakeFirstOrThrow()).id
  const [webhook] = sandbox.state.userWebhooks.ofUser(101)
  t.same(body, { connected: true, calUsername: 'zack', webhookId: webhook!.id, eventTypes: [
    { slug: '15min', title: '15 minute meeting', length: 15 }, { slug: '30min', title: '30 minute meeting', length: 30 }, { slug: '60min', title: '60 minute meeting', length: 60 }] })
  t.equal(webhook!.subscriberUrl, `${config.publicUrl}/webhooks/cal/hosts/${hostId}`)
  t.same(webhook!.triggers, ['BOOKING_CREATED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED', 'BOOKING_REQUESTED', 'BOOKING_REJECTED', 'BOOKING_NO_SHOW_UPDATED'])
  t.match(webhook!.secret, /^[0-9a-f]{64}$/)

  const stored = await db.selectFrom('host_connections').selectAll().executeTakeFirstOrThrow()
  t.equal(stored.method, 'api_key')
  t.notOk(JSON.stringify(stored).includes('cal_sandbox_zack'), 'the key is not stored in clear')
  t.notOk(JSON.stringify(stored).includes(webhook!.secret!), 'nor the webhook secret')

  const hosts = await inject({ method: 'GET', url: '/admin/hosts', headers: ADMIN })
  t.notOk(hosts.body.includes('cal_sandbox_zack'), 'the host list never shows the key')
  const zack = hosts.json().hosts.find((h: { username: string }) => h.username === 'zack')
  t.same([zack.connection.method, zack.connection.calUsername, zack.connection.webhookId, zack.connection.lastReconcile], ['api_key', 'zack', webhook!.id, null])
  t.same(hosts.json().hosts.map((h: { username: string }) => h.username), ['zack'], 'a host connected without registering first is registered from Cal.com')

  // Reconnecting replaces the subscription rather than adding a second.
  t.equal((await connect('zack')).statusCode, 200)
  t.equal(sandbox.state.userWebhooks.ofUser(101).length, 1)
})

t.test('a wrong key is 400 with Cal.com\'s reason; Cal.com down is 502/504 as the token routes answer', async (t) => {
  const { connect, sandbox, db } = await connectedSetup(t)
  const wrong = await connect('zack', 'cal_not_a_real_key')
  t.equal(wrong.statusCode, 400)
  t.equal(wrong.json().error.code, 'cal_credential_rejected')
  t.match(wrong.json().error.message, /ApiAuthStrategy - api key - Your api key is not valid/)
  const malformed = await connect('zack', 'not-a-key')
  t.equal(malformed.statusCode, 400)

  sandbox.faults.add({ path: '/v2/me', fault: 500 })
  const down = await connect('zack')
  t.equal(down.statusCode, 502)
  t.equal(down.json().error.code, 'cal_error')
  sandbox.faults.clear()
  sandbox.faults.add({ path: '/v2/me', fault: 'hang', hangMs: 10_000 })
  const slow = await connect('zack')
  t.equal(slow.statusCode, 504)
  t.equal(await db.selectFrom('host_connections').select('host_id').execute().then((r) => r.length), 0, 'nothing stored')
})

t.test('disconnecting deletes the subscription at Cal.com and forgets the key', async (t) => {
  const { inject, connect, sandbox, db } = await connectedSetup(t)
  await connect('maria')
  t.equal(sandbox.state.userWebhooks.ofUser(102).length, 1)
  const res = await inject({ method: 'DELETE', url: '/admin/hosts/maria/connection', headers: ADMIN })
  t.same(res.json(), { connected: false, webhookDeleted: true })
  t.same(sandbox.state.userWebhooks.ofUser(102), [])
  t.same(await db.selectFrom('host_connections').selectAll().execute(), [])
  t.equal((await inject({ method: 'DELETE', url: '/admin/hosts/maria/connection', headers: ADMIN })).statusCode, 404)
})

t.test('per-host webhooks: a booking at Cal.com arrives signed with the host\'s secret; another secret is refused', async (t) => {
  const { connect, sandbox, bookings, inject, db } = await connectedSetup(t, { clock: new ManualClock('2026-01-05T15:00:00Z') })
  await connect('zack')
  const booking = await sandbox.state.createBooking({ hostUsername: 'zack', eventTypeSlug: '30min', start: new Date('2026-01-06T15:00:00Z'), attendee: { name: 'Ann', email: 'ann@example.org' } })
  t.same((await bookings()).map((b) => b.uid), [booking.uid], 'delivered to /webhooks/cal/hosts/<id> and stored')
  const hostId = (await db.selectFrom('hosts').select('id').where('username', '=', 'zack').executeTakeFirstOrThrow()).id
  const body = JSON.stringify({ triggerEvent: 'PING', createdAt: new Date().toISOString(), payload: {} })
  const { sign } = await import('../webhooks/signature.js')
  const forged = await inject({ method: 'POST', url: `/webhooks/cal/hosts/${hostId}`, headers: { 'content-type': 'application/json', 'x-cal-signature-256': sign('sandbox-webhook-secret', body) }, payload: body })
  t.equal(forged.statusCode, 401, 'the shared secret does not open a host\'s webhook')
  const unknown = await inject({ method: 'POST', url: '/webhooks/cal/hosts/9999', headers: { 'content-type': 'application/json', 'x-cal-signature-256': sign('x', body) }, payload: body })
  t.equal(unknown.statusCode, 404)
  t.equal(unknown.json().error.code, 'unknown_host_webhook')
})
