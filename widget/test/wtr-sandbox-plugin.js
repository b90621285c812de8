/* global setTimeout, document, location, getComputedStyle, navigator, fetch, Buffer -- node globals, and the evaluate() callbacks that run in the booking page */
// Runs the real server (sandbox mode, in-memory PGlite, its Cal.com sandbox) beside the test pages,
// and gives tests what a browser cannot do itself: arm the sandbox's faults, count requests to it,
// sign a member assertion, and click through a cross-origin booking page (the iframe) through the
// browser's own automation. The test pages' `/v1` and `/tokens` calls go to the real routes, so the
// element's default `api` (the origin its script came from) is exercised as on a church site.
import { tsImport } from 'tsx/esm/api'

/**
 * The test page's calls to its own origin for `/v1/...`, `/tokens/...` and the widget's files,
 * passed to the real server and answered with its status, type and body, untouched (a Koa
 * middleware: a plugin's serve hook would answer 200 whatever the server said).
 */
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
  answer(context, response.status, response.headers.get('content-type') ?? 'application/json', Buffer.from(await response.arrayBuffer()))
}

/**
 * Written straight to the socket: the test runner would otherwise mark every path with an
 * extension cacheable for a year, and a later test page would never ask for embed.js again. Not
 * cached (the server's caching is tested on its own): each page's requests, which the tests count
 * and fail, really reach here.
 */
function answer(context, status, type, body) {
  context.respond = false
  context.res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) })
  context.res.end(body)
}

/** What the test pages ask of the real server: its API, and the widget files its route serves. */
const FORWARDED = /^\/(v1\/|tokens\/|widget\/(churchhub-booking\.js|embed\.js|chunks\/))/

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
  let writeServedConfig // the server's own, applied to the sources as the widget route applies it to the bundle
  const tracked = new Map() // session id → every request the page made since tracking began: { url, at }
  // Per test page (the two groups run side by side): how long host answers wait, when each left
  // for the browser (ms since the epoch), and how many embed.js requests fail.
  const pages = new Map() // session id → { hostDelayMs, hostAnswers, embedJsFailures }
  const pageOf = (id) => {
    if (!pages.has(id)) pages.set(id, { hostDelayMs: 0, hostAnswers: [], embedJsFailures: 0 })
    return pages.get(id)
  }
  // A test page's own requests name it in their Referer (its URL carries the session id).
  const requestingPage = (context) => {
    const referer = context.get('referer')
    return pageOf(referer ? new URL(referer).searchParams.get('wtr-session-id') : null)
  }
  return {
    name: 'churchhub-sandbox',
    async serverStart() {
      const { startWidgetTestServer } = await tsImport('./test-server.ts', import.meta.url)
      sandbox = await startWidgetTestServer()
      ;({ writeServedConfig } = await tsImport('../../server/routes/widget-config.ts', import.meta.url))
    },
    async serverStop() {
      await sandbox?.close()
    },
    /** Goes in the config's `middleware`, ahead of the dev server's own (which would transform or cache). */
    async middleware(context, next) {
      if (!FORWARDED.test(context.path)) return next()
      const state = requestingPage(context)
      if (context.path === '/widget/embed.js' && state.embedJsFailures > 0) {
        state.embedJsFailures--
        return answer(context, 500, 'text/plain', 'embed.js is unavailable (armed by the test)')
      }
      const hostQuestion = context.path.startsWith('/v1/hosts/')
      if (hostQuestion && state.hostDelayMs) await new Promise((r) => setTimeout(r, state.hostDelayMs))
      await forward(sandbox, context)
      if (hostQuestion) state.hostAnswers.push(Date.now())
    },
    // The sources get what the widget route writes into the bundle: the sandbox's booking origin
    // and the server's embed.js (forwarded by the middleware), as a page on a church site would.
    transform(context) {
      if (context.path !== '/widget/src/served-config.ts') return undefined
      return { body: writeServedConfig(context.body, { calOrigin: sandbox.url, embedJsUrl: '/widget/embed.js' }) }
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
        case 'sandbox-managed-users':
          return sandbox.state.users.list({ emails: payload.emails, limit: 1000 }).length
        case 'sandbox-booking':
          return sandbox.state.getBooking(payload.uid) ?? null
        case 'track-requests': {
          const requests = []
          tracked.set(session.id, requests)
          page().on('request', (request) => requests.push({ url: request.url(), at: Date.now() }))
          return true
        }
        case 'tracked-requests':
          return tracked.get(session.id) ?? []
        case 'delay-host-answers':
          pageOf(session.id).hostDelayMs = payload.ms
          pageOf(session.id).hostAnswers = []
          return true
        case 'host-answers':
          return pageOf(session.id).hostAnswers
        case 'fail-embed-js':
          pageOf(session.id).embedJsFailures = payload.times
          return true
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
