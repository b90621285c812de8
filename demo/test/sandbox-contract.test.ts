// Every example in demo/test/calcom-examples/ (docs/calcom.md) held against what the sandbox answers or sends: same
// fields, same JSON types (values are invented in the examples, so they are not compared).
import { readdirSync, readFileSync } from 'node:fs'
import t from 'tap'
import { ManualClock } from '../../server/clock.js'
import { startSandbox } from '../sandbox/standalone.js'
import { decodeToken } from '../sandbox/tokens.js'
import { startReceiver } from './receiver.js'
import { shapeDiff } from './shape.js'

const EXAMPLES = new URL('./calcom-examples/', import.meta.url)
const used = new Set<string>()
const example = (name: string) => {
  used.add(name)
  return JSON.parse(readFileSync(new URL(name, EXAMPLES), 'utf8'))
}

const clock = new ManualClock('2026-01-05T15:00:00.000Z')
const receiver = await startReceiver()
const sandbox = await startSandbox({ clock, webhookTargets: [receiver.url], webhookSecret: 'contract-secret' })
t.teardown(async () => { await sandbox.close(); await receiver.close() })

const secret = { 'x-cal-secret-key': 'sandbox-secret' }
const json = { ...secret, 'content-type': 'application/json' }
const users = `${sandbox.url}/v2/oauth-clients/sandbox-client/users`
async function call(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init)
  return { status: res.status, body: await res.json() as any }
}

t.test('shapeDiff finds a missing field, an extra field and a changed type', async (t) => {
  t.same(shapeDiff({ a: 1, b: { c: 'x' } }, { a: 2, b: { c: 'y' } }), [])
  t.same(shapeDiff({ a: 1, b: 'x' }, { a: 1 }), ['$.b: missing'])
  t.same(shapeDiff({ a: 1 }, { a: 1, z: true }), ['$.z: not in the example'])
  t.same(shapeDiff({ a: null }, { a: 'x' }), ['$.a: expected null, got string'])
  t.same(shapeDiff({ l: [{ x: 1 }] }, { l: [{ x: '1' }] }), ['$.l[0].x: expected number, got string'])
  t.same(shapeDiff({ m: { k: 1 } }, { m: { k: 1, other: 2 } }, ['$.m']), [])
})

let created: any
t.test('managed users: create, get, list, update, conflict', async (t) => {
  const create = await call(users, { method: 'POST', headers: json, body: JSON.stringify(example('create-managed-user.request.json')) })
  t.equal(create.status, 201)
  t.same(shapeDiff(example('create-managed-user.response.json'), create.body, ['$.data.user.metadata']), [])
  created = create.body.data
  t.equal(created.user.email, 'alice+sandbox-client@example.com', 'the +clientId rewrite')
  t.equal(created.user.username, 'alice-sandbox-client-example-com', 'the slug username')
  t.equal(created.user.timeZone, 'Europe/Berlin')
  t.type(created.user.defaultScheduleId, 'number', 'a schedule exists because a time zone was given')

  const get = await call(`${users}/${created.user.id}`, { headers: secret })
  t.equal(get.status, 200)
  t.same(shapeDiff(example('get-managed-user.response.json'), get.body, ['$.data.metadata']), [])

  for (const email of ['alice@example.com', 'alice%2Bsandbox-client@example.com']) {
    const list = await call(`${users}?emails=${email},nobody@example.com`, { headers: secret })
    t.equal(list.status, 200)
    t.same(shapeDiff(example('list-managed-users.response.json'), list.body, ['$.data[0].metadata']), [])
    t.same(list.body.data.map((u: any) => u.id), [created.user.id], `found by ${email}`)
  }

  const patch = await call(`${users}/${created.user.id}`, { method: 'PATCH', headers: json, body: JSON.stringify(example('update-managed-user.request.json')) })
  t.equal(patch.status, 200)
  t.same(shapeDiff(example('get-managed-user.response.json'), patch.body, ['$.data.metadata']), [])
  t.equal(patch.body.data.name, 'Alice B. Example')
  t.equal(patch.body.data.timeZone, 'Europe/Paris')

  const conflict = await call(users, { method: 'POST', headers: json, body: JSON.stringify(example('create-managed-user.request.json')) })
  t.equal(conflict.status, 409)
  t.same(shapeDiff(example('conflict-409.response.json'), conflict.body), [])
  t.equal(conflict.body.error.message, `User with the provided e-mail already exists. Existing user ID=${created.user.id}`)
  t.equal(conflict.body.error.details.message, conflict.body.error.message)
  t.equal(conflict.body.path, '/v2/oauth-clients/sandbox-client/users')
})

t.test('tokens: decoded claims, refresh, 401 and 498 bodies', async (t) => {
  const claims = decodeToken(created.accessToken)
  t.same(shapeDiff(example('access-token.decoded-payload.json'), claims), [])
  t.same(Object.keys(claims!), Object.keys(example('access-token.decoded-payload.json')), 'claims in Cal.com order')
  t.equal(claims!.expiresAt, created.accessTokenExpiresAt)

  const refresh = await call(`${sandbox.url}/v2/oauth/sandbox-client/refresh`, {
    method: 'POST', headers: json, body: JSON.stringify({ ...example('refresh.request.json'), refreshToken: created.refreshToken }),
  })
  t.equal(refresh.status, 200)
  t.same(shapeDiff(example('refresh.response.json'), refresh.body), [])
  t.equal(decodeToken(refresh.body.data.accessToken)!.userId, created.user.id, 'refreshed tokens carry userId as Cal.com does')

  const unknown = await call(`${sandbox.url}/v2/me`, { headers: { authorization: 'Bearer not-a-token' } })
  t.equal(unknown.status, 401)
  t.same(shapeDiff(example('invalid-token-401.response.json'), unknown.body), [])
  t.equal(unknown.body.error.message, 'Invalid Access Token.')
  t.equal(unknown.body.path, '/v2/me')

  clock.advance(61 * 60_000)
  const expired = await call(`${sandbox.url}/v2/me`, { headers: { authorization: `Bearer ${refresh.body.data.accessToken}` } })
  t.equal(expired.status, 498)
  t.same(shapeDiff(example('token-expired-498.response.json'), expired.body), [])
})

t.test('OAuth-client webhook create', async (t) => {
  const res = await call(`${sandbox.url}/v2/oauth-clients/sandbox-client/webhooks`, {
    method: 'POST', headers: json, body: JSON.stringify({ ...example('oauth-client-webhook.create.request.json'), subscriberUrl: `${receiver.base}/client-hook` }),
  })
  t.equal(res.status, 201)
  t.same(shapeDiff(example('oauth-client-webhook.create.response.json'), res.body), [])
  t.equal(res.body.data.oAuthClientId, 'sandbox-client')
  // Later bookings also reach it; the booking test below counts on it being gone.
  t.equal((await call(`${sandbox.url}/v2/oauth-clients/sandbox-client/webhooks/${res.body.data.id}`, { method: 'DELETE', headers: secret })).status, 200)
})

t.test('webhook bodies: created, rescheduled, cancelled, no-show, ping', async (t) => {
  const bodyOf = async (n: number) => {
    await receiver.waitFor(n)
    const r = receiver.requests[n - 1]!
    t.equal(r.headers['content-type'], 'application/json')
    t.equal(r.body, JSON.stringify(JSON.parse(r.body)), 'compact JSON, as sent')
    t.same(Object.keys(JSON.parse(r.body)), ['triggerEvent', 'createdAt', 'payload'])
    return JSON.parse(r.body)
  }
  const booked = await sandbox.state.createBooking({
    hostUsername: 'zack', eventTypeSlug: '30min', start: new Date('2026-01-06T15:00:00Z'),
    attendee: { name: 'Bob Booker', email: 'bob@example.org', timeZone: 'America/New_York' },
    guests: ['carol@example.org'], notes: 'Looking forward to it', metadata: { appUserId: 'u_01HZX' },
  })
  const createdBody = await bodyOf(1)
  t.same(shapeDiff(example('webhook-booking-created.json'), createdBody), [])

  const moved = await sandbox.state.createBooking({
    hostUsername: 'zack', eventTypeSlug: '30min', start: new Date('2026-01-07T16:00:00Z'),
    attendee: { name: 'Bob Booker', email: 'bob@example.org', timeZone: 'America/New_York' },
    guests: ['carol@example.org'], notes: 'Looking forward to it',
    rescheduleUid: booked.uid, rescheduledBy: 'bob@example.org', rescheduleReason: 'Conflict on Thursday',
  })
  t.same(shapeDiff(example('webhook-booking-rescheduled.json'), await bodyOf(2)), [])

  await sandbox.state.cancelBooking(moved.uid, { reason: 'Something came up', cancelledBy: 'bob@example.org' })
  t.same(shapeDiff(example('webhook-booking-cancelled.json'), await bodyOf(3)), [])

  await sandbox.state.markNoShow(moved.uid, 'bob@example.org')
  t.same(shapeDiff(example('webhook-booking-no-show-updated.json'), await bodyOf(4)), [])

  await sandbox.state.ping({ url: receiver.url, secret: 'contract-secret' })
  t.same(shapeDiff(example('webhook-ping.json'), await bodyOf(5)), [])
  t.equal(receiver.requests.length, 5, 'nothing else was sent, the deleted client webhook included')
})

t.test('every example was held against the sandbox', async (t) => {
  t.same([...used].sort(), readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')).sort())
})
