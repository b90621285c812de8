import t, { type Test } from 'tap'
import { ManualClock } from '../../server/clock.js'
import { verify } from '../../server/webhooks/signature.js'
import { startSandbox } from '../sandbox/standalone.js'
import { startReceiver } from './receiver.js'

const MONDAY = '2026-01-05T15:00:00Z'
const attendee = { name: 'Bob Booker', email: 'bob@example.org' }

async function setup(t: Test) {
  const clock = new ManualClock(MONDAY)
  const sandbox = await startSandbox({ clock })
  t.teardown(() => sandbox.close())
  const call = async (method: string, path: string, o: { key?: string; body?: unknown; version?: string } = {}) => {
    const headers: Record<string, string> = {}
    if (o.key) headers.authorization = `Bearer ${o.key}`
    if (o.version) headers['cal-api-version'] = o.version
    if (o.body !== undefined) headers['content-type'] = 'application/json'
    const res = await fetch(`${sandbox.url}${path}`, { method, headers, ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}) })
    return { status: res.status, headers: res.headers, json: await res.json() as any }
  }
  const book = (start: string, host = 'zack') => sandbox.state.createBooking({ hostUsername: host, eventTypeSlug: '30min', start: new Date(start), attendee })
  return { sandbox, clock, call, book }
}

t.test('API keys: the seeded users\' keys act as them, an unknown one is 401 with Cal.com\'s message', async (t) => {
  const { call } = await setup(t)
  const me = await call('GET', '/v2/me', { key: 'cal_sandbox_zack' })
  t.equal(me.status, 200)
  t.same(Object.keys(me.json.data), ['id', 'email', 'name', 'avatarUrl', 'bio', 'timeFormat', 'defaultScheduleId', 'weekStart', 'timeZone', 'username', 'organizationId', 'locale'])
  t.equal(me.json.data.username, 'zack')
  t.equal((await call('GET', '/v2/me', { key: 'cal_sandbox_maria' })).json.data.username, 'maria')
  const unknown = await call('GET', '/v2/me', { key: 'cal_sandbox_nobody' })
  t.equal(unknown.status, 401)
  t.equal(unknown.json.error.code, 'UnauthorizedException')
  t.equal(unknown.json.error.message, 'ApiAuthStrategy - api key - Your api key is not valid')
  const none = await call('GET', '/v2/bookings', { version: '2024-08-13' })
  t.equal(none.status, 401)
  t.match(none.json.error.message, /^ApiAuthStrategy - No authentication method provided/)
})

t.test('event types: the caller\'s own with 2024-06-14; anonymous without a username gets none', async (t) => {
  const { call } = await setup(t)
  const own = await call('GET', '/v2/event-types', { key: 'cal_sandbox_maria', version: '2024-06-14' })
  t.same(own.json.data.map((e: any) => [e.id, e.slug, e.lengthInMinutes, e.ownerId]), [[3011, '15min', 15, 102], [3012, '30min', 30, 102], [3013, '60min', 60, 102]])
  t.same((await call('GET', '/v2/event-types', { version: '2024-06-14' })).json.data, [])
  t.same((await call('GET', '/v2/event-types?username=zack&eventSlug=60min', { version: '2024-06-14' })).json.data.map((e: any) => e.id), [3003])
  t.notOk(Array.isArray((await call('GET', '/v2/event-types', { key: 'cal_sandbox_maria' })).json.data), 'without the version header: the older shape')
})

t.test('bookings: only the caller\'s, each filter, the sorts and the pagination object', async (t) => {
  const { call, clock, book } = await setup(t)
  const a = await book('2026-01-06T15:00:00Z')
  clock.advance(60_000)
  const b = await book('2026-01-06T16:00:00Z')
  clock.advance(60_000)
  const c = await book('2026-01-06T17:00:00Z')
  await book('2026-01-06T15:00:00Z', 'maria')
  clock.advance(60_000)
  const zack = { key: 'cal_sandbox_zack', version: '2024-08-13' }

  const all = await call('GET', '/v2/bookings?take=2', zack)
  t.same(all.json.data.map((x: any) => x.uid), [a.uid, b.uid])
  t.same(all.json.pagination, { totalItems: 3, remainingItems: 1, returnedItems: 2, itemsPerPage: 2, currentPage: 1, totalPages: 2, hasNextPage: true, hasPreviousPage: false })
  const second = await call('GET', '/v2/bookings?take=2&skip=2', zack)
  t.same(second.json.data.map((x: any) => x.uid), [c.uid])
  t.same(second.json.pagination, { totalItems: 3, remainingItems: 0, returnedItems: 1, itemsPerPage: 2, currentPage: 2, totalPages: 2, hasNextPage: false, hasPreviousPage: true })

  t.same(all.json.data[0].updatedAt, null, 'never updated: updatedAt is null')
  t.same((await call('GET', '/v2/bookings?afterUpdatedAt=2026-01-01T00:00:00Z', zack)).json.data, [], 'never-updated bookings fall out of an updatedAt filter')
  t.same((await call('GET', `/v2/bookings?afterCreatedAt=${encodeURIComponent(b.createdAt)}&sortCreated=desc`, zack)).json.data.map((x: any) => x.uid), [c.uid, b.uid])
  t.same((await call('GET', `/v2/bookings?bookingUid=${b.uid}`, zack)).json.data.map((x: any) => x.uid), [b.uid])
  t.same((await call('GET', '/v2/bookings?sortStart=desc&take=1', zack)).json.data.map((x: any) => x.uid), [c.uid])
  t.same((await call('GET', '/v2/bookings?eventTypeIds=3001,3003', zack)).json.data, [])
  t.same((await call('GET', '/v2/bookings?attendeeEmail=BOB@example.org&status=upcoming', zack)).json.data.length, 3)
  const bad = await call('GET', '/v2/bookings?status=soon', zack)
  t.equal(bad.status, 400)
  t.match(bad.json.error.message, /Invalid status\. Allowed are upcoming, recurring, past, cancelled, unconfirmed/)
  t.equal((await call('GET', '/v2/bookings?take=251', zack)).status, 400)
  t.equal((await call('GET', '/v2/bookings?afterStart=yesterday', zack)).status, 400)

  const one = await call('GET', `/v2/bookings/${a.uid}`, { version: '2024-08-13' })
  t.equal(one.json.data.uid, a.uid)
  t.equal(one.json.data.status, 'accepted')
  t.same(one.json.data.eventType, { id: 3002, slug: '30min' })
  const missing = await call('GET', '/v2/bookings/nope', { version: '2024-08-13' })
  t.equal(missing.status, 404)
  t.equal(missing.json.error.message, 'Booking with uid=nope was not found in the database')
})

t.test('a cancel and a reschedule set updatedAt and the reschedule links', async (t) => {
  const { call, clock, book, sandbox } = await setup(t)
  const a = await book('2026-01-06T15:00:00Z')
  const b = await book('2026-01-06T16:00:00Z')
  clock.advance(60_000)
  await sandbox.state.cancelBooking(a.uid)
  const moved = await sandbox.state.createBooking({ hostUsername: 'zack', eventTypeSlug: '30min', start: new Date('2026-01-07T15:00:00Z'), attendee, rescheduleUid: b.uid })
  const zack = { key: 'cal_sandbox_zack', version: '2024-08-13' }
  const updated = await call('GET', `/v2/bookings?afterUpdatedAt=${encodeURIComponent(clock.now().toISOString())}&sortUpdatedAt=asc`, zack)
  t.same(updated.json.data.map((x: any) => [x.uid, x.status, x.rescheduledToUid ?? null]), [[a.uid, 'cancelled', null], [b.uid, 'cancelled', moved.uid]])
  t.equal((await call('GET', `/v2/bookings/${moved.uid}`, zack)).json.data.rescheduledFromUid, b.uid)
  t.same((await call('GET', '/v2/bookings?status=cancelled', zack)).json.data.map((x: any) => x.uid), [a.uid, b.uid])
})

t.test('user webhooks: CRUD for the caller only, 409 on the same URL, and the user\'s bookings delivered signed', async (t) => {
  const { call, book } = await setup(t)
  const receiver = await startReceiver()
  t.teardown(() => receiver.close())
  const body = { subscriberUrl: receiver.url, active: true, triggers: ['BOOKING_CREATED', 'BOOKING_CANCELLED'], secret: 'per-host-secret' }
  const created = await call('POST', '/v2/webhooks', { key: 'cal_sandbox_zack', body })
  t.equal(created.status, 201)
  t.same(Object.keys(created.json.data), ['id', 'payloadTemplate', 'triggers', 'subscriberUrl', 'active', 'secret', 'userId'])
  t.equal(typeof created.json.data.id, 'string')
  t.equal(created.json.data.userId, 101)
  t.equal((await call('POST', '/v2/webhooks', { key: 'cal_sandbox_zack', body })).status, 409)
  const id = created.json.data.id
  t.equal((await call('GET', `/v2/webhooks/${id}`, { key: 'cal_sandbox_maria' })).status, 403)
  t.equal((await call('GET', '/v2/webhooks/unknown', { key: 'cal_sandbox_zack' })).status, 404)
  t.same((await call('GET', '/v2/webhooks', { key: 'cal_sandbox_maria' })).json.data, [])

  await book('2026-01-06T15:00:00Z', 'maria')
  const booking = await book('2026-01-06T15:00:00Z')
  t.equal(receiver.requests.length, 1, 'only zack\'s booking reaches zack\'s webhook')
  const delivery = receiver.requests[0]!
  t.doesNotThrow(() => verify('per-host-secret', delivery.body, delivery.headers['x-cal-signature-256']))
  t.equal(JSON.parse(delivery.body).payload.uid, booking.uid)

  t.equal((await call('PATCH', `/v2/webhooks/${id}`, { key: 'cal_sandbox_zack', body: { active: false } })).json.data.active, false)
  await book('2026-01-06T16:00:00Z')
  t.equal(receiver.requests.length, 1, 'an inactive webhook gets nothing')
  t.equal((await call('DELETE', `/v2/webhooks/${id}`, { key: 'cal_sandbox_zack' })).json.data.id, id)
  t.equal((await call('GET', `/v2/webhooks/${id}`, { key: 'cal_sandbox_zack' })).status, 404)
})

t.test('120 requests a minute per API key, then Cal.com\'s 429 with X-RateLimit headers', async (t) => {
  const { call, clock } = await setup(t)
  const first = await call('GET', '/v2/me', { key: 'cal_sandbox_zack' })
  t.equal(first.headers.get('x-ratelimit-limit-default'), '120')
  t.equal(first.headers.get('x-ratelimit-remaining-default'), '119')
  t.equal(first.headers.get('x-ratelimit-reset-default'), '60')
  for (let i = 2; i <= 120; i++) await call('GET', '/v2/me', { key: 'cal_sandbox_zack' })
  const over = await call('GET', '/v2/me', { key: 'cal_sandbox_zack' })
  t.equal(over.status, 429)
  t.same([over.json.error.code, over.json.error.message], ['ThrottlerException', 'CustomThrottlerGuard - Too many requests. Please try again later.'])
  t.equal(over.headers.get('x-ratelimit-remaining-default'), '0')
  t.equal(over.headers.get('retry-after'), null, 'no Retry-After')
  t.equal((await call('GET', '/v2/me', { key: 'cal_sandbox_maria' })).status, 200, 'another key has its own budget')
  clock.advance(60_000)
  t.equal((await call('GET', '/v2/me', { key: 'cal_sandbox_zack' })).status, 200, 'a new window')
})

t.test('webhook drops: the next N, a percentage, or all until cleared', async (t) => {
  const { sandbox, book } = await setup(t)
  const receiver = await startReceiver()
  t.teardown(() => receiver.close())
  sandbox.state.webhookTargets.push(receiver.url)
  const control = (method: string, body?: unknown) => fetch(`${sandbox.url}/_control/webhook-drops`, { method, ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) }).then((r) => r.json() as any)

  await control('POST', { times: 2 })
  for (const hour of [15, 16, 17]) await book(`2026-01-06T${hour}:00:00Z`)
  t.equal(receiver.requests.length, 1, 'two lost, the third sent')
  await control('POST', {})
  await book('2026-01-07T15:00:00Z')
  t.equal(receiver.requests.length, 1, 'all lost')
  const cleared = await control('DELETE')
  t.same(cleared, { drops: null, dropped: 3 })
  await book('2026-01-07T16:00:00Z')
  t.equal(receiver.requests.length, 2)
  await control('POST', { percent: 100 })
  await book('2026-01-07T17:00:00Z')
  await control('POST', { percent: 0 })
  await book('2026-01-07T18:00:00Z')
  t.equal(receiver.requests.length, 3, '100 % lost one, 0 % none')
  t.equal((await fetch(`${sandbox.url}/_control/webhook-drops`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"percent":120}' })).status, 400)
})
