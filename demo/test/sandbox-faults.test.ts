import t from 'tap'
import { ManualClock } from '../../server/clock.js'
import { startSandbox } from '../sandbox/standalone.js'

const clock = new ManualClock('2026-01-05T15:00:00Z')
const sandbox = await startSandbox({ clock })
t.teardown(() => sandbox.close())
t.afterEach(() => { sandbox.faults.clear() })

const secret = { 'x-cal-secret-key': 'sandbox-secret' }
const usersUrl = `${sandbox.url}/v2/oauth-clients/sandbox-client/users`
const listUsers = (init: RequestInit = {}) => fetch(usersUrl, { headers: secret, ...init })
/** The error a failed fetch ends with: its cause's code when there is one. */
const failure = (attempt: Promise<unknown>) => attempt.then(() => 'answered', (e: any) => e?.cause?.code ?? e?.name ?? String(e))

t.test('500 on the next call only, in Cal.com\'s envelope', async (t) => {
  sandbox.faults.add({ path: '/v2/oauth-clients/*/users', fault: 500, times: 1 })
  const failed = await listUsers()
  t.equal(failed.status, 500)
  t.match(await failed.json(), { status: 'error', error: { code: 'InternalServerErrorException' } })
  t.equal((await listUsers()).status, 200, 'the next call is served')
})

t.test('a gateway fault names its own exception and reason', async (t) => {
  sandbox.faults.add({ path: '/v2/oauth-clients/*/users', fault: 502, times: 1 })
  const failed = await listUsers()
  t.equal(failed.status, 502)
  t.match(await failed.json(), { error: { code: 'BadGatewayException', message: 'Bad Gateway', details: { error: 'Bad Gateway', statusCode: 502 } } })
})

t.test('429 with Retry-After', async (t) => {
  sandbox.faults.add({ path: '/v2/*', fault: 429, retryAfterSeconds: 7 })
  for (let i = 0; i < 3; i++) {
    const res = await listUsers()
    t.equal(res.status, 429, 'every call while armed')
    t.equal(res.headers.get('retry-after'), '7')
  }
  sandbox.faults.clear()
  t.equal((await listUsers()).status, 200)
})

t.test('498 and 403 answered as Cal.com would', async (t) => {
  sandbox.faults.add({ path: '/v2/oauth/*/refresh', fault: 498, times: 1 })
  const expired = await fetch(`${sandbox.url}/v2/oauth/sandbox-client/refresh`, { method: 'POST', headers: { ...secret, 'content-type': 'application/json' }, body: '{"refreshToken":"x"}' })
  t.equal(expired.status, 498)
  t.same((await expired.json() as any).error, { code: 'TokenExpiredException', message: 'Token Expired Exception' })
  sandbox.faults.add({ path: '/v2/oauth-clients/*/users', fault: 403, times: 2 })
  const forbidden = await listUsers()
  t.equal(forbidden.status, 403)
  t.same((await forbidden.json() as any).error, {
    code: 'ForbiddenException', message: 'Forbidden resource',
    details: { message: 'Forbidden resource', error: 'Forbidden', statusCode: 403 },
  }, "a guard's refusal: Nest's message, the reason phrase in details")
  t.equal((await listUsers()).status, 403)
  t.equal((await listUsers()).status, 200, 'times: 2 means two calls')
})

t.test('a method filter leaves other methods alone', async (t) => {
  sandbox.faults.add({ path: '/v2/oauth-clients/*/users', method: 'POST', fault: 503 })
  t.equal((await listUsers()).status, 200)
  t.equal((await listUsers({ method: 'POST', headers: { ...secret, 'content-type': 'application/json' }, body: '{"email":"f@x.org","name":"F"}' })).status, 503)
})

t.test('hang: no answer, so a client timeout fires; the sandbox still closes', async (t) => {
  const fault = sandbox.faults.add({ path: '/v2/oauth-clients/*/users', fault: 'hang', times: 1 })
  t.equal(await failure(listUsers({ signal: AbortSignal.timeout(300) })), 'TimeoutError')
  t.equal(fault.hits, 1)

  const other = await startSandbox()
  other.faults.add({ path: '/v2/me', fault: 'hang' })
  const pending = failure(fetch(`${other.url}/v2/me`))
  await new Promise((resolve) => setTimeout(resolve, 100))
  await other.close()
  t.not(await pending, 'answered', 'closing ends the hung call instead of waiting on it')
})

t.test('hang with hangMs closes the connection after that long', async (t) => {
  sandbox.faults.add({ path: '/v2/me', fault: 'hang', hangMs: 100 })
  t.not(await failure(fetch(`${sandbox.url}/v2/me`, { signal: AbortSignal.timeout(5000) })), 'TimeoutError')
})

t.test('drop: the connection is closed without an answer', async (t) => {
  sandbox.faults.add({ path: '/v2/oauth-clients/*/users', fault: 'drop', times: 1 })
  const outcome = await failure(listUsers())
  t.not(outcome, 'answered')
  t.not(outcome, 'TimeoutError')
  t.equal((await listUsers()).status, 200)
})

t.test('embed.js and a booking page can be made to fail', async (t) => {
  const embedOk = await fetch(`${sandbox.url}/embed/embed.js`)
  t.equal(embedOk.status, 200, 'embed.js is served')
  sandbox.faults.failEmbedJs(503)
  t.equal((await fetch(`${sandbox.url}/embed/embed.js`)).status, 503)

  t.equal((await fetch(`${sandbox.url}/zack/30min`)).status, 200)
  sandbox.faults.failBookingPage('zack')
  t.equal((await fetch(`${sandbox.url}/zack/30min`)).status, 500)
  t.equal((await fetch(`${sandbox.url}/zack/30min/embed?embed=ns`)).status, 500)
  t.equal((await fetch(`${sandbox.url}/maria/30min`)).status, 200, 'another host is unaffected')
  sandbox.faults.failBookingPage('maria', 'drop', 1)
  t.not(await failure(fetch(`${sandbox.url}/maria`)), 'answered')

  sandbox.faults.clear()
  sandbox.faults.failBookingPage(undefined, 502)
  t.equal((await fetch(`${sandbox.url}/maria/15min`)).status, 502, 'every host\'s pages')
  t.equal((await fetch(`${sandbox.url}/embed/embed.js`)).status, 200, 'but not embed.js')
  t.equal((await listUsers()).status, 200, 'nor the API')
})

t.test('HTTP control: arm, list and clear faults; move the clock', async (t) => {
  const control = `${sandbox.url}/_control`
  const post = (path: string, body: unknown) => fetch(`${control}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const armed = await post('/faults', { path: '/v2/oauth-clients/*/users', fault: 503, times: 2, retryAfterSeconds: 5 })
  t.equal(armed.status, 201)
  t.match(await armed.json(), { fault: { fault: 503, times: 2, hits: 0 } })
  const listed = await (await fetch(`${control}/faults`)).json() as any
  t.equal(listed.faults.length, 1)
  const first = await listUsers()
  t.equal(first.status, 503)
  t.equal(first.headers.get('retry-after'), '5')
  await post('/faults', { path: '/v2/*', fault: 500 })
  t.equal((await fetch(`${control}/faults`, { method: 'DELETE' })).status, 200)
  t.equal((await listUsers()).status, 200, 'cleared')
  t.equal((await post('/faults', { path: 'no-slash', fault: 'explode' })).status, 400)

  const created = await (await listUsers({ method: 'POST', headers: { ...secret, 'content-type': 'application/json' }, body: '{"email":"clock@x.org","name":"C"}' })).json() as any
  const me = () => fetch(`${sandbox.url}/v2/me`, { headers: { authorization: `Bearer ${created.data.accessToken}` } })
  t.equal((await me()).status, 200)
  const moved = await post('/clock', { advanceMs: 61 * 60_000 })
  t.equal(((await moved.json()) as any).now, '2026-01-05T16:01:00.000Z')
  t.equal((await me()).status, 498)
  await post('/clock', { set: '2026-01-05T15:00:00.000Z' })
  t.equal((await me()).status, 200, 'set moves it back')
})

t.test('HTTP control: book and cancel without a browser, and read the deliveries', async (t) => {
  const control = `${sandbox.url}/_control`
  const post = (path: string, body: unknown) => fetch(`${control}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const booked = await post('/bookings', { hostUsername: 'maria', eventTypeSlug: '15min', start: '2026-01-07T15:00:00Z', attendee: { name: 'Ann', email: 'ann@x.org' } })
  t.equal(booked.status, 201)
  const { booking } = await booked.json() as any
  t.equal((await post(`/bookings/${booking.uid}/cancel`, { reason: 'no' })).status, 200)
  t.equal(sandbox.state.getBooking(booking.uid)?.status, 'CANCELLED')
  const again = await post(`/bookings/${booking.uid}/cancel`, {})
  t.equal(again.status, 400)
  t.equal((await fetch(`${control}/deliveries`)).status, 200)
})
