/* global setTimeout, document, location, getComputedStyle, navigator -- the evaluate() callbacks run in the booking page */
// Runs the offline Cal.com sandbox beside the test pages and gives tests what a browser cannot do
// itself: arm the sandbox's faults, count requests to it, and click through a cross-origin booking
// page (the iframe) through the browser's own automation.
import { tsImport } from 'tsx/esm/api'

/**
 * What the element asks its server for, answered from the sandbox's own hosts so the widget tests
 * need no database. (The server's real routes have their own tap tests.)
 */
function hostInfo(sandbox, username) {
  const host = sandbox.state.findHost(username)
  if (!host) return undefined
  return {
    username: host.username,
    name: host.name,
    calLink: host.username,
    calOrigin: sandbox.url,
    embedJsUrl: `${sandbox.url}/embed/embed.js`,
    eventTypes: host.eventTypes.map((e) => ({ slug: e.slug, title: e.title, length: e.length })),
  }
}

export const MEMBER = { id: 7001, username: 'member-7001', email: 'ruth.member@example.org' }

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
  let sandbox
  const tracked = new Map() // session id → requested sandbox URLs
  return {
    name: 'churchhub-sandbox',
    async serverStart() {
      const { startSandbox } = await tsImport('../../demo/sandbox/standalone.ts', import.meta.url)
      sandbox = await startSandbox()
    },
    async serverStop() {
      await sandbox?.close()
    },
    async serve(context) {
      const hostMatch = /^\/v1\/hosts\/([^/?]+)/.exec(context.path)
      if (hostMatch) {
        const body = hostInfo(sandbox, decodeURIComponent(hostMatch[1]))
        context.status = body ? 200 : 404
        return { body: JSON.stringify(body ?? { error: { code: 'host_not_found', message: 'No such host' } }), type: 'application/json' }
      }
      if (context.path === '/tokens/cal/managed-user' && context.method === 'POST') {
        const ok = Boolean(context.get('x-churchhub-member'))
        context.status = ok ? 200 : 401
        const body = ok
          ? { accessToken: 'sandbox-member-access', accessTokenExpiresAt: new Date(Date.now() + 3_600_000).toISOString(), user: MEMBER }
          : { error: { code: 'member_assertion_invalid', message: 'Send X-ChurchHub-Member' } }
        return { body: JSON.stringify(body), type: 'application/json' }
      }
      return undefined
    },
    async executeCommand({ command, payload, session }) {
      const page = () => session.browser.getPage(session.id)
      switch (command) {
        case 'log':
          console.log('[browser]', payload)
          return true
        case 'sandbox-info':
          return { url: sandbox.url, member: MEMBER }
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
