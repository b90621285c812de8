// `npm run screenshots`: refreshes docs/home.png (the README's picture) and docs/admin.png from a
// real run. Starts the app as `npm start` does (fresh temporary data, a free port, the sandbox),
// shows the home page with the booking widget, books through it, and shows the admin page as the
// booking arrives.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bookThroughWidget, launchChromium, recordPage } from '../demo/browser-booking.js'
import { repoRoot, startServer } from '../demo/start-server.js'

const VIEWPORT = { width: 1280, height: 860 }
const out = join(repoRoot, 'docs')
mkdirSync(out, { recursive: true })

const dataDir = mkdtempSync(join(tmpdir(), 'churchhub-screenshots-'))
const server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: undefined, CAL_API_URL: undefined })
const browser = await launchChromium()
try {
  const admin = await browser.newPage({ viewport: VIEWPORT })
  await admin.goto(`${server.url}/demo/admin`)
  await admin.locator('#status', { hasText: 'Updated' }).waitFor()

  const home = await browser.newPage({ viewport: VIEWPORT })
  const read = await recordPage(home)
  await home.goto(`${server.url}/`)
  await home.locator('churchhub-booking').scrollIntoViewIfNeeded()
  await home.waitForFunction(() => ((window as any).__churchhub?.ready?.length ?? 0) > 0)
  // The visitor's view: a day chosen, the pastor's free times beside it.
  const frame = home.locator('churchhub-booking').frameLocator('iframe')
  await frame.getByRole('link', { name: /30 minute meeting/ }).click()
  await frame.locator('.calendar button:not([disabled])').first().click()
  await frame.locator('[data-times-for]:not([hidden]) .slots button').first().waitFor()
  // The whole page in one viewport rather than a `fullPage` capture: Chromium paints a cross-origin
  // iframe that was scrolled out of view as blank there, and the sticky header lands mid-page.
  const height = await home.evaluate(() => document.documentElement.scrollHeight)
  await home.setViewportSize({ width: VIEWPORT.width, height })
  await home.evaluate(() => window.scrollTo(0, 0))
  await home.waitForTimeout(500)
  await home.screenshot({ path: join(out, 'home.png') })
  await home.setViewportSize(VIEWPORT)
  console.log(`wrote ${join(out, 'home.png')}`)

  await home.goto(`${server.url}/`)
  const booking = await bookThroughWidget(home, read, { name: 'Daniel Okafor', email: 'daniel.okafor@example.org', notes: 'We are new in town and would like to talk about baptism.' }, '30 minute meeting')
  console.log(`booked ${booking.uid} at ${booking.start}`)

  await admin.bringToFront()
  await admin.locator(`#bookings tbody tr:has-text("${booking.uid}")`).waitFor({ timeout: 10_000 })
  await admin.waitForTimeout(400)
  await admin.screenshot({ path: join(out, 'admin.png'), fullPage: true })
  console.log(`wrote ${join(out, 'admin.png')}`)
} finally {
  await browser.close()
  await server.close()
  rmSync(dataDir, { recursive: true, force: true })
}
