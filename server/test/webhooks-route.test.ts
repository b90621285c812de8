import t from 'tap'
import { MAX_WEBHOOK_BYTES } from '../routes/webhooks.js'
import { build } from './helpers.js'
import { refusalCounts, refusalsBetween } from './token-kit.js'
import { bookingPayload, deliver, envelope, signedHeaders } from './webhook-factory.js'

type Db = Awaited<ReturnType<typeof build>>['db']
const counts = async (db: Db) => ({
  audit: (await db.selectFrom('audit_log').select('id').execute()).length,
  deliveries: (await db.selectFrom('webhook_deliveries').select('id').execute()).length,
  bookings: (await db.selectFrom('bookings').select('id').execute()).length,
})
const lastAudit = (db: Db) => db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()

t.test('refused bodies get a clear error, one counted refusal, and nothing else stored', async (t) => {
  const { app, db } = await build(t)
  const valid = envelope('BOOKING_CREATED', bookingPayload())
  const cases: { name: string; body: string | Buffer; headers?: Record<string, string | undefined>; status: number; code: string; message?: RegExp }[] = [
    { name: 'over 1 MB', body: JSON.stringify({ triggerEvent: 'PING', pad: 'x'.repeat(MAX_WEBHOOK_BYTES) }), status: 413, code: 'payload_too_large' },
    { name: 'form-encoded', body: 'triggerEvent=BOOKING_CREATED', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'unsupported_media_type' },
    { name: 'text/plain', body: valid, headers: { 'content-type': 'text/plain' }, status: 415, code: 'unsupported_media_type' },
    { name: 'invalid JSON', body: '{"triggerEvent":"BOOKING_CREATED",', status: 400, code: 'invalid_json' },
    { name: 'a JSON array', body: '[1,2]', status: 400, code: 'invalid_request', message: /body: expected a JSON object/ },
    { name: 'no triggerEvent', body: JSON.stringify({ payload: bookingPayload() }), status: 400, code: 'invalid_request', message: /^triggerEvent: / },
    { name: 'startTime a number', body: envelope('BOOKING_CREATED', bookingPayload({ startTime: 1767798000000 })), status: 400, code: 'invalid_request', message: /^payload\.startTime: .*string/ },
    { name: 'endTime not a date', body: envelope('BOOKING_CANCELLED', bookingPayload({ endTime: 'tomorrow' })), status: 400, code: 'invalid_request', message: /^payload\.endTime: expected an ISO 8601/ },
    { name: 'booking without uid', body: envelope('BOOKING_CREATED', bookingPayload({ uid: undefined })), status: 400, code: 'invalid_request', message: /^payload\.uid: / },
    { name: 'attendees an object', body: envelope('BOOKING_CREATED', bookingPayload({ attendees: { email: 'x' } })), status: 400, code: 'invalid_request', message: /^payload\.attendees: / },
    { name: 'meeting without uid', body: JSON.stringify({ triggerEvent: 'MEETING_STARTED', startTime: '2026-01-07T15:00:00Z', endTime: '2026-01-07T15:30:00Z' }), status: 400, code: 'invalid_request', message: /^uid: / },
    { name: 'a NUL character in a field', body: envelope('BOOKING_CREATED', bookingPayload({ title: 'Prayer\u0000call' })), status: 400, code: 'invalid_request', message: /NUL character/ },
    { name: 'a NUL character in a key', body: envelope('BOOKING_CREATED', bookingPayload({ 'x\u0000': 1 })), status: 400, code: 'invalid_request', message: /NUL character/ },
    { name: 'no-show with a string noShow', body: envelope('BOOKING_NO_SHOW_UPDATED', { bookingUid: 'x', attendees: [{ email: 'a@b.c', noShow: 'yes' }] }), status: 400, code: 'invalid_request', message: /^payload\.attendees\.0\.noShow: / },
  ]
  for (const c of cases) {
    const before = await counts(db)
    const refusedBefore = await refusalCounts(app, db)
    const res = await deliver(app, c.body, { headers: c.headers ?? {} })
    t.equal(res.statusCode, c.status, `${c.name}: status`)
    t.equal(res.json().error.code, c.code, `${c.name}: code`)
    if (c.message) t.match(res.json().error.message, c.message, `${c.name}: names the field`)
    t.same(await counts(db), before, `${c.name}: no row in audit_log, deliveries or bookings`)
    t.same(Object.values(refusalsBetween(refusedBefore, await refusalCounts(app, db))), [1], `${c.name}: one refusal counted`)
  }
})

t.test('PING answers 200 and changes no booking', async (t) => {
  const { app, db } = await build(t)
  const ping = envelope('PING', { type: 'Test', title: 'Test trigger event', startTime: '2026-01-05T15:00:00.000Z', endTime: '2026-01-05T15:00:00.000Z', attendees: [{ email: 'jdoe@example.com', name: 'John Doe' }] })
  const res = await deliver(app, ping)
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'accepted', outcome: 'ping' })
  t.equal((await counts(db)).bookings, 0)
  t.equal((await lastAudit(db)).action, 'webhook.accepted')
})

t.test('an unknown trigger is stored and acknowledged but changes no booking', async (t) => {
  const { app, db } = await build(t)
  const body = envelope('RECORDING_READY', { bookingUid: 'Kq2vN8xWbPj3TfYhR6mLzA', downloadLink: 'https://example.org/r.mp4' })
  const res = await deliver(app, body)
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'accepted', outcome: 'ignored' })
  const [row] = await db.selectFrom('webhook_deliveries').selectAll().execute()
  t.equal(app.keyRing.decrypt(row!.raw_body!), body, 'the exact body is kept, sealed')
  t.equal(row?.trigger_event, 'RECORDING_READY')
  t.equal(row?.booking_uid, 'Kq2vN8xWbPj3TfYhR6mLzA')
  t.equal((await counts(db)).bookings, 0)
  t.same((await deliver(app, body)).json(), { status: 'duplicate' }, 'and only once')
})

t.test('the seed URLs are aliases of /webhooks/cal', async (t) => {
  const { app, db } = await build(t)
  for (const [i, url] of ['/webhooks/cal/booking.created', '/webhooks/cal/booking.updated'].entries()) {
    const res = await deliver(app, envelope('BOOKING_CREATED', bookingPayload({ uid: `alias${i}` })), { url })
    t.equal(res.statusCode, 200, url)
  }
  t.equal((await counts(db)).bookings, 2)
})

t.test('a redelivery is acknowledged as a duplicate and changes nothing', async (t) => {
  const { app, db } = await build(t)
  const payload = bookingPayload()
  const first = envelope('BOOKING_CREATED', payload, '2026-01-05T15:00:00.000Z')
  t.same((await deliver(app, first)).json(), { status: 'accepted', outcome: 'created' })
  const before = await db.selectFrom('bookings').selectAll().executeTakeFirstOrThrow()
  t.same((await deliver(app, first)).json(), { status: 'duplicate' }, 'the same body')
  // Cal.com re-stamps createdAt on each send: same trigger, uid and state is the same delivery.
  const restamped = envelope('BOOKING_CREATED', payload, '2026-01-05T15:09:00.000Z')
  t.same((await deliver(app, restamped)).json(), { status: 'duplicate' }, 'the same state with a new createdAt')
  const reordered = JSON.stringify({ createdAt: '2026-01-05T15:10:00.000Z', triggerEvent: 'BOOKING_CREATED', payload: Object.fromEntries(Object.entries(payload).reverse()) })
  const res = await app.inject({ method: 'POST', url: '/webhooks/cal', payload: reordered, headers: signedHeaders(reordered) })
  t.same(res.json(), { status: 'duplicate' }, 'the same state with its keys in another order')
  t.equal((await db.selectFrom('webhook_deliveries').select('id').execute()).length, 1)
  t.same(await db.selectFrom('bookings').selectAll().executeTakeFirstOrThrow(), before, 'the booking is untouched')
  const changed = envelope('BOOKING_CREATED', { ...payload, title: 'Another title' }, '2026-01-05T15:00:00.000Z')
  t.equal((await deliver(app, changed)).json().status, 'accepted', 'a different state is a new delivery')
})

t.test('logs carry no attendee email, notes or signature', async (t) => {
  const { captureLogger } = await import('./helpers.js')
  const capture = captureLogger()
  const { app } = await build(t, { logger: capture.logger })
  await deliver(app, envelope('BOOKING_CREATED', bookingPayload()))
  await deliver(app, envelope('BOOKING_CREATED', bookingPayload({ startTime: 5 })))
  const text = capture.text()
  t.match(text, /webhook delivery/, 'the delivery is logged')
  t.notMatch(text, /bob@example\.org/)
  t.notMatch(text, /pray for my family/)
  t.notMatch(text, /[0-9a-f]{64}/, 'no signature')
})
