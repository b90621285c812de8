import { expect, fixture, html } from '@open-wc/testing'
import { EMBED_JS_PATH, type Booking, calRequests, ready, sandbox, settle, trackRequests, trackedRequests } from './helpers.js'

// Runs first in a fresh page: embed.js must not have been loaded by any earlier test.
describe('lazy loading', () => {
  it('requests nothing from Cal.com (nor embed.js, nor the host) for an element below the fold, then loads when scrolled near', async () => {
    const { url } = await sandbox()
    await trackRequests()
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <div style="height: 3000px">Sermon notes…</div>
      <churchhub-booking username="zack" event="30min"></churchhub-booking>
    </div>`)
    const el = wrapper.querySelector('churchhub-booking') as Booking
    await settle(600)
    // Counted as requests the browser made, whatever made them (a script, a preconnect, an iframe).
    const before = await trackedRequests()
    expect(calRequests(before, url)).to.deep.equal([])
    expect(before.filter((u) => u.includes('/v1/hosts/'))).to.deep.equal([])
    expect(document.querySelector('link[rel="preconnect"]')).to.equal(null)
    // The skeleton keeps the booking page's room so the page does not jump, and says it is busy.
    const skeleton = el.shadowRoot!.querySelector<HTMLElement>('[part~="skeleton"]')!
    expect(skeleton.getBoundingClientRect().height).to.be.at.least(300)
    expect(el.shadowRoot!.querySelector('[part~="base"]')!.getAttribute('aria-busy')).to.equal('true')
    await expect(el).to.be.accessible()

    const shown = ready(el)
    el.scrollIntoView()
    await shown
    const requested = await trackedRequests()
    expect(requested).to.include(`${location.origin}${EMBED_JS_PATH}`)
    expect(requested.some((u) => u.startsWith(`${url}/zack/30min/embed?`))).to.equal(true)
    expect(el.shadowRoot!.querySelector('[part~="base"]')!.getAttribute('aria-busy')).to.equal('false')
    await expect(el).to.be.accessible()
    window.scrollTo(0, 0)
  })
})
