import t from 'tap'
import { build, captureLogger } from './helpers.js'
import { ADMIN } from './privacy-kit.js'
import { bookingPayload, deliver, envelope } from './webhook-factory.js'

t.test('secrets, tokens and emails never reach the log', async (t) => {
  const capture = captureLogger()
  const { app } = await build(t, { logger: capture.logger })
  app.post('/probe/echo', async (request) => {
    request.log.info({ body: request.body, headers: request.headers }, 'probe received')
    request.log.info({ user: { email: 'pastor.zack@grace.example', accessToken: 'eyJ.secret.token' } }, 'nested')
    return { ok: true }
  })
  await app.ready()
  await app.inject({
    method: 'POST',
    url: '/probe/echo',
    headers: {
      authorization: 'Bearer admin-key-SECRET-1',
      cookie: 'session=COOKIE-SECRET-2',
      'x-churchhub-member': 'eyJhbGciOiJIUzI1NiJ9.MEMBER-ASSERTION',
      'x-cal-secret-key': 'CAL-SECRET-3',
    },
    payload: { email: 'visitor@example.org', refreshToken: 'REFRESH-SECRET-4', secret: 'S-5', notes: 'private note' },
  })
  const text = capture.text()
  t.match(text, /probe received/, 'the lines were written')
  t.match(text, /"reqId"/, 'each line carries the request id')
  for (const secret of ['admin-key-SECRET-1', 'COOKIE-SECRET-2', 'MEMBER-ASSERTION', 'CAL-SECRET-3', 'visitor@example.org', 'REFRESH-SECRET-4', '"S-5"', 'pastor.zack@grace.example', 'eyJ.secret.token', 'private note']) {
    t.notOk(text.includes(secret), `${secret} is not in the log`)
  }
})

t.test('the member, refusal and key routes log neither the assertion, the member, nor the keys sent', async (t) => {
  const { signMemberAssertion } = await import('../tokens/member-assertion.js')
  const capture = captureLogger()
  const { app, clock } = await build(t, { logger: capture.logger })
  const member = { sub: 'member-LOGSCAN', email: 'hidden.member@example.org', name: 'Hidden Member' }
  const assertion = signMemberAssertion(member, 'sandbox-member-secret', { now: clock.now() })
  t.equal((await app.inject({ url: '/v1/member', headers: { 'x-churchhub-member': assertion } })).statusCode, 200)
  t.equal((await app.inject({ url: '/v1/member', headers: { 'x-churchhub-member': `${assertion}x` } })).statusCode, 401)
  t.equal((await app.inject({ method: 'POST', url: '/tokens/cal/managed-user', headers: { authorization: 'Bearer WRONG-TOKEN-KEY-7' }, payload: { email: 'hidden.member@example.org', name: 'Hidden Member' } })).statusCode, 401)
  t.equal((await app.inject({ url: '/admin/refusals', headers: { authorization: 'Bearer WRONG-ADMIN-KEY-8' } })).statusCode, 401)
  t.equal((await app.inject({ url: '/tokens/cal/refresh', headers: { authorization: 'Bearer ACCESS-TOKEN-9' } })).statusCode, 401)
  const text = capture.text()
  t.match(text, /"url":"\/v1\/member"/, 'the requests were logged')
  for (const secret of [assertion.split('.')[1]!, assertion.split('.')[2]!, 'hidden.member@example.org', 'Hidden Member', 'WRONG-TOKEN-KEY-7', 'WRONG-ADMIN-KEY-8', 'ACCESS-TOKEN-9']) {
    t.notOk(text.includes(secret), `${secret.slice(0, 24)} is not in the log`)
  }
})

t.test('connecting a host, its webhooks and reconciliation log no key, secret or attendee data', async (t) => {
  const { ManualClock } = await import('../clock.js')
  const { connectedSetup } = await import('./connect-helpers.js')
  const capture = captureLogger()
  const { connect, reconcile, sandbox } = await connectedSetup(t, { clock: new ManualClock('2026-01-05T15:00:00Z'), logger: capture.logger })
  t.equal((await connect('zack')).statusCode, 200)
  await connect('zack', 'cal_wrong_key_LOGSCAN')
  await sandbox.state.createBooking({ hostUsername: 'zack', eventTypeSlug: '30min', start: new Date('2026-01-06T15:00:00Z'), attendee: { name: 'Ruth Logscan', email: 'ruth.logscan@example.org' }, notes: 'pastoral LOGSCAN note' })
  sandbox.state.drops.arm({})
  await sandbox.state.createBooking({ hostUsername: 'zack', eventTypeSlug: '30min', start: new Date('2026-01-06T16:00:00Z'), attendee: { name: 'Ruth Logscan', email: 'ruth.logscan@example.org' } })
  t.equal((await reconcile()).json().hosts[0].created, 1)
  const text = capture.text()
  t.match(text, /webhook delivery/, 'the delivery was logged')
  const secret = sandbox.state.userWebhooks.ofUser(101)[0]!.secret!
  for (const leak of ['cal_sandbox_zack', 'cal_wrong_key_LOGSCAN', secret, 'ruth.logscan@example.org', 'Ruth Logscan', 'pastoral LOGSCAN note']) {
    t.notOk(text.includes(leak), `${leak.slice(0, 12)}… is not in the log`)
  }
})

t.test('the privacy routes and a booking delivery leave no email, name or notes in the log', async (t) => {
  const capture = captureLogger()
  const { app } = await build(t, { logger: capture.logger })
  const who = { email: 'logscan.person@example.org', name: 'Logscan Person' }
  const body = envelope('BOOKING_CREATED', bookingPayload({ uid: 'log-1', attendees: [who], additionalNotes: 'confession about Logscan' }))
  t.equal((await deliver(app, body)).statusCode, 200)
  const email = encodeURIComponent(who.email)
  for (const request of [
    { method: 'GET' as const, url: `/admin/bookings?attendee=${email}` },
    { method: 'GET' as const, url: `/admin/people/export?email=${email}` },
    { method: 'POST' as const, url: '/admin/people/erase', payload: { email: who.email } },
  ]) t.equal((await app.inject({ ...request, headers: ADMIN })).statusCode, 200, request.url)
  const text = capture.text()
  t.match(text, /people\/erase/, 'the requests were logged')
  for (const secret of [who.email, email, 'logscan.person', 'Logscan Person', 'confession']) t.notOk(text.includes(secret), `${secret} is not in the log`)
})
