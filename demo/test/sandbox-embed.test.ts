// Cal.com's real embed.js (from @calcom/embed-core), loaded by a host page on another origin with
// nothing but Cal.com's published snippet, shows the sandbox's booking pages and delivers their
// events: the sandbox must be indistinguishable from Cal.com for it.
import t from 'tap'
import type { Frame, Page } from 'playwright-core'
import { ManualClock } from '../../server/clock.js'
import { verify } from '../../server/webhooks/signature.js'
import { startSandbox } from '../sandbox/standalone.js'
import { hostSite, launchChromium, webhookReceiver } from './sandbox-pages-helpers.js'

declare global { interface Window { calEvents: { type: string; data: any }[]; openModal(): void } }

const WEBHOOK_SECRET = 'sandbox-webhook-secret'
const receiver = await webhookReceiver(t)
const sandbox = await startSandbox({ clock: new ManualClock('2030-01-07T12:00:00.000Z'), webhookTargets: [receiver.url], webhookSecret: WEBHOOK_SECRET })
t.teardown(() => sandbox.close())
const host = await hostSite(t, sandbox.url)
const browser = await launchChromium(t)

async function openHost(url: string) {
  const context = await browser.newContext({ viewport: { width: 900, height: 800 } })
  t.teardown(() => context.close())
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(url)
  return { page, errors }
}

async function bookingFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('cal-inline iframe')
  const frame = await handle.contentFrame()
  if (!frame) throw new Error('the embed iframe has no frame')
  return frame
}

const eventsOf = (page: Page, type: string) => page.evaluate((tp) => window.calEvents.filter((e) => e.type === tp), type)

t.test('inline embed: revealed at its content height, prefilled, booked, events and signed webhook', async (t) => {
  const { page, errors } = await openHost(host.inlineUrl('zack/30min', {
    name: 'Ann', email: 'ann@example.com', notes: 'hi', guests: ['g1@example.com'], 'metadata[churchhubRef]': 'ref-42',
  }))
  await page.waitForSelector('cal-inline[loading="done"]')
  const frame = await bookingFrame(page)
  t.match(frame.url(), /\/sandbox\/cal\/zack\/30min\/embed\?embed=&name=Ann/, 'embed.js opened the /embed form with the prefill in the query')

  // Revealed (no visibility:hidden) and sized to the page's content, not the 300px default.
  const sizeMatches = async () => {
    const iframe = await page.$eval('cal-inline iframe', (el) => ({ visibility: getComputedStyle(el).visibility, height: (el as HTMLElement).style.height }))
    const content = await frame.evaluate(() => {
      const main = document.querySelector('.main') as HTMLElement
      const s = getComputedStyle(main)
      return Math.ceil(main.getBoundingClientRect().height + parseFloat(s.marginTop) + parseFloat(s.marginBottom))
    })
    return { ...iframe, content }
  }
  let size = await sizeMatches()
  t.equal(size.visibility, 'visible')
  t.equal(size.height, `${size.content}px`, 'the iframe takes the content height')
  t.ok(size.content > 300)
  t.same((await eventsOf(page, 'linkReady')).length, 1, 'linkReady reached the host page once')
  // Cal.__logQueue is embed.js's own record of every message it accepted from the page.
  const log: { type: string; data: any }[] = await page.evaluate(() => (window as any).Cal.__logQueue)
  const first = (type: string) => log.findIndex((m) => m.type === type)
  t.ok(first('__iframeReady') === 0 && first('__iframeReady') < first('__windowLoadComplete') &&
    first('__windowLoadComplete') < first('__dimensionChanged') && first('__dimensionChanged') < first('linkReady'),
  `handshake in Cal's order: ${log.map((m) => m.type).join(', ')}`)
  t.match(log[first('__dimensionChanged')]!.data, { iframeHeight: Number, iframeWidth: Number, isFirstTime: true })

  t.equal(await frame.inputValue('#field-name'), 'Ann')
  t.equal(await frame.inputValue('#field-email'), 'ann@example.com')
  t.equal(await frame.inputValue('#field-notes'), 'hi')
  t.equal(await frame.inputValue('#field-guests'), 'g1@example.com')

  await frame.click('button[name="date"]:not([disabled])')
  const slot = frame.locator('[data-times-for]:not([hidden]) button[name="slot"]').first()
  const start = await slot.getAttribute('value')
  await slot.click()
  await frame.waitForSelector('#details:not([hidden])')
  // The height follows the content as the form opens.
  await t.resolves(page.waitForFunction((h) => (document.querySelector('cal-inline iframe') as HTMLElement).style.height !== h, size.height))
  size = await sizeMatches()
  t.equal(size.height, `${size.content}px`, 'still the content height after the form opened')

  await frame.click('#details button[type="submit"]')
  await page.waitForFunction(() => window.calEvents.some((e) => e.type === 'bookingSuccessfulV2'))
  const v1 = (await eventsOf(page, 'bookingSuccessful'))[0]!.data
  const v2 = (await eventsOf(page, 'bookingSuccessfulV2'))[0]!.data
  const types = (await page.evaluate(() => window.calEvents.map((e) => e.type))).filter((x) => x.startsWith('booking'))
  t.same(types, ['bookingSuccessful', 'bookingSuccessfulV2'], 'the deprecated event first, then V2, once each')

  const booking = sandbox.state.getBooking(v2.uid)
  t.ok(booking, 'the uid in bookingSuccessfulV2 is a real booking')
  t.match(v2, { uid: booking!.uid, startTime: start, endTime: booking!.endTime, eventTypeId: 3002, status: 'ACCEPTED', paymentRequired: false, isRecurring: false })
  t.match(v1, { booking: { uid: booking!.uid, startTime: start }, date: start, duration: 30, confirmed: true,
    organizer: { name: 'Pastor Zack Miller', timeZone: 'America/Chicago' }, eventType: { slug: '30min', length: 30 } })
  t.match(booking, { attendee: { name: 'Ann', email: 'ann@example.com' }, notes: 'hi', metadata: { churchhubRef: 'ref-42' } })
  t.same(booking?.guests, ['g1@example.com'], 'exactly the one guest')

  const hook = await receiver.waitFor((w) => w.body.includes(booking!.uid))
  t.doesNotThrow(() => verify(WEBHOOK_SECRET, hook.body, hook.headers['x-cal-signature-256']), 'the webhook verifies with the documented algorithm')
  const delivered = JSON.parse(hook.body)
  t.equal(delivered.triggerEvent, 'BOOKING_CREATED')
  t.equal(delivered.payload.uid, booking!.uid)
  t.equal(delivered.payload.metadata.churchhubRef, 'ref-42', 'metadata[…] from the embed config reaches the webhook')

  // The iframe moves on to the success page and stays sized to it.
  await frame.waitForSelector('h1:has-text("This meeting is scheduled")')
  await page.waitForFunction(() => window.calEvents.filter((e) => e.type === 'linkReady').length === 2)
  size = await sizeMatches()
  t.equal(size.height, `${size.content}px`, 'the success page has its own height')
  t.same(errors, [], 'no script errors on the host page or in the booking page')
})

t.test('a link to nobody fires linkFailed with code 404 and nothing else', async (t) => {
  const { page, errors } = await openHost(host.inlineUrl('nobody/30min'))
  await page.waitForSelector('cal-inline[loading="failed"]')
  const failed = await eventsOf(page, 'linkFailed')
  t.equal(failed.length, 1)
  t.match(failed[0]!.data, { code: '404', msg: 'Problem loading the link', data: { url: /\/sandbox\/cal\/nobody\/30min\/embed\?embed=/ } })
  t.same(await eventsOf(page, 'linkReady'), [], 'no linkReady after a failure')
  t.same(errors, [])
})

t.test('profile page in a named namespace: eventTypeSelected, the next page shakes hands again, ui applied', async (t) => {
  const { page } = await openHost(host.inlineUrl('maria', { theme: 'light' }, { theme: 'dark', styles: { branding: { brandColor: '#7c3aed' } }, hideEventTypeDetails: true }, { ns: 'church1' }))
  await page.waitForSelector('cal-inline[loading="done"]')
  const frame = await bookingFrame(page)
  await frame.waitForFunction(() => document.documentElement.getAttribute('data-theme') === 'dark')
  t.equal(await frame.evaluate(() => document.documentElement.style.getPropertyValue('--cal-brand')), '#7c3aed', 'brand colour from Cal("ui")')
  await frame.click('a:has-text("15 minute meeting")')
  await page.waitForFunction(() => window.calEvents.some((e) => e.type === 'eventTypeSelected'))
  const [selected] = await eventsOf(page, 'eventTypeSelected')
  t.match(selected!.data, { eventType: { slug: '15min', title: '15 minute meeting', length: 15, id: 3011 } })
  await page.waitForFunction(() => window.calEvents.filter((e) => e.type === 'linkReady').length === 2)
  const next = await bookingFrame(page)
  t.match(next.url(), /\/sandbox\/cal\/maria\/15min\/embed\?embed=church1&/, 'the namespace follows the navigation')
  // embed.js replays the queued ui to the new page, and the details stay hidden as asked.
  await next.waitForFunction(() => document.documentElement.classList.contains('hide-details') && document.documentElement.getAttribute('data-theme') === 'dark')
  t.pass('the ui instruction applies to the page navigated to')
})

t.test('popup: a data-cal-link button opens the page in a modal, which its Close button closes', async (t) => {
  const { page, errors } = await openHost(host.inlineUrl('zack/15min', { name: 'Pop' }, undefined, 'popup'))
  await page.click('button:has-text("Book a time")')
  await page.waitForSelector('cal-modal-box[state="loaded"]', { state: 'attached' })
  const frame = await (await page.waitForSelector('cal-modal-box iframe'))!.contentFrame()
  t.match(frame!.url(), /\/zack\/15min\/embed\?embed=&name=Pop&embedType=modal/)
  t.equal(await frame!.inputValue('#field-name'), 'Pop')
  await frame!.click('button.close')
  await page.waitForSelector('cal-modal-box[state="closed"]', { state: 'attached' })
  t.same(errors, [])
})

t.test('prerendered modal: no linkReady while hidden, then connect carries the config', async (t) => {
  const { page, errors } = await openHost(host.inlineUrl('maria/30min', { name: 'Pre Rendered', email: 'pre@example.org' }, undefined, 'prerender'))
  const box = await page.waitForSelector('cal-modal-box[state="prerendering"]', { state: 'attached' })
  const frame = await (await box.waitForSelector('iframe', { state: 'attached' })).contentFrame()
  t.match(frame!.url(), /prerender=true/)
  // Cal.__logQueue holds every message embed.js accepted: wait until the page has sent its size,
  // the moment it would otherwise say linkReady.
  await page.waitForFunction(() => (window as any).Cal.__logQueue?.some((m: { type: string }) => m.type === '__dimensionChanged'))
  t.same(await eventsOf(page, 'linkReady'), [], 'a prerendering page keeps linkReady back')
  await page.evaluate(() => window.openModal())
  await page.waitForSelector('cal-modal-box[state="loaded"]', { state: 'attached' })
  t.equal(await frame!.inputValue('#field-name'), 'Pre Rendered', 'the connect config filled the form')
  t.equal((await eventsOf(page, 'linkReady')).length, 1)
  t.same(errors, [])
})

t.test('reschedule and cancel inside the embed fire their events on the host page', async (t) => {
  const first = await sandbox.state.createBooking({ hostUsername: 'maria', eventTypeSlug: '60min', start: new Date('2030-01-10T15:00:00.000Z'), attendee: { name: 'Rae', email: 'rae@example.org' } })
  const { page, errors } = await openHost(host.inlineUrl(`maria/60min?rescheduleUid=${first.uid}`))
  await page.waitForSelector('cal-inline[loading="done"]')
  const frame = await bookingFrame(page)
  t.equal(await frame.inputValue('#field-email'), 'rae@example.org', 'the attendee comes from the booking being moved')
  await frame.click('button[name="date"][value="2030-01-11"]')
  await frame.click('[data-times-for="2030-01-11"] button[name="slot"]')
  await frame.click('button:has-text("Reschedule")')
  await page.waitForFunction(() => window.calEvents.some((e) => e.type === 'rescheduleBookingSuccessfulV2'))
  const moved = (await eventsOf(page, 'rescheduleBookingSuccessfulV2'))[0]!.data
  t.match((await eventsOf(page, 'rescheduleBookingSuccessful'))[0]!.data, { booking: { uid: moved.uid, fromReschedule: first.uid } })
  t.same(await eventsOf(page, 'bookingSuccessfulV2'), [], 'not reported as a new booking')
  t.match(sandbox.state.getBooking(moved.uid), { fromReschedule: first.uid, startTime: '2030-01-11T15:00:00.000Z' })

  await frame.waitForSelector('h1:has-text("This meeting is scheduled")')
  await frame.click('a:has-text("Cancel")')
  await frame.waitForSelector('#field-reason')
  await frame.fill('#field-reason', 'Travelling')
  await frame.click('button:has-text("Cancel booking")')
  await page.waitForFunction(() => window.calEvents.some((e) => e.type === 'bookingCancelled'))
  t.match((await eventsOf(page, 'bookingCancelled'))[0]!.data, { booking: { uid: moved.uid, status: 'CANCELLED', cancellationReason: 'Travelling' } })
  await frame.waitForSelector('h1:has-text("This event is cancelled")')
  t.same(errors, [])
})
