import { expect, fixture, html } from '@open-wc/testing'
import { type Booking, addFault, clearFaults, failed, ready, sandbox } from './helpers.js'

describe('when the booking page fails', () => {
  afterEach(() => clearFaults())

  it('a page Cal.com reports as failed (linkFailed) gives the link at once', async () => {
    const { url } = await sandbox()
    const el = await fixture<Booking>(html`<churchhub-booking username="zack" event="no-such-event" lazy="false"></churchhub-booking>`)
    const error = await failed(el)
    expect(error.code).to.equal('link-failed')
    expect(error.message).to.contain('404')
    await el.updateComplete
    expect(el.shadowRoot!.querySelector<HTMLAnchorElement>('a[part~="link"]')!.href).to.equal(`${url}/zack/no-such-event`)
    expect(el.shadowRoot!.querySelectorAll('iframe').length, 'the failed embed is removed').to.equal(0)
    await expect(el).to.be.accessible()
  })

  it('a page that never gets ready gives the link after the timeout', async () => {
    const { url } = await sandbox()
    await addFault({ path: '/zack/60min/embed', fault: 'hang' })
    const el = await fixture<Booking>(html`<churchhub-booking username="zack" event="60min" timeout="800" lazy="false"></churchhub-booking>`)
    const error = await failed(el)
    expect(error.code).to.equal('timeout')
    await el.updateComplete
    expect(el.shadowRoot!.querySelector<HTMLAnchorElement>('a[part~="link"]')!.href).to.equal(`${url}/zack/60min`)
    await expect(el).to.be.accessible()
  })

  it('a calendar that gets ready after the timeout replaces the link', async () => {
    // 1 ms: the page cannot be ready in time, so the link comes first and the calendar after it.
    const el = await fixture<Booking>(html`<churchhub-booking username="zack" event="30min" timeout="1" lazy="false"></churchhub-booking>`)
    const late = ready(el)
    expect((await failed(el)).code).to.equal('timeout')
    await late
    await el.updateComplete
    expect(el.shadowRoot!.querySelector('[part~="fallback"]'), 'the link gives way to the calendar').to.equal(null)
    expect(el.shadowRoot!.querySelector('[part~="embed"] iframe')).to.not.equal(null)
  })

  it('a page answering 500 (no protocol at all) also ends in the link, through the timeout', async () => {
    await addFault({ path: '/maria/30min/embed', fault: 500 })
    const el = await fixture<Booking>(html`<churchhub-booking username="maria" event="30min" timeout="800" lazy="false"></churchhub-booking>`)
    expect((await failed(el)).code).to.equal('timeout')
  })

  it('an unknown host: says the calendar could not be loaded (no link to offer)', async () => {
    const el = await fixture<Booking>(html`<churchhub-booking username="nobody-here" lazy="false"></churchhub-booking>`)
    const error = await failed(el)
    expect(error.code).to.equal('host-unavailable')
    expect(error.bookingUrl).to.equal(undefined)
    await el.updateComplete
    expect(el.shadowRoot!.querySelector('[part~="fallback"]')!.textContent).to.contain('could not be loaded')
    expect(el.shadowRoot!.querySelector('[part~="link"]')).to.equal(null)
    await expect(el).to.be.accessible()
  })

  it('slotted content is shown until the booking page is ready, then hidden', async () => {
    const el = await fixture<Booking>(html`<churchhub-booking username="zack" event="15min" lazy="false"><p>Call the office at 555-0100</p></churchhub-booking>`)
    const p = el.querySelector('p')!
    expect(p.assignedSlot, 'slotted while loading').to.not.equal(null)
    expect(p.getBoundingClientRect().height).to.be.greaterThan(0)
    await ready(el)
    await el.updateComplete
    expect(p.assignedSlot).to.equal(null)
    expect(p.getBoundingClientRect().height).to.equal(0)
  })
})
