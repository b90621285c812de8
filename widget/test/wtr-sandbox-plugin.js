/* global setTimeout, document, location, getComputedStyle, navigator, fetch, Buffer -- node globals, and the evaluate() callbacks that run in the booking page */
// Runs the real server (sandbox mode, in-memory PGlite, its Cal.com sandbox) beside the test pages,
// and gives tests what a browser cannot do itself: arm the sandbox's faults, count requests to it,
// sign a member assertion, and click through a cross-origin booking page (the iframe) through the
// browser's own automation. The test pages' `/v1` and `/tokens` calls go to the real routes, so the
// element's default `api` (the origin its script came from) is exercised as on a church site.
import { tsImport } from 'tsx/esm/api'

/** The test page's calls to its own origin for `/v1/...` and `/tokens/...`, passed to the real server. */
async function forward(server, context) {
  const chunks = []
  for await (const chunk of context.req) chunks.push(chunk)
  const headers = {}
  for (const name of ['accept', 'content-type', 'x-churchhub-member', 'origin']) {
    if (context.get(name)) headers[name] = context.get(name)
  }
  const response = await fetch(`${server.origin}${context.url}`, {
    method: context.method,
    headers,
    body: chunks.length ? Buffer.concat(chunks) : undefined,
  })
  context.status = response.status
  return { body: await response.text(), type: response.headers.get('content-type') ?? 'application/json' }
}

async function waitForFrame(page, namespace, timeoutMs = 10_000) {
  const re = new RegExp(`[?&]embed=${namespace}(&|$)`)
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const frame = page.frames().find((f) => re.test(f.url()))
    if (frame) return frame
    if (Date.now() > deadline) throw new Error(`no booking page frame for namespace ${namespace}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * Books the first free time on the booking page in the iframe of `namespace`. Clicks go through the
 * DOM (`element.click()`): the iframe resizes itself as the page grows, so a click by coordinates
 * can land where the button was a moment ago.
 */
async function bookThroughFrame(page, { namespace, name, email }) {
  const frame = await waitForFrame(page, namespace)
  const click = async (selector) => (await frame.waitForSelector(selector, { visible: true })).evaluate((b) => b.click())
  await click('button[name="date"]:not([disabled])')
  const slot = await frame.waitForSelector('[data-times-for]:not([hidden]) button[name="slot"]', { visible: true })
  const start = await slot.evaluate((b) => b.value)
  await slot.evaluate((b) => b.click())
  await frame.waitForSelector('#details:not([hidden])', { visible: true })
  await frame.evaluate((fallback) => {
    for (const [id, value] of Object.entries(fallback)) {
      const field = document.getElementById(id)
      if (!field.value) field.value = value
    }
  }, { 'field-name': name ?? 'Test Visitor', 'field-email': email ?? 'visitor@example.org' })
  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && r.frame() === frame, { timeout: 10_000 })
  await click('#details button.primary')
  const response = await posted
  if (!response.ok()) throw new Error(`the booking page refused the booking: ${response.status()} ${await response.text()}`)
  return { start }
}

export function sandboxPlugin() {
  let sandbox // the running server: { origin, url (sandbox mount), state, faults, memberAssertion, close }
  const tracked = new Map() // session id → requested sandbox URLs
  return {
    name: 'churchhub-sandbox',
    async serverStart() {
      const { startWidgetTestServer } = await tsImport('./test-server.ts', import.meta.url)
      sandbox = await startWidgetTestServer()
    },
    async serverStop() {
      await sandbox?.close()
    },
    async serve(context) {
      if (/^\/(v1|tokens)\//.test(context.path)) return forward(sandbox, context)
      return undefined
    },
    async executeCommand({ command, payload, session }) {
      const page = () => session.browser.getPage(session.id)
      switch (command) {
        case 'log':
          console.log('[browser]', payload)
          return true
        case 'sandbox-info':
          return { url: sandbox.url, server: sandbox.origin }
        case 'member-assertion':
          return sandbox.memberAssertion(payload)
        case 'sandbox-fault':
          return sandbox.faults.add(payload).id
        case 'sandbox-clear-faults':
          sandbox.faults.clear()
          return true
        case 'sandbox-booking':
          return sandbox.state.getBooking(payload.uid) ?? null
        case 'track-requests': {
          const urls = []
          tracked.set(session.id, urls)
          page().on('request', (request) => {
            if (request.url().startsWith(new URL(sandbox.url).origin)) urls.push(request.url())
          })
          return true
        }
        case 'tracked-requests':
          return tracked.get(session.id) ?? []
        case 'frame-state': {
          const frame = await waitForFrame(page(), payload.namespace)
          return frame.evaluate(() => ({
            url: location.href,
            theme: document.documentElement.getAttribute('data-theme'),
            layout: document.documentElement.getAttribute('data-layout'),
            brand: getComputedStyle(document.documentElement).getPropertyValue('--cal-brand').trim(),
            lang: navigator.language,
          }))
        }
        case 'book-in-frame':
          return bookThroughFrame(page(), payload)
        default:
          return undefined
      }
    },
  }
}
