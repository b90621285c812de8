import t from 'tap'
import { RefusalLog } from '../audit-refusals.js'
import { ManualClock } from '../clock.js'
import { build } from './helpers.js'
import { bookingPayload, deliver, envelope } from './webhook-factory.js'

const forged = envelope('BOOKING_CREATED', bookingPayload())
const FORGED = { 'x-cal-signature-256': 'f'.repeat(64) }

t.test('forged webhook posts: 30 a minute per address are refused 401, the rest 429 unread, counted in a row per reason', async (t) => {
  const clock = new ManualClock()
  const { app, db } = await build(t, { clock })
  const post = (remoteAddress = '203.0.113.5') => app.inject({ method: 'POST', url: '/webhooks/cal', payload: forged, headers: { 'content-type': 'application/json', ...FORGED }, remoteAddress })
  const statuses: number[] = []
  for (let i = 0; i < 200; i++) statuses.push((await post()).statusCode)
  t.same(statuses, [...Array(30).fill(401), ...Array(170).fill(429)])
  const limited = await post()
  t.equal(limited.json().error.code, 'rate_limited')
  t.match(limited.headers['retry-after'], /^\d+$/)
  t.equal((await post('198.51.100.6')).statusCode, 401, 'another address is judged on its own')
  t.equal((await deliver(app, forged, { })).statusCode, 200, 'Cal.com\'s signed post from its own address is taken')

  await app.refusals.flush()
  const rows = await db.selectFrom('audit_refusals').select(['address', 'route', 'reason', 'count']).orderBy('address').orderBy('reason').execute()
  t.same(rows, [
    { address: '198.51.100.0/24', route: '/webhooks/cal', reason: 'signature_mismatch', count: 1 },
    { address: '203.0.113.0/24', route: '/webhooks/cal', reason: 'rate_limited', count: 171 },
    { address: '203.0.113.0/24', route: '/webhooks/cal', reason: 'signature_mismatch', count: 30 },
  ], '202 refusals, three rows, each address cut to its /24')
  t.same(await db.selectFrom('audit_log').select('action').where('action', '<>', 'webhook.accepted').execute(), [], 'none in the append-only log')

  clock.advance(60_000)
  t.equal((await post()).statusCode, 401, 'the next minute, the address gets its 30 again')
  await app.refusals.flush()
  t.equal((await db.selectFrom('audit_refusals').select('minute').distinct().execute()).length, 2, 'and a row of the new minute')
})

t.test('two replicas counting the same address, route, reason and minute add to one row', async (t) => {
  const { app, db, clock } = await build(t)
  const other = new RefusalLog(db, clock)
  const request = { ip: '198.51.100.1', routeOptions: { url: '/webhooks/cal' }, url: '/webhooks/cal' } as Parameters<RefusalLog['record']>[0]
  for (let i = 0; i < 3; i++) app.refusals.record(request, 'signature_missing')
  for (let i = 0; i < 4; i++) other.record(request, 'signature_missing')
  await Promise.all([app.refusals.flush(), other.flush()])
  t.same(await db.selectFrom('audit_refusals').select(['address', 'reason', 'count']).execute(), [{ address: '198.51.100.0/24', reason: 'signature_missing', count: 7 }])
})

t.test('counts still in memory are written when the app closes', async (t) => {
  const { app, db } = await build(t)
  await app.inject({ method: 'POST', url: '/webhooks/cal', payload: forged, headers: { 'content-type': 'application/json', ...FORGED } })
  t.same(await db.selectFrom('audit_refusals').select('count').execute(), [], 'not yet written')
  await app.close()
  t.same(await db.selectFrom('audit_refusals').select(['reason', 'count']).execute(), [{ reason: 'signature_mismatch', count: 1 }])
})

t.test('GET /admin/refusals: the counted refusals, newest minute first', async (t) => {
  const { app } = await build(t)
  await app.inject({ method: 'POST', url: '/webhooks/cal', payload: forged, headers: { 'content-type': 'application/json', ...FORGED } })
  await app.refusals.flush()
  const res = await app.inject({ method: 'GET', url: '/admin/refusals', headers: { authorization: 'Bearer sandbox-admin-key' } })
  t.equal(res.statusCode, 200)
  t.same(res.json().refusals.map((r: { address: string; route: string; reason: string; count: number }) => [r.address, r.route, r.reason, r.count]), [['127.0.0.0/24', '/webhooks/cal', 'signature_mismatch', 1]])
})
