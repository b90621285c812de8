import { createHmac } from 'node:crypto'
import { createServer } from 'node:http'
import t, { type Test } from 'tap'
import { ManualClock } from '../../server/clock.js'
import { sign, verify } from '../../server/webhooks/signature.js'
import { SandboxState } from '../sandbox/state.js'
import { startSandbox } from '../sandbox/standalone.js'
import { LOOPBACK_ONLY } from '../sandbox/webhooks.js'
import { startReceiver } from './receiver.js'

const TUESDAY_9AM_CHICAGO = new Date('2026-01-06T15:00:00Z')
const attendee = { name: 'Bob Booker', email: 'bob@example.org', timeZone: 'America/New_York' }

async function setup(t: Test, answer?: Parameters<typeof startReceiver>[0]) {
  const receiver = await startReceiver(answer)
  const state = new SandboxState({
    clientId: 'sandbox-client', clientSecret: 'sandbox-secret', webhookSecret: 'whsec-test',
    webhookTargets: [receiver.url], clock: new ManualClock('2026-01-05T15:00:00Z'),
    baseUrl: 'http://127.0.0.1:9/sandbox/cal', deliveryWaitMs: 2000,
  })
  t.teardown(async () => { state.close(); await receiver.close() })
  return { receiver, state }
}

const payloadOf = (body: string) => JSON.parse(body).payload

async function refused(t: Test, attempt: Promise<unknown>, status: number, message?: string) {
  const error = await attempt.then(() => undefined, (e: unknown) => e as { statusCode?: number })
  t.equal(error?.statusCode, status, message ?? `refused with ${status}`)
}

t.test('the contract test vector signs as documented', async (t) => {
  const body = '{"triggerEvent":"PING","createdAt":"2025-06-01T12:00:00.000Z","payload":{"type":"Test","title":"Test trigger event"}}'
  t.equal(sign('test-secret', body), '95d3503cb09bf9894e3d8fafabb7ebef5a8538748fb53e565225b3c72a4bcff5')
})

t.test('a booking sends BOOKING_CREATED, signed over the exact bytes, with Cal.com headers', async (t) => {
  const { receiver, state } = await setup(t)
  const booking = await state.createBooking({
    hostUsername: 'zack', eventTypeSlug: '30min', start: TUESDAY_9AM_CHICAGO, attendee,
    guests: ['carol@example.org'], notes: 'Please pray for us', metadata: { churchhubRef: 'r-1' },
  })
  t.equal(receiver.requests.length, 1, 'createBooking resolves after the delivery')
  const [r] = receiver.requests
  t.equal(r!.method, 'POST')
  t.equal(r!.path, '/hooks/cal')
  t.equal(r!.headers['content-type'], 'application/json')
  t.equal(r!.headers['x-cal-webhook-version'], '2021-10-20')
  const signature = r!.headers['x-cal-signature-256'] as string
  t.equal(signature, createHmac('sha256', 'whsec-test').update(r!.body, 'utf8').digest('hex'), 'HMAC-SHA256, lowercase hex, no prefix')
  t.doesNotThrow(() => verify('whsec-test', r!.body, signature))
  t.throws(() => verify('another-secret', r!.body, signature))

  const sent = JSON.parse(r!.body)
  t.equal(sent.triggerEvent, 'BOOKING_CREATED')
  t.equal(sent.createdAt, '2026-01-05T15:00:00.000Z', 'createdAt is the send time on the sandbox clock')
  t.match(sent.payload, {
    uid: booking.uid,
    bookingId: booking.id,
    type: '30min',
    eventTypeId: booking.eventTypeId,
    title: '30 minute meeting between Pastor Zack Miller and Bob Booker',
    startTime: '2026-01-06T15:00:00Z',
    endTime: '2026-01-06T15:30:00Z',
    length: 30,
    status: 'ACCEPTED',
    iCalUID: `${booking.uid}@Cal.com`,
    iCalSequence: 0,
    organizer: { id: 101, username: 'zack', name: 'Pastor Zack Miller', timeZone: 'America/Chicago', utcOffset: -360 },
    attendees: [
      { email: 'bob@example.org', name: 'Bob Booker', firstName: 'Bob', lastName: 'Booker', timeZone: 'America/New_York', utcOffset: -300 },
      { email: 'carol@example.org', name: '' },
    ],
    responses: {
      name: { value: 'Bob Booker' }, email: { value: 'bob@example.org' },
      notes: { value: 'Please pray for us' }, guests: { value: ['carol@example.org'] },
    },
    additionalNotes: 'Please pray for us',
    metadata: { videoCallUrl: `http://127.0.0.1:9/sandbox/cal/video/${booking.uid}`, churchhubRef: 'r-1' },
  })
  t.equal(booking.uid.length, 22)
})

t.test('a reschedule is a new booking and exactly one BOOKING_RESCHEDULED pointing at the old one', async (t) => {
  const { receiver, state } = await setup(t)
  const first = await state.createBooking({ hostUsername: 'maria', eventTypeSlug: '60min', start: TUESDAY_9AM_CHICAGO, attendee })
  const second = await state.createBooking({
    hostUsername: 'maria', eventTypeSlug: '60min', start: new Date('2026-01-06T16:00:00Z'), attendee,
    rescheduleUid: first.uid, rescheduledBy: 'bob@example.org', rescheduleReason: 'Running late',
  })
  t.equal(receiver.requests.length, 2, 'no BOOKING_CANCELLED for the old booking')
  const sent = JSON.parse(receiver.requests[1]!.body)
  t.equal(sent.triggerEvent, 'BOOKING_RESCHEDULED')
  t.not(second.uid, first.uid)
  t.match(sent.payload, {
    uid: second.uid, bookingId: second.id, status: 'ACCEPTED',
    rescheduleUid: first.uid, rescheduleId: first.id,
    rescheduleStartTime: '2026-01-06T15:00:00Z', rescheduleEndTime: '2026-01-06T16:00:00Z',
    rescheduledBy: 'bob@example.org',
    iCalUID: first.iCalUID, iCalSequence: 1,
    responses: { rescheduleReason: { label: 'reason_for_reschedule', value: 'Running late' } },
  })
  t.match(state.getBooking(first.uid), { status: 'CANCELLED', rescheduled: true, rescheduledTo: second.uid })
  t.match(state.getBooking(second.uid), { status: 'ACCEPTED', fromReschedule: first.uid })
  await refused(t, state.createBooking({ hostUsername: 'maria', eventTypeSlug: '60min', start: new Date('2026-01-07T15:00:00Z'), attendee, rescheduleUid: first.uid }),
    400, 'a replaced booking cannot be rescheduled again')
})

t.test('a cancellation sends BOOKING_CANCELLED with the reason and a higher iCalSequence', async (t) => {
  const { receiver, state } = await setup(t)
  const booking = await state.createBooking({ hostUsername: 'zack', eventTypeSlug: '15min', start: TUESDAY_9AM_CHICAGO, attendee })
  await state.cancelBooking(booking.uid, { reason: 'Sick today' })
  const sent = JSON.parse(receiver.requests[1]!.body)
  t.equal(sent.triggerEvent, 'BOOKING_CANCELLED')
  t.match(sent.payload, { uid: booking.uid, status: 'CANCELLED', cancellationReason: 'Sick today', cancelledBy: 'bob@example.org', requestReschedule: false, iCalSequence: 1 })
  t.notOk('metadata' in sent.payload)
  await refused(t, state.cancelBooking(booking.uid), 400, 'cancelling twice is refused')
  t.equal(receiver.requests.length, 2)
})

t.test('a failing receiver is not retried, and a redirect is not followed', async (t) => {
  for (const [status, headers] of [[500, {}], [302, { location: '/elsewhere' }]] as [number, Record<string, string>][]) {
    const { receiver, state } = await setup(t, () => ({ status, headers }))
    await state.createBooking({ hostUsername: 'zack', eventTypeSlug: '30min', start: TUESDAY_9AM_CHICAGO, attendee })
    // The delivery is awaited; a retry or a followed redirect would already have reached the receiver.
    await new Promise((resolve) => setTimeout(resolve, 200))
    t.same(receiver.requests.map((r) => r.path), ['/hooks/cal'], `one request on ${status}`)
    t.equal(state.deliveries[0]!.status, status)
  }
})

t.test('an unreachable target is recorded and does not stop the booking', async (t) => {
  const state = new SandboxState({ clientId: 'c', clientSecret: 's', webhookSecret: 'w', webhookTargets: ['http://127.0.0.1:9/hooks'], clock: new ManualClock('2026-01-05T15:00:00Z') })
  const booking = await state.createBooking({ hostUsername: 'zack', eventTypeSlug: '30min', start: TUESDAY_9AM_CHICAGO, attendee })
  t.equal(state.getBooking(booking.uid)?.status, 'ACCEPTED')
  t.equal(state.deliveries.length, 1)
  t.type(state.deliveries[0]!.error, 'string')
  t.equal(state.deliveries[0]!.status, undefined)
})

t.test('subscribers are served in parallel: a hanging one does not hold up the others', async (t) => {
  const fast = await startReceiver()
  // This one takes the request and never answers.
  const hanging = createServer(() => {})
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve))
  const hangUrl = `http://127.0.0.1:${(hanging.address() as { port: number }).port}/hooks`
  // createBooking stops waiting after 50 ms; the hung delivery is still pending when the other lands.
  const state = new SandboxState({ clientId: 'c', clientSecret: 's', webhookSecret: 'w', webhookTargets: [hangUrl, fast.url], clock: new ManualClock('2026-01-05T15:00:00Z'), deliveryWaitMs: 50 })
  t.teardown(async () => { state.close(); hanging.closeAllConnections(); hanging.close(); await fast.close() })
  await state.createBooking({ hostUsername: 'zack', eventTypeSlug: '30min', start: TUESDAY_9AM_CHICAGO, attendee })
  let timer: NodeJS.Timeout | undefined
  const arrived = await Promise.race([
    fast.waitFor(1).then(() => true),
    new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), 10_000) }),
  ])
  clearTimeout(timer)
  t.ok(arrived, 'the second subscriber got its delivery while the first hung')
  t.equal(state.deliveries.filter((d) => d.url === hangUrl).length, 0, 'the first is still pending')
})

t.test('OAuth-client webhooks get the triggers they asked for; no secret → no-secret-provided', async (t) => {
  const hooks = await startReceiver()
  const sandbox = await startSandbox({ clock: new ManualClock('2026-01-05T15:00:00Z') })
  t.teardown(async () => { await sandbox.close(); await hooks.close() })
  const register = async (body: object) => {
    const res = await fetch(`${sandbox.url}/v2/oauth-clients/sandbox-client/webhooks`, {
      method: 'POST', headers: { 'x-cal-secret-key': 'sandbox-secret', 'content-type': 'application/json' }, body: JSON.stringify(body),
    })
    t.equal(res.status, 201)
    return ((await res.json()) as any).data
  }
  await register({ subscriberUrl: `${hooks.base}/cancel-only`, triggers: ['BOOKING_CANCELLED'], active: true, secret: 's1' })
  await register({ subscriberUrl: `${hooks.base}/no-secret`, triggers: ['BOOKING_CREATED'], active: true })
  const inactive = await register({ subscriberUrl: `${hooks.base}/inactive`, triggers: ['BOOKING_CREATED'], active: false, secret: 's3' })

  const booking = await sandbox.state.createBooking({ hostUsername: 'zack', eventTypeSlug: '30min', start: TUESDAY_9AM_CHICAGO, attendee })
  await sandbox.state.cancelBooking(booking.uid)
  t.same(hooks.requests.map((r) => r.path).sort(), ['/cancel-only', '/no-secret'])
  const noSecret = hooks.requests.find((r) => r.path === '/no-secret')!
  t.equal(noSecret.headers['x-cal-signature-256'], 'no-secret-provided')
  const cancelOnly = hooks.requests.find((r) => r.path === '/cancel-only')!
  t.equal(payloadOf(cancelOnly.body).uid, booking.uid)
  t.doesNotThrow(() => verify('s1', cancelOnly.body, cancelOnly.headers['x-cal-signature-256']))

  const base = `${sandbox.url}/v2/oauth-clients/sandbox-client/webhooks`
  const headers = { 'x-cal-secret-key': 'sandbox-secret', 'content-type': 'application/json' }
  const list = await (await fetch(base, { headers })).json() as any
  t.equal(list.data.length, 3)
  const patched = await fetch(`${base}/${inactive.id}`, { method: 'PATCH', headers, body: JSON.stringify({ active: true }) })
  t.equal(((await patched.json()) as any).data.active, true)
  t.equal((await fetch(`${base}/nope`, { headers })).status, 404)
  const cleared = await (await fetch(base, { method: 'DELETE', headers })).json() as any
  t.equal(cleared.data, '3 webhooks deleted')
})

t.test('bookings the host cannot take are refused', async (t) => {
  const { receiver, state } = await setup(t)
  const book = (start: string, slug = '30min') => state.createBooking({ hostUsername: 'zack', eventTypeSlug: slug, start: new Date(start), attendee })
  await refused(t, book('2026-01-05T14:00:00Z'), 400, 'in the past')
  await refused(t, book('2026-01-06T14:30:00Z'), 400, 'before 9:00 in Chicago')
  await refused(t, book('2026-01-06T22:45:00Z'), 400, 'running past 17:00')
  await refused(t, book('2026-01-10T16:00:00Z'), 400, 'on a Saturday')
  await book('2026-01-06T15:00:00Z')
  await refused(t, book('2026-01-06T15:15:00Z', '15min'), 409, 'overlapping a booking')
  await refused(t, state.createBooking({ hostUsername: 'nobody', eventTypeSlug: '30min', start: TUESDAY_9AM_CHICAGO, attendee }), 404)
  t.equal(receiver.requests.length, 1, 'only the accepted booking was sent')
  t.notOk(state.availableSlots('zack', '30min', { from: new Date('2026-01-06T00:00:00Z'), to: new Date('2026-01-07T00:00:00Z') }).includes('2026-01-06T15:00:00.000Z'))
  t.equal(state.availableSlots('zack', '30min', { from: new Date('2026-01-06T00:00:00Z'), to: new Date('2026-01-07T00:00:00Z') }).length, 15)
})

t.test('a subscriber that is not on this machine gets nothing: bookings made through _control post to loopback only', async (t) => {
  const hooks = await startReceiver()
  const sandbox = await startSandbox({ clock: new ManualClock('2026-01-05T15:00:00Z') })
  t.teardown(async () => { await sandbox.close(); await hooks.close() })
  const headers = { 'x-cal-secret-key': 'sandbox-secret', 'content-type': 'application/json' }
  for (const subscriberUrl of ['http://192.0.2.10/hooks', 'http://example.org/hooks', `${hooks.base}/local`]) {
    const res = await fetch(`${sandbox.url}/v2/oauth-clients/sandbox-client/webhooks`, {
      method: 'POST', headers, body: JSON.stringify({ subscriberUrl, triggers: ['BOOKING_CREATED'], active: true, secret: 's' }),
    })
    t.equal(res.status, 201)
  }
  const booked = await fetch(`${sandbox.url}/_control/bookings`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ hostUsername: 'zack', eventTypeSlug: '30min', start: TUESDAY_9AM_CHICAGO.toISOString(), attendee }),
  })
  t.equal(booked.status, 201)
  t.same(hooks.requests.map((r) => r.path), ['/local'])
  const refusedUrls = sandbox.state.deliveries.filter((d) => d.error === LOOPBACK_ONLY).map((d) => d.url).sort()
  t.same(refusedUrls, ['http://192.0.2.10/hooks', 'http://example.org/hooks'])
  t.equal(sandbox.state.deliveries.filter((d) => d.status !== undefined).length, 1)
})
