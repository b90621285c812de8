import { expect, fixture, html } from '@open-wc/testing'
import { type Booking, failEmbedJs, failed, sandbox } from './helpers.js'

// A fresh page, so that embed.js has not been loaded by an earlier test.
describe('when embed.js cannot be loaded', () => {
  after(() => failEmbedJs(0))

  it('shows a message and a plain link to the booking page, and fires churchhub-error', async () => {
    const { url } = await sandbox()
    await failEmbedJs(1)
    // Listening before the element exists: embed.js now fails while the host is still being asked.
    const errored = failed(document.body as unknown as Booking)
    const el = await fixture<Booking>(html`<churchhub-booking username="zack" event="30min" lazy="false"><a href="#x">Slotted</a></churchhub-booking>`)
    const error = await errored
    expect(error.code).to.equal('embed-unavailable')
    expect(error.bookingUrl).to.equal(`${url}/zack/30min`)
    await el.updateComplete
    const fallback = el.shadowRoot!.querySelector('[part~="fallback"]')!
    expect(fallback.getAttribute('role')).to.equal('alert')
    expect(fallback.textContent).to.contain('could not be loaded')
    const link = fallback.querySelector<HTMLAnchorElement>('a[part~="link"]')!
    expect(link.href).to.equal(`${url}/zack/30min`)
    expect(link.textContent).to.equal('Open the booking page')
    expect(el.shadowRoot!.querySelector('[part~="skeleton"]')).to.equal(null)
    expect(el.shadowRoot!.querySelectorAll('iframe').length).to.equal(0)
    await expect(el).to.be.accessible()
  })
})
