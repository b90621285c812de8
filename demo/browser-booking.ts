import { type Browser, chromium, type Page } from 'playwright-core'

/** Headless Chromium as the suite runs it: CHROME_PATH, else the system one. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}

export interface PageRecord {
  ready: unknown[]
  bookings: Array<{ uid: string; start: string; end: string; eventType?: string; status?: string }>
  errors: unknown[]
  /** `securitypolicyviolation` events: what the page's CSP blocked, in the page or its shadow roots. */
  csp: Array<{ directive: string; blocked: string; source: string }>
  /** Uncaught exceptions in the page and its frames. */
  pageErrors: string[]
}

/**
 * Records, from before the page's first script runs, the element's events and every CSP
 * violation. Playwright's init scripts are exempt from the page's CSP, so this works under it.
 */
export async function recordPage(page: Page): Promise<() => Promise<PageRecord>> {
  await page.addInitScript(() => {
    const record = { ready: [], bookings: [], errors: [], csp: [] } as Record<string, unknown[]>
    ;(window as any).__churchhub = record
    document.addEventListener('churchhub-ready', (e) => record.ready!.push((e as CustomEvent).detail))
    document.addEventListener('churchhub-booking-successful', (e) => record.bookings!.push((e as CustomEvent).detail))
    document.addEventListener('churchhub-error', (e) => record.errors!.push((e as CustomEvent).detail))
    document.addEventListener('securitypolicyviolation', (e) => {
      record.csp!.push({ directive: e.effectiveDirective, blocked: e.blockedURI, source: `${e.sourceFile}:${e.lineNumber}` })
    })
  })
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  return async () => ({ ...(await page.evaluate(() => (window as any).__churchhub)), pageErrors })
}

/**
 * Where Cal.com's embed got to, for a failure message: the messages embed.js received (its own
 * `Cal.__logQueue`) and each frame's load state and classes.
 */
async function embedState(page: Page) {
  const received = await page.evaluate(() => ((window as any).Cal?.__logQueue ?? []).map((m: { ns: string; type: string }) => `${m.ns}:${m.type}`)).catch((e: Error) => e.message)
  const frames = await Promise.all(page.frames().map(async (frame) => ({
    url: frame.url(),
    state: await frame.evaluate(() => `${document.readyState} ${document.documentElement.className}`).catch((e: Error) => e.message),
  })))
  return { received, frames }
}

export interface Attendee { name: string; email: string; notes?: string }

/**
 * Books through the inline `<churchhub-booking>` on the page as a visitor would: an event type,
 * the first free day and time, the form (left as the page pre-filled it when `attendee` is
 * omitted); resolves with the element's success event detail and what the form held.
 */
export async function bookThroughWidget(page: Page, read: () => Promise<PageRecord>, attendee?: Attendee, eventTitle = '15 minute meeting') {
  const element = page.locator('churchhub-booking').first()
  await element.scrollIntoViewIfNeeded()
  await page.waitForFunction(() => ((window as any).__churchhub?.ready?.length ?? 0) > 0, undefined, { timeout: 20_000 }).catch(async (error) => {
    const { errors, pageErrors } = await read()
    throw new Error(`churchhub-ready never came: ${JSON.stringify({ errors, pageErrors, embed: await embedState(page) })}`, { cause: error })
  })
  // The booking page is a cross-origin iframe inside the element's shadow root (Playwright pierces it).
  const frame = element.frameLocator('iframe')
  await frame.getByRole('link', { name: new RegExp(eventTitle) }).click()
  await frame.locator('.calendar button:not([disabled])').first().click()
  await frame.locator('[data-times-for]:not([hidden]) .slots button').first().click()
  const name = frame.getByLabel('Your name')
  const email = frame.getByLabel('Email address')
  if (attendee) {
    await name.fill(attendee.name)
    await email.fill(attendee.email)
    if (attendee.notes) await frame.getByLabel('Additional notes').fill(attendee.notes)
  }
  const form = { name: await name.inputValue(), email: await email.inputValue() }
  const before = (await read()).bookings.length
  await frame.getByRole('button', { name: 'Confirm' }).click()
  await page.waitForFunction((n) => (window as any).__churchhub.bookings.length > n, before, { timeout: 15_000 })
  const booking = (await read()).bookings[before]!
  await frame.getByRole('heading', { name: 'This meeting is scheduled' }).waitFor()
  return Object.assign(booking, { form })
}
