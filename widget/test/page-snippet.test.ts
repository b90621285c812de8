import { expect, fixture, html } from '@open-wc/testing'
import EmbedSnippet from '@calcom/embed-snippet'
import { type Booking, EMBED_JS_PATH, iframeOf, ready, sandbox } from './helpers.js'

// The element installs Cal.com's command queue on window.Cal itself (not through the snippet);
// a church page that also pastes Cal.com's own snippet gets that queue and must still work.
describe('Cal.com\'s own snippet on the same page', () => {
  it('an embed the page makes through the snippet, before embed.js has loaded, shows beside the element\'s', async () => {
    const { url } = await sandbox()
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <div id="page-embed"></div>
      <churchhub-booking username="zack" event="15min" lazy="false"></churchhub-booking>
    </div>`)
    const el = wrapper.querySelector('churchhub-booking') as Booking
    const elementReady = ready(el)

    // While embed.js is still on its way. The served script has installed the queue by now (it
    // starts embed.js at once); from the sources the element starts it only after the host answer,
    // so there the snippet's queue comes first and the element uses the embed.js it loads.
    const Cal = (EmbedSnippet as unknown as (src: string) => any)(`${location.origin}${EMBED_JS_PATH}`)
    const pageReady = new Promise((resolve) => {
      Cal('init', 'page', { origin: url })
      Cal.ns.page('on', { action: 'linkReady', callback: resolve })
      Cal.ns.page('inline', { elementOrSelector: '#page-embed', calLink: 'maria/15min' })
    })
    await Promise.all([pageReady, elementReady])
    const frame = wrapper.querySelector<HTMLIFrameElement>('#page-embed iframe')!
    expect(new URL(frame.src).pathname).to.equal(new URL(`${url}/maria/15min/embed`).pathname)
    expect(iframeOf(el)).to.not.equal(null)
    expect(document.querySelectorAll('script[src$="/embed.js"]')).to.have.length(1)
  })
})
