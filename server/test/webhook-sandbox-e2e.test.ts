import type { AddressInfo } from 'node:net'
import t from 'tap'
import { startSandbox } from '../../demo/sandbox/standalone.js'
import { ManualClock } from '../clock.js'
import { build } from './helpers.js'

// A real HTTP peer is the point here: the sandbox posts signed webhooks to the app on a live port.
t.test('a booking made in the sandbox arrives signed and shows in GET /admin/bookings, through reschedule and cancel', async (t) => {
  const { app } = await build(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const target = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/webhooks/cal`
  const sandbox = await startSandbox({ webhookTargets: [target], clock: new ManualClock('2026-01-05T15:00:00Z') })
  t.teardown(() => sandbox.close())
  const admin = async () => {
    const res = await app.inject({ method: 'GET', url: '/admin/bookings', headers: { authorization: 'Bearer sandbox-admin-key' } })
    t.equal(res.statusCode, 200)
    return res.json().bookings as Record<string, any>[]
  }

  const booked = await sandbox.state.createBooking({
    hostUsername: 'zack', eventTypeSlug: '30min', start: new Date('2026-01-06T16:00:00Z'),
    attendee: { name: 'Ruth Reader', email: 'ruth@example.org', timeZone: 'America/Chicago' }, notes: 'First visit to the church',
  })
  const sent = () => sandbox.state.deliveries.map((d) => [d.trigger, d.status])
  t.same(sent(), [['BOOKING_CREATED', 200]], 'one signed delivery, taken by the app')
  const first = await admin()
  t.equal(first.length, 1, 'one booking listed')
  t.match(first[0], {
    uid: booked.uid, status: 'ACCEPTED', eventType: '30min', startTime: '2026-01-06T16:00:00.000Z', endTime: '2026-01-06T16:30:00.000Z',
    host: { username: 'zack' }, attendee: { name: 'Ruth Reader', email: 'ruth@example.org' }, notes: 'First visit to the church',
  })

  const moved = await sandbox.state.createBooking({
    hostUsername: 'zack', eventTypeSlug: '30min', start: new Date('2026-01-07T16:00:00Z'),
    attendee: { name: 'Ruth Reader', email: 'ruth@example.org' }, rescheduleUid: booked.uid, rescheduledBy: 'ruth@example.org',
  })
  await sandbox.state.cancelBooking(moved.uid, { reason: 'Travelling', cancelledBy: 'ruth@example.org' })
  t.same(sent(), [['BOOKING_CREATED', 200], ['BOOKING_RESCHEDULED', 200], ['BOOKING_CANCELLED', 200]], 'one delivery each, all taken')
  t.same((await admin()).map((b) => [b.uid, b.status, b.rescheduledFromUid, b.rescheduledToUid]), [
    [moved.uid, 'CANCELLED', booked.uid, null],
    [booked.uid, 'RESCHEDULED', null, moved.uid],
  ], 'exactly the two bookings, linked both ways')
})
