import { expect, fixture, html } from '@open-wc/testing'
import { type Booking, bookInFrame, booked, iframeOf, namespaceOf, ready, sandboxBooking, settle, trackRequests, trackedRequests } from './helpers.js'

const reportChunk = (urls: string[]) => urls.filter((u) => u.includes('booking-report'))

// A fresh page: no earlier test has imported the booking report.
describe('the booking report, loaded lazily', () => {
  it('is not fetched before the booking page shows, only when someone books, and the booking is still reported', async () => {
    await trackRequests()
    const el = await fixture<Booking>(html`<churchhub-booking username="zack" event="30min" lazy="false"></churchhub-booking>`)
    await ready(el)
    await settle() // time for anything the element fetches as the page shows to leave
    expect(reportChunk(await trackedRequests()), 'no booking report before anyone books').to.deep.equal([])

    const detail = booked(el)
    await bookInFrame(namespaceOf(iframeOf(el)!))
    const booking = await detail
    expect(await sandboxBooking(booking.uid), 'the sandbox knows this uid').to.not.equal(null)
    expect(booking.eventType).to.equal('30min')
    expect(reportChunk(await trackedRequests()), 'fetched once, for the booking').to.have.length(1)
  })
})
