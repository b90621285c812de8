import t from 'tap'
import { build } from './helpers.js'
import { bookingPayload, deliver, envelope } from './webhook-factory.js'

const KEY = { authorization: 'Bearer sandbox-admin-key' }
const { app } = await build(t)

// Five bookings arriving in this order: b1 … b5 (newest first is b5 … b1).
const seed: [string, string, string, string][] = [
  ['b1', 'BOOKING_CREATED', 'zack', '2026-01-07T15:00:00Z'],
  ['b2', 'BOOKING_CANCELLED', 'zack', '2026-01-08T15:00:00Z'],
  ['b3', 'BOOKING_CREATED', 'maria', '2026-01-09T15:00:00Z'],
  ['b4', 'BOOKING_REQUESTED', 'maria', '2026-01-10T15:00:00Z'],
  ['b5', 'BOOKING_CREATED', 'zack', '2026-01-11T15:00:00Z'],
]
for (const [uid, trigger, host, start] of seed) {
  const end = new Date(Date.parse(start) + 30 * 60_000).toISOString()
  const organizer = { name: host, email: `${host}@gracechurch.example`, username: host }
  const res = await deliver(app, envelope(trigger, bookingPayload({ uid, startTime: start, endTime: end, organizer })))
  if (res.statusCode !== 200) throw new Error(res.body)
}

const get = (url: string, headers: Record<string, string> = KEY) => app.inject({ method: 'GET', url, headers })
const uids = (res: { json(): { bookings: { uid: string }[] } }) => res.json().bookings.map((b) => b.uid)

t.test('admin reads need the admin key', async (t) => {
  for (const url of ['/admin/bookings', '/admin/audit']) {
    t.equal((await get(url, {})).statusCode, 401, `${url} without a key`)
    t.equal((await get(url, { authorization: 'Bearer wrong-key-wrong-key' })).statusCode, 401, `${url} with a wrong key`)
  }
})

t.test('bookings page newest first with an opaque cursor', async (t) => {
  const first = await get('/admin/bookings?limit=2')
  t.equal(first.statusCode, 200)
  t.same(uids(first), ['b5', 'b4'])
  const cursor = first.json().nextCursor as string
  t.notMatch(cursor, /^\d+$/, 'the cursor is not a bare id')
  const second = await get(`/admin/bookings?limit=2&cursor=${cursor}`)
  t.same(uids(second), ['b3', 'b2'])
  const third = await get(`/admin/bookings?limit=2&cursor=${second.json().nextCursor}`)
  t.same(uids(third), ['b1'])
  t.equal(third.json().nextCursor, null, 'no cursor after the last page')
  t.same(uids(await get('/admin/bookings')), ['b5', 'b4', 'b3', 'b2', 'b1'], 'default page holds them all')
})

t.test('booking filters: status, host and start time', async (t) => {
  t.same(uids(await get('/admin/bookings?status=cancelled')), ['b2'], 'status, any case')
  t.same(uids(await get('/admin/bookings?status=PENDING')), ['b4'])
  t.same(uids(await get('/admin/bookings?host=maria')), ['b4', 'b3'])
  t.same(uids(await get('/admin/bookings?from=2026-01-08T00:00:00Z&to=2026-01-10T00:00:00Z')), ['b3', 'b2'], 'from inclusive, to exclusive')
  t.same(uids(await get('/admin/bookings?host=zack&status=accepted&from=2026-01-08')), ['b5'])
  const paged = await get('/admin/bookings?host=zack&limit=1')
  t.same(uids(await get(`/admin/bookings?host=zack&limit=5&cursor=${paged.json().nextCursor}`)), ['b2', 'b1'], 'the cursor keeps the filter')
})

t.test('the admin view carries attendee email and notes', async (t) => {
  const [b1] = (await get('/admin/bookings?limit=100&from=2026-01-07&to=2026-01-08')).json().bookings
  t.match(b1, {
    uid: 'b1', status: 'ACCEPTED', eventType: '30min', startTime: '2026-01-07T15:00:00.000Z', endTime: '2026-01-07T15:30:00.000Z',
    host: { username: 'zack', email: 'zack@gracechurch.example' }, attendee: { name: 'Bob Booker', email: 'bob@example.org' },
    notes: 'Please pray for my family', lastTrigger: 'BOOKING_CREATED',
  })
})

t.test('bad paging and filters are refused with what to fix', async (t) => {
  for (const [url, pattern] of [
    ['/admin/bookings?limit=101', /limit/],
    ['/admin/bookings?limit=0', /limit/],
    ['/admin/bookings?cursor=not-a-cursor', /cursor/],
    ['/admin/bookings?status=LOST', /status/],
    ['/admin/bookings?from=yesterday', /from/],
    ['/admin/audit?limit=500', /limit/],
    ['/admin/audit?cursor=MTIz', /cursor/],
  ] as const) {
    const res = await get(url)
    t.equal(res.statusCode, 400, url)
    t.match(res.json().error.message, pattern, url)
  }
})

t.test('the audit log pages newest first and filters by action and subject', async (t) => {
  const all = (await get('/admin/audit?limit=100')).json().entries as { id: number; action: string; subject: string | null }[]
  t.ok(all.length >= 5)
  t.same(all.map((e) => e.id), [...all.map((e) => e.id)].sort((a, b) => b - a), 'newest first')
  const accepted = (await get('/admin/audit?action=webhook.accepted')).json().entries as typeof all
  t.same(accepted.map((e) => e.subject), ['booking:b5', 'booking:b4', 'booking:b3', 'booking:b2', 'booking:b1'])
  const one = await get('/admin/audit?subject=booking:b3')
  t.same(one.json().entries.map((e: { action: string; actor: string; detail: { trigger: string; outcome: string } }) => [e.action, e.actor, e.detail.trigger, e.detail.outcome]),
    [['webhook.accepted', 'cal.com', 'BOOKING_CREATED', 'created']], 'exactly the one entry about b3')
  const page1 = await get('/admin/audit?action=webhook.accepted&limit=3')
  const page2 = await get(`/admin/audit?action=webhook.accepted&limit=3&cursor=${page1.json().nextCursor}`)
  t.same([...page1.json().entries, ...page2.json().entries].map((e: { subject: string }) => e.subject), accepted.map((e) => e.subject))
  t.equal(page2.json().nextCursor, null)
  t.ok(all.some((e) => e.action === 'bookings.listed'), 'reading bookings (emails, notes) is itself on the record')
})
