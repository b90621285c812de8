'use strict'
// Signed Cal.com booking deliveries for the webhook benchmark. CommonJS, and signing with
// node:crypto directly, because autocannon's worker threads load a request's setupRequest with
// require(): the load generator then runs beside the server instead of on its event loop.
const { createHmac } = require('node:crypto')

const counters = new Map()

/** A delivery for booking `uid` (the n-th of its stream), compact as Cal.com sends it, signed with `secret`. */
function delivery(secret, uid, n, trigger = 'BOOKING_CREATED', note = '') {
  const cancelled = trigger === 'BOOKING_CANCELLED'
  const start = new Date(Date.UTC(2026, 0, 5, 15) + n * 30 * 60000)
  const body = JSON.stringify({
    triggerEvent: trigger,
    createdAt: new Date().toISOString(),
    payload: {
      type: '30min', title: '30 minute meeting between Pastor Zack Miller and Bench Booker', additionalNotes: 'bench',
      startTime: start.toISOString(), endTime: new Date(start.getTime() + 30 * 60000).toISOString(),
      organizer: { id: 1, name: 'Pastor Zack Miller', email: 'zack@gracechurch.example', username: 'zack', timeZone: 'America/Chicago' },
      attendees: [{ email: `booker${n}@example.org`, name: 'Bench Booker', timeZone: 'America/Chicago' }],
      iCalUID: `${uid}@Cal.com`, iCalSequence: cancelled ? 1 : 0, uid, bookingId: n, eventTypeId: 1, length: 30,
      status: cancelled ? 'CANCELLED' : 'ACCEPTED', ...(cancelled ? { cancellationReason: `bench ${note}` } : {}),
    },
  })
  const signature = createHmac('sha256', secret).update(body).digest('hex')
  return { body, headers: { 'content-type': 'application/json', 'x-cal-signature-256': signature, 'x-cal-webhook-version': '2021-10-20' } }
}

/**
 * autocannon's setupRequest; `request.bench` names the stream and the server's webhook secret.
 * New bookings `${prefix}1`, `${prefix}2`, … by default; with `uids`, `trigger` for those bookings
 * in turn, round and round, each body made distinct by the stream's `prefix` and its count.
 */
function setupRequest(request) {
  const { secret, prefix, trigger = 'BOOKING_CREATED', uids } = request.bench
  const calls = (counters.get(prefix) || 0) + 1
  counters.set(prefix, calls)
  const n = uids ? ((calls - 1) % uids.length) + 1 : calls
  const uid = uids ? uids[n - 1] : `${prefix}${n}`
  return { ...request, ...delivery(secret, uid, n, trigger, `${prefix}${calls}`) }
}

module.exports = setupRequest
module.exports.delivery = delivery
