import t, { type Test } from 'tap'
import { openBookingRow } from '../privacy/sealed.js'
import { build } from './helpers.js'
import { bookingChain, bookingPayload, deliver, envelope } from './webhook-factory.js'

type Db = Awaited<ReturnType<typeof build>>['db']

// One app for the file (each case uses uids of its own): building one per case is slow on a busy machine.
const { app, db } = await build(t)

async function send(t: Test, body: string, outcome?: string) {
  const res = await deliver(app, body)
  t.equal(res.statusCode, 200, res.body)
  if (outcome) t.equal(res.json().outcome, outcome, `outcome ${outcome}`)
  return res.json()
}
/** The booking as stored, its sealed columns opened. */
const booking = async (db: Db, uid: string) => {
  const row = await db.selectFrom('bookings').selectAll().where('uid', '=', uid).executeTakeFirst()
  return row && openBookingRow(app.keyRing, row)
}

/** The chain's rows without the bookkeeping that depends on when rows were written, uids made generic. */
async function chainState(db: Db, a: string, b: string) {
  const rows = await db.selectFrom('bookings').selectAll().where('uid', 'in', [a, b]).orderBy('uid').execute()
  const state = rows.map((row) => openBookingRow(app.keyRing, row)).map(({ id: _id, created_at: _c, updated_at: _u, attendee_email_index: _i, ...rest }) => rest)
  return JSON.parse(JSON.stringify(state).replaceAll(a, 'OLD').replaceAll(b, 'NEW'))
}

t.test('BOOKING_CREATED records the booking with its people, notes and times', async (t) => {
  await send(t, envelope('BOOKING_CREATED', bookingPayload({ uid: 'c1' }), '2026-01-05T15:00:00.000Z'), 'created')
  t.match(await booking(db, 'c1'), {
    status: 'ACCEPTED', title: '30 minute meeting between Pastor Zack Miller and Bob Booker', event_type: '30min',
    start_time: new Date('2026-01-07T15:00:00Z'), end_time: new Date('2026-01-07T15:30:00Z'),
    host_username: 'zack', host_email: 'zack@gracechurch.example', attendee_name: 'Bob Booker', attendee_email: 'bob@example.org',
    notes: 'Please pray for my family', last_trigger: 'BOOKING_CREATED', last_event_at: new Date('2026-01-05T15:00:00.000Z'),
    last_sequence: 0, last_payload: { uid: 'c1', bookingId: 70211 },
  })
  t.equal((await db.selectFrom('audit_log').selectAll().where('subject', '=', 'booking:c1').executeTakeFirstOrThrow()).action, 'webhook.accepted')
})

t.test('each booking trigger puts the booking in its status', async (t) => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['BOOKING_REQUESTED', { status: 'PENDING' }, 'PENDING'],
    ['BOOKING_CANCELLED', { status: 'CANCELLED', iCalSequence: 1, cancellationReason: 'ill' }, 'CANCELLED'],
    ['BOOKING_REJECTED', { status: 'REJECTED', rejectionReason: 'away' }, 'REJECTED'],
    ['BOOKING_PAID', { paymentId: 7 }, 'ACCEPTED'],
    ['BOOKING_PAYMENT_INITIATED', { status: undefined, paymentId: 7 }, 'PENDING'],
    ['BOOKING_RESCHEDULED', { iCalSequence: 1 }, 'ACCEPTED'],
  ]
  for (const [trigger, change, status] of cases) {
    await send(t, envelope(trigger, bookingPayload({ uid: `t-${trigger}`, ...change })), 'created')
    t.match(await booking(db, `t-${trigger}`), { status, last_trigger: trigger }, trigger)
  }
})

t.test('a requested booking becomes accepted on confirmation, and a late copy of the request does not undo it', async (t) => {
  await send(t, envelope('BOOKING_REQUESTED', bookingPayload({ uid: 'r1', status: 'PENDING' }), '2026-01-05T15:00:00.000Z'), 'created')
  await send(t, envelope('BOOKING_CREATED', bookingPayload({ uid: 'r1' }), '2026-01-05T16:00:00.000Z'), 'updated')
  // A re-sent request is re-stamped later than the confirmation; its stage is earlier, so it loses.
  await send(t, envelope('BOOKING_REQUESTED', bookingPayload({ uid: 'r1', status: 'PENDING', title: 'old title' }), '2026-01-05T17:00:00.000Z'), 'stale')
  t.match(await booking(db, 'r1'), { status: 'ACCEPTED', last_trigger: 'BOOKING_CREATED', title: '30 minute meeting between Pastor Zack Miller and Bob Booker' })
})

t.test('a cancel that arrives before its create still yields the right booking', async (t) => {
  const minimalCancel = { uid: 'x1', startTime: '2026-01-07T15:00:00Z', endTime: '2026-01-07T15:30:00Z', iCalSequence: 1 }
  await send(t, envelope('BOOKING_CANCELLED', minimalCancel, '2026-01-05T16:00:00.000Z'), 'created')
  t.match(await booking(db, 'x1'), { status: 'CANCELLED', title: null, attendee_email: null })
  // The create is re-stamped after the cancel (a retry): the sequence still puts it first.
  await send(t, envelope('BOOKING_CREATED', bookingPayload({ uid: 'x1' }), '2026-01-05T17:00:00.000Z'), 'stale')
  t.match(await booking(db, 'x1'), {
    status: 'CANCELLED', last_trigger: 'BOOKING_CANCELLED', last_event_at: new Date('2026-01-05T16:00:00.000Z'),
    title: '30 minute meeting between Pastor Zack Miller and Bob Booker', attendee_email: 'bob@example.org', notes: 'Please pray for my family',
  }, 'the older create filled in what the cancel did not say')
})

t.test('older minimal payloads with just the uid and times are applied', async (t) => {
  await send(t, JSON.stringify({ triggerEvent: 'BOOKING_CREATED', payload: { uid: 'old1', startTime: '2026-01-07T15:00:00Z', endTime: '2026-01-07T15:30:00Z' } }), 'created')
  t.match(await booking(db, 'old1'), { status: 'ACCEPTED', start_time: new Date('2026-01-07T15:00:00Z'), last_sequence: null })
  await send(t, JSON.stringify({ triggerEvent: 'BOOKING_CANCELLED', payload: { uid: 'old1', startTime: '2026-01-07T15:00:00Z', endTime: '2026-01-07T15:30:00Z' } }), 'updated')
  t.match(await booking(db, 'old1'), { status: 'CANCELLED' })
})

t.test('MEETING_STARTED and MEETING_ENDED carry the booking at the root', async (t) => {
  await send(t, envelope('BOOKING_CREATED', bookingPayload({ uid: 'm1' })), 'created')
  const row = (trigger: string) => JSON.stringify({
    triggerEvent: trigger, id: 70211, uid: 'm1', title: '30 minute meeting between Pastor Zack Miller and Bob Booker',
    startTime: '2026-01-07T15:00:00.000Z', endTime: '2026-01-07T15:30:00.000Z', status: 'ACCEPTED', createdAt: '2026-01-05T15:00:00.000Z',
    user: { email: 'zack@gracechurch.example', name: 'Pastor Zack Miller', username: 'zack' }, attendees: [{ email: 'bob@example.org', name: 'Bob Booker' }],
    metadata: {}, fromReschedule: null, rescheduled: null,
  })
  await send(t, row('MEETING_ENDED'), 'updated')
  t.match(await booking(db, 'm1'), { status: 'ACCEPTED', last_trigger: 'MEETING_ENDED' })
  await send(t, row('MEETING_STARTED'), 'stale')
  t.match(await booking(db, 'm1'), { last_trigger: 'MEETING_ENDED' }, 'a late start does not undo the end')
  await send(t, envelope('BOOKING_CANCELLED', bookingPayload({ uid: 'm2', iCalSequence: 1 })), 'created')
  await send(t, row('MEETING_STARTED').replace('"m1"', '"m2"'), 'stale')
  t.match(await booking(db, 'm2'), { status: 'CANCELLED' }, 'a meeting event never revives a cancelled booking')
})

t.test('BOOKING_NO_SHOW_UPDATED marks the booking, even when it arrives first', async (t) => {
  const noShow = (uid: string, flag: boolean) => envelope('BOOKING_NO_SHOW_UPDATED', { message: 'marked', attendees: [{ email: 'bob@example.org', noShow: flag }], bookingUid: uid, bookingId: 1 })
  await send(t, envelope('BOOKING_CREATED', bookingPayload({ uid: 'n1' })), 'created')
  await send(t, noShow('n1', true), 'updated')
  t.match(await booking(db, 'n1'), { no_show: true, status: 'ACCEPTED', last_trigger: 'BOOKING_CREATED' })
  await send(t, noShow('n2', true), 'deferred')
  t.notOk(await booking(db, 'n2'))
  await send(t, envelope('BOOKING_CREATED', bookingPayload({ uid: 'n2' })), 'created')
  t.match(await booking(db, 'n2'), { no_show: true }, 'applied once its booking arrived')
  t.same((await db.selectFrom('webhook_deliveries').select('outcome').where('outcome', '=', 'deferred').execute()), [], 'nothing left waiting')
})

t.test('a reschedule marks the old booking RESCHEDULED and links both ways', async (t) => {
  const chain = bookingChain('A1', 'B1')
  await send(t, chain.created, 'created')
  await send(t, chain.rescheduled, 'created')
  t.match(await booking(db, 'A1'), { status: 'RESCHEDULED', rescheduled_to_uid: 'B1', start_time: new Date('2026-01-07T15:00:00Z') })
  t.match(await booking(db, 'B1'), { status: 'ACCEPTED', rescheduled_from_uid: 'A1', start_time: new Date('2026-01-08T16:00:00Z') })
})

t.test('a reschedule without the old times, before the old booking, links it when it arrives', async (t) => {
  const moved = bookingPayload({ uid: 'B2', iCalSequence: 1, rescheduleUid: 'A2', startTime: '2026-01-08T16:00:00Z', endTime: '2026-01-08T16:30:00Z' })
  await send(t, envelope('BOOKING_RESCHEDULED', moved, '2026-01-05T16:00:00.000Z'), 'created')
  t.notOk(await booking(db, 'A2'), 'nothing to record the old booking with yet')
  await send(t, envelope('BOOKING_CREATED', bookingPayload({ uid: 'A2' }), '2026-01-05T15:00:00.000Z'), 'created')
  t.match(await booking(db, 'A2'), { status: 'RESCHEDULED', rescheduled_to_uid: 'B2' })
  t.match(await booking(db, 'B2'), { status: 'ACCEPTED', rescheduled_from_uid: 'A2' })
})

const permutations = <T>(items: T[]): T[][] =>
  items.length <= 1 ? [items] : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]))

t.test('every order of created, rescheduled and cancelled ends in the same state', async (t) => {
  const orders = permutations(['created', 'rescheduled', 'cancelled'] as const)
  t.equal(orders.length, 6)
  const states: unknown[] = []
  for (const [i, order] of orders.entries()) {
    const chain = bookingChain(`OLD${i}x`, `NEW${i}x`)
    for (const name of order) await send(t, chain[name])
    states.push(await chainState(db, `OLD${i}x`, `NEW${i}x`))
  }
  t.match(states[0], [
    { uid: 'NEW', status: 'CANCELLED', rescheduled_from_uid: 'OLD', last_trigger: 'BOOKING_CANCELLED', start_time: '2026-01-08T16:00:00.000Z' },
    { uid: 'OLD', status: 'RESCHEDULED', rescheduled_to_uid: 'NEW', attendee_email: 'bob@example.org', start_time: '2026-01-07T15:00:00.000Z' },
  ])
  for (let i = 1; i < orders.length; i++) t.same(states[i], states[0], `${orders[i]!.join(' → ')} ends like ${orders[0]!.join(' → ')}`)
})
