import { expect } from '@open-wc/testing'
import { settle, waitUntil } from './helpers.js'

const UNDER_TEST: string = (window as any).CHURCHHUB_UNDER_TEST

interface Seen { embedJsAt?: number; definedAt?: number }

// Before anything else on the page: notes when embed.js is asked for (its script given a src,
// which starts the request) and when the element is defined (its upgrade begins).
const WATCH = `<script>
  window.seen = {}
  const src = Object.getOwnPropertyDescriptor(HTMLScriptElement.prototype, 'src')
  Object.defineProperty(HTMLScriptElement.prototype, 'src', {
    get() { return src.get.call(this) },
    set(v) { if (String(v).endsWith('/embed.js')) seen.embedJsAt ??= performance.now(); src.set.call(this, v) },
  })
  const define = CustomElementRegistry.prototype.define
  CustomElementRegistry.prototype.define = function (name, ...rest) {
    if (name === 'churchhub-booking') seen.definedAt ??= performance.now()
    return define.call(this, name, ...rest)
  }
</script>`

/** A church page as pasted (markup before the script runs), in a frame of its own: a fresh module, a fresh embed.js. */
async function pastedPage(markup: string): Promise<Seen> {
  const frame = document.createElement('iframe')
  frame.style.cssText = 'width: 800px; height: 700px; border: 0'
  frame.srcdoc = `<!doctype html><html lang="en"><head>${WATCH}</head><body>
    ${markup}
    <script type="module" src="${new URL(UNDER_TEST, location.href).href}"></script></body></html>`
  document.body.append(frame)
  const win = frame.contentWindow as Window & { seen: Seen }
  await waitUntil(() => win.seen?.definedAt !== undefined, 'the element was defined', { timeout: 10_000 })
  await settle(1000)
  const seen = { ...win.seen }
  frame.remove()
  return seen
}

describe('a pasted tag: what starts before the element is defined', () => {
  it('a calendar on the first screen asks for embed.js before the element is defined', async function () {
    // Only the served script knows the booking origin and its embed.js before any host is asked.
    if (!UNDER_TEST.endsWith('.js')) this.skip()
    const seen = await pastedPage('<churchhub-booking username="zack" event="30min"></churchhub-booking>')
    expect(seen.embedJsAt, 'embed.js was asked for').to.be.a('number')
    expect(seen.embedJsAt! < seen.definedAt!, `embed.js at ${seen.embedJsAt} ms, defined at ${seen.definedAt} ms`).to.equal(true)
  })

  const notBefore: [string, string][] = [
    ['below the fold', '<div style="height: 3000px"></div><churchhub-booking username="zack" event="30min"></churchhub-booking>'],
    ['consent', '<churchhub-booking username="zack" event="30min" consent></churchhub-booking>'],
    ['popup', '<churchhub-booking username="zack" event="30min" mode="popup"></churchhub-booking>'],
    ['questions first', '<churchhub-booking username="zack" form="first-visit"></churchhub-booking>'],
    // A framework that set a property before the upgrade may have said anything (here: consent).
    ['a property set before the upgrade', '<churchhub-booking username="zack" event="30min"></churchhub-booking><script>document.querySelector("churchhub-booking").consent = true</script>'],
  ]
  for (const [name, markup] of notBefore) {
    it(`${name}: embed.js is not asked for at all`, async () => {
      const seen = await pastedPage(markup)
      expect(seen.embedJsAt).to.equal(undefined)
    })
  }
})
