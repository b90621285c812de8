import { expect, fixture, html } from '@open-wc/testing'
import { EMBED_JS_PATH, type Booking, calRequests, modalBoxes, ready, sandbox, settle, trackRequests, trackedRequests, waitUntil } from './helpers.js'

// A fresh page: embed.js is not loaded yet.
describe('lazy loading in popup mode', () => {
  it('loads embed.js on first focus, and the booking page only on the click', async () => {
    const { url } = await sandbox()
    await trackRequests()
    const el = await fixture<Booking>(html`<churchhub-booking username="maria" event="15min" mode="popup"></churchhub-booking>`)
    await settle()
    expect(calRequests(await trackedRequests(), url)).to.deep.equal([])
    el.shadowRoot!.querySelector('button')!.focus()
    await waitUntil(async () => (await trackedRequests()).includes(`${location.origin}${EMBED_JS_PATH}`), 'embed.js requested on focus')
    await settle()
    expect(modalBoxes()).to.have.length(0)
    expect((await trackedRequests()).filter((u) => u.includes('/maria/'))).to.deep.equal([])
    const shown = ready(el)
    el.shadowRoot!.querySelector('button')!.click()
    await shown
    expect(modalBoxes()).to.have.length(1)
    expect((await trackedRequests()).some((u) => u.startsWith(`${url}/maria/15min/embed?`))).to.equal(true)
    await expect(el).to.be.accessible()
  })
})
