// The sandbox's booking pages opened directly, as a normal booking site: with a mouse on a phone,
// with the keyboard alone, and with scripts off.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import t from 'tap'
import type { BrowserContextOptions, Page } from 'playwright-core'
import { ManualClock } from '../../server/clock.js'
import { startSandbox } from '../sandbox/standalone.js'
import { launchChromium } from './sandbox-pages-helpers.js'

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

const sandbox = await startSandbox({ clock: new ManualClock('2030-01-07T12:00:00.000Z') })
t.teardown(() => sandbox.close())
const browser = await launchChromium(t)

async function open(url: string, options: BrowserContextOptions = {}) {
  // bypassCSP only so the test can inject axe-core; the page itself runs under its strict policy.
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, bypassCSP: true, ...options })
  t.teardown(() => context.close())
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
  await page.goto(url)
  return { page, errors }
}

async function axeViolations(page: Page) {
  await page.addScriptTag({ content: AXE })
  return page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] })
    return result.violations.map((v: any) => `${v.id}: ${v.nodes.length} node(s) ${v.nodes[0]?.target}`)
  })
}

const noSideScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)

t.test('a visitor books on a phone-sized screen; the pages pass axe', async (t) => {
  const { page, errors } = await open(`${sandbox.url}/zack`)
  t.same(await axeViolations(page), [], 'profile page')
  await page.click('text=30 minute meeting')
  await page.waitForURL(/\/zack\/30min/)
  t.ok(await noSideScroll(page), 'no sideways scrolling at 375px')

  await page.click('button[name="date"][value="2030-01-08"]')
  await page.click('[data-times-for="2030-01-08"] button:text-is("10:00 AM")')
  t.equal(await page.textContent('#chosen-slot'), 'Tuesday, January 8, 2030, 10:00 AM – 10:30 AM')
  t.match(page.url(), /date=2030-01-08&slot=2030-01-08T16%3A00%3A00.000Z/, 'the step is kept in the URL')
  await page.fill('#field-name', 'Bob Booker')
  await page.fill('#field-email', 'bob@example.org')
  await page.fill('#field-guests', 'carol@example.org\ndave@example.org')
  t.same(await axeViolations(page), [], 'event page with the form open')
  t.ok(await noSideScroll(page))

  await page.click('button:has-text("Confirm")')
  await page.waitForSelector('h1:has-text("This meeting is scheduled")')
  const uid = /\/booking\/([^/?]+)/.exec(page.url())![1]!
  t.match(sandbox.state.getBooking(uid), {
    startTime: '2030-01-08T16:00:00.000Z', status: 'ACCEPTED', attendee: { name: 'Bob Booker', email: 'bob@example.org' },
    guests: ['carol@example.org', 'dave@example.org'],
  })
  t.same(await axeViolations(page), [], 'success page')
  t.ok(await noSideScroll(page))

  // The booked time is gone for the next visitor.
  await page.goto(`${sandbox.url}/zack/30min?date=2030-01-08`)
  t.equal(await page.locator('[data-times-for="2030-01-08"] button:text-is("10:00 AM")').count(), 0)
  t.equal(await page.locator('[data-times-for="2030-01-08"] button:text-is("10:30 AM")').count(), 1)
  t.same(errors, [], 'no script or CSP errors')
})

async function tabTo(page: Page, selector: string, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
  }
  throw new Error(`Tab never reached ${selector}`)
}

t.test('keyboard only: date, time, form and confirm, with focus moved to each new step', async (t) => {
  const { page, errors } = await open(`${sandbox.url}/maria/60min`, { viewport: { width: 1024, height: 800 } })
  await tabTo(page, 'button[name="date"]:not([disabled])')
  const date = await page.evaluate(() => (document.activeElement as HTMLButtonElement).value)
  await page.keyboard.press('Enter')
  t.equal(await page.evaluate(() => document.activeElement?.id), `times-${date}`, 'focus moves to the times of that day')
  t.equal(await page.getAttribute(`button[name="date"][value="${date}"]`, 'aria-pressed'), 'true')

  await page.keyboard.press('Tab')
  const slot = await page.evaluate(() => (document.activeElement as HTMLButtonElement).value)
  t.ok(slot, 'the next Tab reaches the first time')
  await page.keyboard.press('Space')
  t.equal(await page.evaluate(() => document.activeElement?.id), 'details-heading', 'focus moves to the form')

  await tabTo(page, '#field-name', 5)
  await page.keyboard.type('Kim Keys')
  await page.keyboard.press('Tab')
  await page.keyboard.type('kim@example.org')
  await tabTo(page, 'button[type="submit"]', 6)
  await page.keyboard.press('Enter')
  await page.waitForSelector('h1:has-text("This meeting is scheduled")')
  const booking = sandbox.state.bookingsFor('maria').find((b) => b.attendee.email === 'kim@example.org')
  t.equal(booking?.startTime, slot)
  t.same(errors, [])
})

t.test('an error is announced in the live region and the visitor can pick again', async (t) => {
  const { page } = await open(`${sandbox.url}/zack/15min?date=2030-01-09`)
  await page.click('[data-times-for="2030-01-09"] button:text-is("9:00 AM")')
  await page.fill('#field-name', 'Late Comer')
  await page.fill('#field-email', 'late@example.org')
  // Someone else takes the time meanwhile.
  await sandbox.state.createBooking({ hostUsername: 'zack', eventTypeSlug: '15min', start: new Date('2030-01-09T15:00:00.000Z'), attendee: { name: 'First', email: 'first@example.org' } })
  await page.click('button:has-text("Confirm")')
  await page.waitForFunction(() => document.getElementById('form-error')!.textContent !== '')
  t.match(await page.textContent('#form-error'), /no longer available/)
  t.equal(await page.getAttribute('#form-error', 'role'), 'alert')
  t.equal(await page.isEnabled('button:has-text("Confirm")'), true, 'the button is usable again')
})

t.test('without JavaScript the same pages still book', async (t) => {
  const { page } = await open(`${sandbox.url}/maria/30min?theme=dark&layout=column_view`, { javaScriptEnabled: false })
  t.equal(await page.getAttribute('html', 'data-theme'), 'dark')
  t.equal(await page.getAttribute('html', 'data-layout'), 'column_view')
  await page.click('button[name="date"][value="2030-01-10"]')
  await page.waitForURL(/date=2030-01-10/)
  await page.click('[data-times-for="2030-01-10"] button:text-is("2:00 PM")')
  await page.waitForURL(/slot=/)
  await page.fill('#field-name', 'No Script')
  await page.fill('#field-email', 'noscript@example.org')
  await page.click('button:has-text("Confirm")')
  await page.waitForSelector('h1:has-text("This meeting is scheduled")')
  t.match(page.url(), /theme=dark/, 'the theme follows to the success page')
  t.equal(await page.getAttribute('html', 'data-theme'), 'dark')
  const booking = sandbox.state.bookingsFor('maria').find((b) => b.attendee.email === 'noscript@example.org')
  t.equal(booking?.startTime, '2030-01-10T20:00:00.000Z')

  await page.click('a:has-text("Cancel")')
  await page.fill('#field-reason', 'Plans changed')
  await page.click('button:has-text("Cancel booking")')
  await page.waitForSelector('h1:has-text("This event is cancelled")')
  t.match(sandbox.state.getBooking(booking!.uid), { status: 'CANCELLED', cancellationReason: 'Plans changed' })
})
