import { expect, fixture, html } from '@open-wc/testing'
import { type Booking, iframeOf, ready, settle } from './helpers.js'

/** Window listeners added and not removed since the call: `message` and Cal's `CAL:<ns>:<action>` events. */
function trackWindowListeners() {
  const live: { type: string; fn: unknown }[] = []
  const add = window.addEventListener
  const remove = window.removeEventListener
  window.addEventListener = function (this: Window, type: string, fn: unknown, ...rest: any[]) {
    if (type === 'message' || type.startsWith('CAL:')) live.push({ type, fn })
    return (add as any).call(this, type, fn, ...rest)
  } as typeof window.addEventListener
  window.removeEventListener = function (this: Window, type: string, fn: unknown, ...rest: any[]) {
    const i = live.findIndex((l) => l.type === type && l.fn === fn)
    if (i >= 0) live.splice(i, 1)
    return (remove as any).call(this, type, fn, ...rest)
  } as typeof window.removeEventListener
  return {
    live: () => live.map((l) => l.type.replace(/^CAL:[^:]+:/, 'CAL:<ns>:')),
    restore() {
      window.addEventListener = add
      window.removeEventListener = remove
    },
  }
}

// embed.js itself registers these for every namespace it creates and never removes them.
const EMBED_JS_OWN = ['CAL:<ns>:__dimensionChanged', 'CAL:<ns>:__iframeReady', 'CAL:<ns>:__routeChanged', 'CAL:<ns>:linkFailed', 'CAL:<ns>:linkReady']

describe('inserted and removed by a page builder', () => {
  it('sets up on insertion, cleans up on removal, and shows one calendar after moving', async () => {
    // Load embed.js first, so that only the element's own listeners are counted below.
    const warm = await fixture<Booking>(html`<churchhub-booking username="maria" event="15min" lazy="false"></churchhub-booking>`)
    await ready(warm)
    warm.remove()

    const listeners = trackWindowListeners()
    try {
      const el = document.createElement('churchhub-booking')
      el.setAttribute('username', 'zack')
      el.setAttribute('event', '30min')
      el.setAttribute('lazy', 'false')
      let shown = ready(el)
      document.body.append(el)
      await shown
      expect(el.shadowRoot!.querySelectorAll('iframe').length).to.equal(1)

      // Moved elsewhere (disconnect + connect): still exactly one calendar, and it gets ready again.
      const box = document.createElement('section')
      document.body.append(box)
      shown = ready(el)
      box.append(el)
      await shown
      expect(el.shadowRoot!.querySelectorAll('iframe').length).to.equal(1)

      box.remove()
      await settle()
      expect(el.shadowRoot!.querySelectorAll('iframe').length).to.equal(0)
      // Two setups (before and after the move): nothing of ours is left, only embed.js's own.
      expect(listeners.live().sort()).to.deep.equal([...EMBED_JS_OWN, ...EMBED_JS_OWN].sort())
    } finally {
      listeners.restore()
    }
  })

  it('properties a framework sets right after inserting the element are the ones used', async () => {
    const el = document.createElement('churchhub-booking')
    el.lazy = false
    document.body.append(el)
    el.username = 'maria'
    el.event = '60min'
    await ready(el)
    expect(new URL(iframeOf(el)!.src).pathname).to.match(/\/maria\/60min\/embed$/)
    expect(el.shadowRoot!.querySelectorAll('iframe').length).to.equal(1)
    el.remove()
  })

  it('removed before it was ever shown (lazy, below the fold) leaves nothing behind', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div><div style="height: 3000px"></div>
      <churchhub-booking username="zack" event="60min"></churchhub-booking></div>`)
    const el = wrapper.querySelector<Booking>('churchhub-booking')!
    await settle()
    wrapper.remove()
    el.scrollIntoView()
    await settle()
    expect(iframeOf(el) === null).to.equal(true)
  })
})

describe('a second copy of the script', () => {
  it('is harmless: the first definition stays and elements keep working', async () => {
    const defined = customElements.get('churchhub-booking')
    await import(`${(window as any).CHURCHHUB_UNDER_TEST}?second-script-tag`)
    expect(customElements.get('churchhub-booking') === defined, 'same class').to.equal(true)
    const el = await fixture<Booking>(html`<churchhub-booking username="zack" event="15min" lazy="false"></churchhub-booking>`)
    await ready(el)
  })
})
