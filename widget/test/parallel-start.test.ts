import { expect, fixture, html } from '@open-wc/testing'
import {
  type Booking, delayHostAnswers, hostAnswers, iframeOf, ready, sandbox, trackRequests, trackedRequestTimes, trackedRequests,
} from './helpers.js'

// A fresh page: embed.js is not loaded yet, so its request can be seen.
describe('everything starts at once', () => {
  after(() => delayHostAnswers(0))

  it('embed.js is requested before the host answer arrives', async () => {
    await delayHostAnswers(300)
    await trackRequests()
    const shown = ready(document.body as unknown as Booking)
    await fixture<Booking>(html`<churchhub-booking username="zack" event="30min" lazy="false"></churchhub-booking>`)
    await shown
    const requests = await trackedRequestTimes()
    // Wherever it comes from: the served copy, or (were the element to wait for the host) the host answer's URL.
    const embedJs = requests.find((r) => new URL(r.url).pathname.endsWith('/embed.js'))
    const [answered] = await hostAnswers()
    expect(embedJs, 'embed.js was requested').to.not.equal(undefined)
    expect(answered, 'the host was asked').to.be.a('number')
    expect(embedJs!.at < answered!, `embed.js requested ${answered! - embedJs!.at} ms before the host answered`).to.equal(true)
    const { url } = await sandbox()
    expect([...document.querySelectorAll<HTMLLinkElement>('link[rel="preconnect"]')].map((l) => l.href)).to.deep.equal([`${url}`])
  })

  it('cal-link: the booking page with no question to the server', async () => {
    const { url } = await sandbox()
    await trackRequests()
    // Listening before the element exists: with no question to the server it can be ready very soon.
    const shown = ready(document.body as unknown as Booking)
    const el = await fixture<Booking>(html`<churchhub-booking cal-link="maria" event="15min" lazy="false"></churchhub-booking>`)
    await shown
    expect(new URL(iframeOf(el)!.src).pathname).to.equal(`${new URL(url).pathname}/maria/15min/embed`)
    expect(el.bookingUrl).to.equal(`${url}/maria/15min`)
    expect((await trackedRequests()).filter((u) => /\/(v1|tokens)\//.test(new URL(u).pathname))).to.deep.equal([])
  })
})
