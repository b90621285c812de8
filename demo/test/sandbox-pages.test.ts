// The sandbox's booking pages over HTTP: what they offer, what a posted form does, and that the
// fault hook reaches them. The browser-side protocol is in sandbox-embed.test.ts.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import t from 'tap'
import { ManualClock } from '../../server/clock.js'
import { verify } from '../../server/webhooks/signature.js'
import { startSandbox } from '../sandbox/standalone.js'
import { webhookReceiver } from './sandbox-pages-helpers.js'

const receiver = await webhookReceiver(t)
const clock = new ManualClock('2030-01-07T12:00:00.000Z') // Monday, 6:00 in Chicago
const sandbox = await startSandbox({ clock, webhookTargets: [receiver.url] })
t.teardown(() => sandbox.close())
const base = sandbox.url

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one)
  return body
}

async function post(path: string, fields: Record<string, string | string[]>, json = true) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(json ? { accept: 'application/json' } : {}) },
    body: form(fields),
  })
}

const slotsOn = (page: string, date: string) => {
  const block = new RegExp(`data-times-for="${date}"[^>]*>([\\s\\S]*?)</ul>`).exec(page)?.[1] ?? ''
  return [...block.matchAll(/name="slot" value="([^"]+)"/g)].map((m) => m[1])
}

t.test('embed.js is the installed @calcom/embed-core build, as JavaScript', async (t) => {
  const res = await fetch(`${base}/embed/embed.js`)
  t.equal(res.status, 200)
  t.match(res.headers.get('content-type'), /^application\/javascript/)
  const installed = readFileSync(createRequire(import.meta.url).resolve('@calcom/embed-core/dist/embed/embed.js'))
  t.ok(Buffer.from(await res.arrayBuffer()).equals(installed), 'byte for byte')
})

t.test('unknown hosts, meetings and bookings get a 404 page that tells the embed', async (t) => {
  for (const path of ['/nobody', '/nobody/embed?embed=', '/zack/90min', '/zack/90min/embed?embed=ns1', '/booking/nope']) {
    const res = await fetch(`${base}${path}`)
    t.equal(res.status, 404, path)
    t.match(res.headers.get('content-type'), /^text\/html/)
    t.match(await res.text(), /data-page-status="404"/, `${path} carries the status the page script reports as linkFailed`)
  }
})

t.test('pages are frameable from any site and run under their own strict CSP', async (t) => {
  const res = await fetch(`${base}/zack/30min/embed?embed=`)
  t.equal(res.headers.get('x-frame-options'), null)
  const csp = res.headers.get('content-security-policy') ?? ''
  t.match(csp, /script-src 'self'/)
  t.notMatch(csp, /frame-ancestors|unsafe-inline/)
  t.notMatch(await res.text(), /<script>|style="/, 'no inline script or style')
})

t.test('profile page lists the event types, keeping the embed and prefill in the links', async (t) => {
  const page = await (await fetch(`${base}/zack/embed?embed=ns1&name=Ann&theme=dark`)).text()
  t.match(page, /<h1>Pastor Zack Miller<\/h1>/)
  for (const slug of ['15min', '30min', '60min']) {
    t.match(page, new RegExp(`href="/sandbox/cal/zack/${slug}/embed\\?embed=ns1&amp;name=Ann&amp;theme=dark"`), slug)
  }
  t.match(page, /data-event-type="\{&quot;id&quot;:3001,&quot;slug&quot;:&quot;15min&quot;/, 'the object eventTypeSelected carries')
  t.match(page, /<html lang="en" class="embed embed-pending" data-theme="dark"/)
})

t.test('event page: a month of weekday slots, 9 to 5 in Chicago, prefilled from the query', async (t) => {
  const q = 'embed=&name=Ann+Lee&email=ann%40example.com&notes=hi+there&guests=g1%40example.com&guests=g2%40example.com' +
    '&guest=g1%40example.com&guest=g2%40example.com&metadata%5Bref%5D=r-1&layout=week_view'
  const page = await (await fetch(`${base}/zack/30min/embed?${q}`)).text()
  const monday = slotsOn(page, '2030-01-07')
  t.equal(monday.length, 16, '9:00 to 16:30, every 30 minutes')
  t.equal(monday[0], '2030-01-07T15:00:00.000Z', '9:00 in Chicago (UTC-6 in January)')
  t.equal(monday.at(-1), '2030-01-07T22:30:00.000Z')
  t.same(slotsOn(page, '2030-01-12'), [], 'no Saturday')
  t.match(page, /value="2030-02-06"/, 'a month ahead')
  t.notMatch(page, /value="2030-02-07"/, 'and no further')
  t.match(page, /id="field-name"[^>]*value="Ann Lee"/)
  t.match(page, /id="field-email"[^>]*value="ann@example.com"/)
  t.match(page, /<textarea id="field-notes"[^>]*>hi there<\/textarea>/)
  t.match(page, /<textarea id="field-guests"[^>]*>g1@example.com\ng2@example.com<\/textarea>/, 'guests once each, though embed.js sends guest too')
  t.match(page, /<input type="hidden" name="metadata\[ref\]" value="r-1">/)
  t.match(page, /data-layout="week_view"/)

  clock.set('2030-01-07T16:10:00.000Z') // 10:10 in Chicago
  t.teardown(() => clock.set('2030-01-07T12:00:00.000Z'))
  const later = await (await fetch(`${base}/zack/60min`)).text()
  t.equal(slotsOn(later, '2030-01-07')[0], '2030-01-07T17:00:00.000Z', 'nothing in the past: 11:00 is the first hour left')
})

t.test('booking by form post: JSON for the page script, a redirect without it, words for mistakes', async (t) => {
  const res = await post('/maria/30min/embed?embed=&theme=dark', {
    start: '2030-01-08T15:00:00.000Z', name: 'Ann', email: 'ann@example.com', notes: 'hi', guests: 'g1@example.com\ng2@example.com',
    timeZone: 'Europe/Berlin', 'metadata[ref]': 'r-1',
  })
  t.equal(res.status, 200)
  const body = await res.json() as any
  t.same(body.events.map((e: any) => e.type), ['bookingSuccessful', 'bookingSuccessfulV2'])
  const uid = body.events[1].data.uid
  t.match(body.location, new RegExp(`^/sandbox/cal/booking/${uid}/embed\\?embed=&theme=dark&isSuccessBookingPage=true`))
  t.match(sandbox.state.getBooking(uid), { attendee: { timeZone: 'Europe/Berlin' }, metadata: { ref: 'r-1' } })
  t.same(sandbox.state.getBooking(uid)?.guests, ['g1@example.com', 'g2@example.com'], 'exactly the two guests')
  const hook = await receiver.waitFor((w) => w.body.includes(uid))
  t.doesNotThrow(() => verify('sandbox-webhook-secret', hook.body, hook.headers['x-cal-signature-256']))

  const plain = await post('/maria/30min', { start: '2030-01-08T16:00:00.000Z', name: 'Bo', email: 'bo@example.com' }, false)
  t.equal(plain.status, 303)
  t.match(plain.headers.get('location'), /^\/sandbox\/cal\/booking\/\w+\?isSuccessBookingPage=true/)

  const taken = await post('/maria/30min', { start: '2030-01-08T15:00:00.000Z', name: 'Cy', email: 'cy@example.com' })
  t.equal(taken.status, 409)
  t.match(await taken.json(), { error: { code: 'slot_taken', message: /no longer available/ } })
  const offGrid = await post('/maria/30min', { start: '2030-01-08T15:07:00.000Z', name: 'Cy', email: 'cy@example.com' })
  t.equal(offGrid.status, 409, 'only the times the page offers')

  const bad = await post('/maria/30min', { start: '2030-01-08T17:00:00.000Z', name: 'Di', email: 'not-an-email' }, false)
  t.equal(bad.status, 400)
  const page = await bad.text()
  t.match(page, /<div id="form-error" class="error" role="alert">Enter a valid email address/)
  t.match(page, /id="field-name"[^>]*value="Di"/, 'what was typed is kept')
  t.match(page, /<section id="details" aria-labelledby="details-heading">/, 'the form stays open')
})

t.test('reschedule with ?rescheduleUid and cancel from the booking page', async (t) => {
  const first = await sandbox.state.createBooking({ hostUsername: 'zack', eventTypeSlug: '15min', start: new Date('2030-01-09T15:00:00.000Z'), attendee: { name: 'Ed', email: 'ed@example.com' } })
  const page = await (await fetch(`${base}/zack/15min?rescheduleUid=${first.uid}`)).text()
  t.match(page, /Rescheduling your booking of Wednesday, January 9, 2030, 9:00 AM/)
  t.match(page, /id="field-email"[^>]*value="ed@example.com"/, 'the attendee is prefilled from the booking')
  t.match(page, new RegExp(`name="rescheduleUid" value="${first.uid}"`))

  const elsewhere = await post('/maria/15min', { start: '2030-01-09T16:00:00.000Z', name: 'Ed', email: 'ed@example.com', rescheduleUid: first.uid })
  t.equal(elsewhere.status, 400, "a booking is not moved onto another host's page")
  t.equal(sandbox.state.getBooking(first.uid)?.status, 'ACCEPTED')

  const res = await post('/zack/15min/embed?embed=', { start: '2030-01-09T16:00:00.000Z', name: 'Ed', email: 'ed@example.com', rescheduleUid: first.uid })
  const body = await res.json() as any
  t.same(body.events.map((e: any) => e.type), ['rescheduleBookingSuccessful', 'rescheduleBookingSuccessfulV2'])
  const moved = sandbox.state.getBooking(body.events[1].data.uid)!
  t.match(moved, { fromReschedule: first.uid, startTime: '2030-01-09T16:00:00.000Z', status: 'ACCEPTED' })
  t.match(sandbox.state.getBooking(first.uid), { status: 'CANCELLED', rescheduled: true })
  t.equal(JSON.parse((await receiver.waitFor((w) => w.body.includes('BOOKING_RESCHEDULED') && w.body.includes(moved.uid))).body).triggerEvent, 'BOOKING_RESCHEDULED')

  const cancelPage = await (await fetch(`${base}/booking/${moved.uid}?cancel=true`)).text()
  t.match(cancelPage, new RegExp(`action="/sandbox/cal/booking/${moved.uid}/cancel"`))
  const cancelled = await post(`/booking/${moved.uid}/cancel?embed=`, { reason: 'Sick' })
  const c = await cancelled.json() as any
  t.equal(c.events[0].type, 'bookingCancelled')
  t.match(c.events[0].data, { booking: { uid: moved.uid, status: 'CANCELLED', cancellationReason: 'Sick' }, organizer: { name: 'Pastor Zack Miller' }, eventType: { slug: '15min' } })
  t.match(sandbox.state.getBooking(moved.uid), { status: 'CANCELLED', cancellationReason: 'Sick' })
  const again = await post(`/booking/${moved.uid}/cancel`, { reason: 'Twice' })
  t.equal(again.status, 400)
  t.match(await again.json(), { error: { message: /already been cancelled/ } })
})

t.test('the fault hook reaches the booking pages and embed.js', async (t) => {
  sandbox.faults.failBookingPage('zack', 500, 1)
  t.equal((await fetch(`${base}/zack/30min/embed?embed=`)).status, 500)
  t.equal((await fetch(`${base}/zack/30min/embed?embed=`)).status, 200, 'only the next call failed')
  sandbox.faults.failEmbedJs(503, 1)
  t.equal((await fetch(`${base}/embed/embed.js`)).status, 503)
  t.equal((await fetch(`${base}/embed/embed.js`)).status, 200)
})
