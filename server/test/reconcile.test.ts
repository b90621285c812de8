import t from 'tap'
import { ManualClock } from '../clock.js'
import { ADMIN, connectedSetup } from './connect-helpers.js'

const attendee = { name: 'Ann', email: 'ann@example.org' }
const at = (day: number, hour: number) => new Date(Date.UTC(2026, 0, day, hour))

t.test('reconciliation repairs lost deliveries through the webhook write path, and a second run changes nothing', async (t) => {
  const clock = new ManualClock('2026-01-05T15:00:00Z')
  const { connect, sandbox, reconcile, bookings, inject, db } = await connectedSetup(t, { clock })
  await connect('zack')
  await connect('maria')
  const first = await reconcile()
  t.same(first.json().hosts.map((h: { username: string; fetched: number }) => [h.username, h.fetched]), [['zack', 0], ['maria', 0]])

  const s = sandbox.state
  const kept = await s.createBooking({ hostUsername: 'zack', eventTypeSlug: '30min', start: at(6, 15), attendee })
  s.drops.arm({})
  const lost = await s.createBooking({ hostUsername: 'zack', eventTypeSlug: '30min', start: at(6, 16), attendee })
  const maria = await s.createBooking({ hostUsername: 'maria', eventTypeSlug: '30min', start: at(6, 16), attendee })
  clock.advance(60_000)
  await s.cancelBooking(kept.uid)
  const moved = await s.createBooking({ hostUsername: 'zack', eventTypeSlug: '30min', start: at(7, 15), attendee, rescheduleUid: lost.uid })
  s.drops.clear()
  t.same((await bookings()).map((b) => [b.uid, b.status]), [[kept.uid, 'ACCEPTED']], 'only the first delivery arrived')

  clock.advance(60_000)
  const repaired = await reconcile()
  t.same(repaired.json().hosts.map(({ watermark: _w, requests: _r, ...h }: Record<string, unknown>) => h), [
    { username: 'zack', fetched: 3, created: 2, updated: 1, unchanged: 0 },
    { username: 'maria', fetched: 1, created: 1, updated: 0, unchanged: 0 },
  ])
  const byUid = new Map((await bookings()).map((b) => [b.uid, [b.status, b.startTime, b.rescheduledToUid]]))
  t.same(Object.fromEntries(byUid), {
    [kept.uid]: ['CANCELLED', at(6, 15).toISOString(), null],
    [lost.uid]: ['RESCHEDULED', at(6, 16).toISOString(), moved.uid],
    [moved.uid]: ['ACCEPTED', at(7, 15).toISOString(), null],
    [maria.uid]: ['ACCEPTED', at(6, 16).toISOString(), null],
  })
  const audit = await db.selectFrom('audit_log').select(['subject', 'detail']).where('action', '=', 'reconcile.repaired').orderBy('id').execute()
  t.same(audit, [
    { subject: 'host:zack', detail: { created: 2, updated: 1, fetched: 3 } },
    { subject: 'host:maria', detail: { created: 1, updated: 0, fetched: 1 } },
  ], 'repairs audited with counts only')

  const again = await reconcile({ username: 'zack' })
  t.same(again.json().hosts.map(({ watermark: _w, requests: _r, ...h }: Record<string, unknown>) => h), [{ username: 'zack', fetched: 3, created: 0, updated: 0, unchanged: 3 }], 'a second run changes nothing')

  // A late webhook after the sweep does not undo it: the cancelled booking's create arrives now.
  const late = s.deliveries.find((d) => d.trigger === 'BOOKING_CREATED' && d.body.includes(kept.uid))!
  await inject({ method: 'POST', url: new URL(late.url).pathname, headers: late.headers, payload: late.body })
  t.equal((await bookings()).find((b) => b.uid === kept.uid)!.status, 'CANCELLED')

  const state = await inject({ method: 'GET', url: '/admin/reconcile', headers: ADMIN })
  t.same(state.json().hosts.map((h: { username: string; lastRun: { created: number } }) => [h.username, h.lastRun.created]), [['zack', 0], ['maria', 1]])
})

t.test('Cal.com down: the host\'s error is recorded, other hosts go on, and the app keeps answering', async (t) => {
  const clock = new ManualClock('2026-01-05T15:00:00Z')
  const { connect, sandbox, reconcile, inject } = await connectedSetup(t, { clock })
  await connect('zack')
  await connect('maria')
  sandbox.faults.add({ path: '/v2/bookings', fault: 503 })
  const res = await reconcile()
  t.equal(res.statusCode, 200)
  t.same(res.json().hosts.map((h: { username: string; error?: { code: string } }) => [h.username, h.error?.code]), [['zack', 'cal_error'], ['maria', 'cal_error']])
  const state = (await inject({ method: 'GET', url: '/admin/reconcile', headers: ADMIN })).json()
  t.match(state.hosts[0].lastError.message, /Cal.com answered 503 to list bookings/)
  t.equal((await inject({ method: 'GET', url: '/health' })).statusCode, 200)
  t.equal((await reconcile({ username: 'nobody' })).statusCode, 404)
})

t.test('a rate-limited page is waited out (X-RateLimit-Reset) and the run completes', async (t) => {
  const clock = new ManualClock('2026-01-05T15:00:00Z')
  const { connect, sandbox, app } = await connectedSetup(t, { clock })
  await connect('zack')
  sandbox.state.drops.arm({ times: 1 })
  await sandbox.state.createBooking({ hostUsername: 'zack', eventTypeSlug: '30min', start: at(6, 15), attendee })
  // Spend zack's budget for this minute.
  for (let i = 0; i < 120; i++) sandbox.state.rateLimiter.hit(`api_key_${(await import('node:crypto')).createHash('sha256').update('cal_sandbox_zack').digest('hex')}`, 120, clock.now().getTime())
  const waits: number[] = []
  const { Reconciler } = await import('../reconcile/reconciler.js')
  const reconciler = new Reconciler({ db: app.db, ring: app.keyRing, cal: app.calAccount, connections: app.hostConnections, clock, sleep: async (ms) => { waits.push(ms); clock.advance(ms) } })
  const [outcome] = await reconciler.run()
  t.same(waits, [60_000], 'waited for the window Cal.com named, once')
  t.same([outcome!.fetched, outcome!.created, outcome!.error], [1, 1, undefined])
})

t.test('a booking whose webhook was lost is still tied to the visitor\'s answers by reconciliation', async (t) => {
  const { firstVisitForm } = await import('./form-fixture.js')
  const clock = new ManualClock('2026-01-05T15:00:00Z')
  const { connect, sandbox, reconcile, inject } = await connectedSetup(t, { clock })
  await connect('zack')
  t.equal((await inject({ method: 'POST', url: '/admin/forms', headers: ADMIN, payload: firstVisitForm() })).statusCode, 201)
  const answered = await inject({ method: 'POST', url: '/v1/forms/first-visit/responses', payload: { version: 1, answers: { topic: 'grief', agree: true }, lang: 'en' } })
  const { responseId } = answered.json()
  sandbox.state.drops.arm({})
  const lost = await sandbox.state.createBooking({ hostUsername: 'zack', eventTypeSlug: '30min', start: at(6, 15), attendee, metadata: { churchhubResponse: responseId } })
  sandbox.state.drops.clear()
  t.equal((await reconcile()).json().hosts[0].created, 1)
  const detail = (await inject({ method: 'GET', url: `/admin/bookings/${lost.uid}`, headers: ADMIN })).json()
  t.equal(detail.answers?.responseId, responseId, 'the answers are tied to the reconciled booking')
})
