import { expect, fixture, html } from '@open-wc/testing'
import type { BookingDetail } from '../src/events.js'
import { type Booking, bookInFrame, booked, iframeOf, namespaceOf, ready, sandbox, sandboxBooking, settle } from './helpers.js'

describe('a booking through the sandbox', () => {
  afterEach(() => {
    delete (window as any).dataLayer
  })

  it('fires churchhub-booking-successful once, with the booking\'s data, and pushes only the event length to dataLayer', async () => {
    const el = await fixture<Booking>(html`<churchhub-booking username="zack" event="30min" name="Ann Lee" email="ann@example.org"
      notes="Private matter" analytics="datalayer" lazy="false"></churchhub-booking>`)
    await ready(el)
    await expect(el).to.be.accessible()
    const events: BookingDetail[] = []
    const onBooking = (e: CustomEvent<BookingDetail>) => events.push(e.detail)
    document.addEventListener('churchhub-booking-successful', onBooking) // bubbles and composed: reaches the document
    const detail = booked(el)
    const { start } = await bookInFrame(namespaceOf(iframeOf(el)!))
    const booking = await detail

    const stored = await sandboxBooking(booking.uid)
    expect(stored, 'the sandbox knows this uid').to.not.equal(null)
    expect(booking.start).to.equal(stored.startTime)
    expect(new Date(booking.start).getTime()).to.equal(new Date(start).getTime())
    expect(booking.end).to.equal(stored.endTime)
    expect(booking.eventType).to.equal('30min')
    expect(booking.status).to.equal('ACCEPTED')
    expect(booking.paymentRequired).to.equal(false)
    expect(stored.attendee.email).to.equal('ann@example.org')

    // bookingSuccessful and bookingSuccessfulV2 both arrived; one event only, also after the grace period.
    await settle(1800)
    document.removeEventListener('churchhub-booking-successful', onBooking)
    expect(events.map((e) => e.uid)).to.deep.equal([booking.uid])

    const pushed = (window as any).dataLayer as Record<string, unknown>[]
    // That a booking happened and how long it is: no uid, no host, nothing the visitor typed.
    expect(pushed).to.deep.equal([{ event: 'churchhub_booking', churchhub_event_length: 30 }])
    await expect(el).to.be.accessible()
  })

  it('ignores booking messages that do not come from its own booking page', async () => {
    const el = await fixture<Booking>(html`<churchhub-booking username="maria" event="15min" lazy="false"></churchhub-booking>`)
    await ready(el)
    const ns = namespaceOf(iframeOf(el)!)
    let fired = 0
    el.addEventListener('churchhub-booking-successful', () => fired++)
    const fake = { uid: 'forged', startTime: '2030-01-01T10:00:00.000Z', endTime: '2030-01-01T10:15:00.000Z', status: 'ACCEPTED' }
    // From the host page itself (wrong origin and wrong sender): embed.js would pass it on.
    window.postMessage({ originator: 'CAL', type: 'bookingSuccessfulV2', namespace: ns, fullType: `CAL:${ns}:bookingSuccessfulV2`, data: fake }, '*')
    // From another frame on the booking origin that is not this element's iframe.
    const { url } = await sandbox()
    const other = document.createElement('iframe')
    other.src = `${url}/_pages/booking-page.css`
    const loaded = new Promise((r) => other.addEventListener('load', r, { once: true }))
    document.body.append(other)
    await loaded
    window.dispatchEvent(new MessageEvent('message', { data: { fullType: `CAL:${ns}:bookingSuccessfulV2`, data: fake }, origin: new URL(url).origin, source: other.contentWindow }))
    await settle(1800)
    other.remove()
    expect(fired).to.equal(0)
  })
})
