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
