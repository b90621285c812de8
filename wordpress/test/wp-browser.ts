// What the test does in WordPress through Chromium, as a person or the block editor would:
// log in, upload and activate the plugin, and call the REST API with the logged-in cookie.
import type { BrowserContext, Page } from 'playwright-core'
import type { RunningWordPress } from './playground.js'

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/

/**
 * Every request leaving this machine is refused (the test runs offline) and noted, so a test
 * can show that nothing tried to.
 */
export async function keepOnLoopback(context: BrowserContext): Promise<string[]> {
  const refused: string[] = []
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url())
    if (/^(data|blob):/.test(url.protocol) || LOOPBACK.test(url.hostname)) return route.continue()
    refused.push(url.href)
    return route.abort('internetdisconnected')
  })
  return refused
}

// WordPress in WebAssembly answers one request at a time, so admin pages with many assets take
// a while: the test waits for the document, not for every image, and allows minutes.
const ADMIN_PAGE = { waitUntil: 'domcontentloaded', timeout: 180_000 } as const

/** Opens an admin page; resolves once its document is there. */
export async function openAdmin(page: Page, wp: RunningWordPress, path: string): Promise<void> {
  await page.goto(`${wp.url}${path}`, ADMIN_PAGE)
}

/** Logs in and lands on the profile page (the dashboard is the slowest admin page). */
export async function logIn(page: Page, wp: RunningWordPress, user: string, password: string): Promise<void> {
  await page.goto(`${wp.url}/wp-login.php?redirect_to=${encodeURIComponent(`${wp.url}/wp-admin/profile.php`)}`, ADMIN_PAGE)
  await page.fill('#user_login', user)
  await page.fill('#user_pass', password)
  await Promise.all([page.waitForURL(/wp-admin\/profile\.php/, ADMIN_PAGE), page.click('#wp-submit')])
}

/** A REST call with the logged-in user's cookie and nonce, as the block editor makes it. */
export async function rest<T = any>(page: Page, wp: RunningWordPress, method: string, route: string, body?: unknown): Promise<T> {
  const nonce = await page.evaluate(async (url) => (await fetch(`${url}/wp-admin/admin-ajax.php?action=rest-nonce`)).text(), wp.url)
  const result = await page.evaluate(async ({ url, method, route, body, nonce }) => {
    const [path, query] = route.split('?')
    const response = await fetch(`${url}/?rest_route=${encodeURIComponent(path!)}${query ? `&${query}` : ''}`, {
      method,
      headers: { 'x-wp-nonce': nonce, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    return { status: response.status, text: await response.text() }
  }, { url: wp.url, method, route, body, nonce })
  if (result.status >= 300) throw new Error(`${method} ${route} answered ${result.status}: ${result.text.slice(0, 500)}`)
  return JSON.parse(result.text)
}

/** Plugins → Add New → Upload Plugin, then Activate: the way a church installs the zip. */
export async function uploadPlugin(page: Page, wp: RunningWordPress, zip: string): Promise<string> {
  await openAdmin(page, wp, '/wp-admin/plugin-install.php?tab=upload')
  await page.setInputFiles('#pluginzip', zip)
  await Promise.all([page.waitForURL(/update\.php\?action=upload-plugin/, ADMIN_PAGE), page.click('#install-plugin-submit')])
  const report = (await page.locator('.wrap').innerText()).trim()
  await Promise.all([page.waitForURL(/plugins\.php/, ADMIN_PAGE), page.getByRole('link', { name: 'Activate Plugin' }).click()])
  return report
}
