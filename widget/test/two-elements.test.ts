import { expect, fixture, html } from '@open-wc/testing'
import type { BookingDetail } from '../src/events.js'
import { type Booking, bookInFrame, booked, iframeOf, modalBoxes, namespaceOf, ready, settle } from './helpers.js'

describe('two elements on one page', () => {
  it('inline for one host and popup for another never cross wires', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <churchhub-booking id="a" username="zack" event="30min" lazy="false"></churchhub-booking>
      <churchhub-booking id="b" username="maria" event="15min" mode="popup"></churchhub-booking>
    </div>`)
    const a = wrapper.querySelector<Booking>('#a')!
    const b = wrapper.querySelector<Booking>('#b')!
    await ready(a)
    const bShown = ready(b)
    b.shadowRoot!.querySelector('button')!.click()
    await bShown

    const inlineFrame = iframeOf(a)!
    const modalFrame = modalBoxes()[0]!.querySelector('iframe')!
    expect(namespaceOf(inlineFrame)).to.not.equal(namespaceOf(modalFrame))
    expect(new URL(inlineFrame.src).pathname).to.match(/\/zack\/30min\/embed$/)
    expect(new URL(modalFrame.src).pathname).to.match(/\/maria\/15min\/embed$/)

    const seen: { a: BookingDetail[]; b: BookingDetail[] } = { a: [], b: [] }
    a.addEventListener('churchhub-booking-successful', (e) => seen.a.push(e.detail))
    b.addEventListener('churchhub-booking-successful', (e) => seen.b.push(e.detail))
    const bBooked = booked(b)
    await bookInFrame(namespaceOf(modalFrame), { name: 'Bea', email: 'bea@example.org' })
    const detail = await bBooked
    expect(detail.eventType).to.equal('15min')
    await settle(1800)
    expect(seen.a).to.deep.equal([])
    expect(seen.b.map((d) => d.uid)).to.deep.equal([detail.uid])
    expect((window as any).dataLayer, 'no analytics attribute: nothing pushed').to.equal(undefined)
    await expect(a).to.be.accessible()
    await expect(b).to.be.accessible()
  })

  it('two identical tags each show their own calendar', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <churchhub-booking username="zack" event="15min" lazy="false"></churchhub-booking>
      <churchhub-booking username="zack" event="15min" lazy="false"></churchhub-booking>
    </div>`)
    const [one, two] = [...wrapper.querySelectorAll<Booking>('churchhub-booking')]
    await Promise.all([ready(one!), ready(two!)])
    expect(one!.shadowRoot!.querySelectorAll('iframe').length).to.equal(1)
    expect(two!.shadowRoot!.querySelectorAll('iframe').length).to.equal(1)
    expect(namespaceOf(iframeOf(one!)!)).to.not.equal(namespaceOf(iframeOf(two!)!))
  })
})
