// The questionnaire end to end: the demo page in Chromium, answered with the keyboard only, the
// routed calendar opening pre-filled, a booking made in the sandbox's iframe, and the answers
// found tied to that booking through the admin routes, with the sensitive one nowhere at Cal.com.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import t from 'tap'
import { launchChromium, recordPage } from '../browser-booking.js'
import { eventually, type RunningServer, startServer } from '../start-server.js'

const ADMIN = { authorization: 'Bearer sandbox-admin-key' }
const SENSITIVE = `My mother died last week ${randomBytes(4).toString('hex')}`
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

let server: RunningServer
let browser: Browser

t.before(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'churchhub-q-e2e-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  // PGlite in the temp directory: this file proves the flow, e2e.test.ts proves Postgres.
  server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: undefined, CAL_API_URL: undefined }, { timeoutMs: 180_000 })
  t.teardown(() => server.close())
  browser = await launchChromium()
  t.teardown(() => browser.close())
})

const json = async (url: string, headers: Record<string, string> = ADMIN) => {
  const response = await fetch(url, { headers })
  if (!response.ok) throw new Error(`${url} answered ${response.status}`)
  return response.json() as Promise<any>
}

/** What has the keyboard, through shadow roots: "<tag> <name or label>". */
const focused = (page: Page) => page.evaluate(() => {
  let el = document.activeElement
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
  return el ? `${el.tagName.toLowerCase()} ${(el as HTMLInputElement).value || el.textContent?.trim() || ''}` : ''
})

async function tabTo(page: Page, target: string) {
  for (let i = 0; i < 60; i++) {
    if ((await focused(page)) === target) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`the keyboard never reached ${target} (at ${await focused(page)})`)
}

async function axe(page: Page) {
  await page.evaluate(axeSource)
  const { violations } = await page.evaluate(() => (window as any).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'best-practice'], iframes: false }))
  return violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`)
}

async function bookIn(element: Locator, attendee: { name: string; email: string }) {
  const frame = element.frameLocator('iframe')
  await frame.locator('.calendar button:not([disabled])').first().click()
  await frame.locator('[data-times-for]:not([hidden]) .slots button').first().click()
  await frame.getByLabel('Your name').fill(attendee.name)
  await frame.getByLabel('Email address').fill(attendee.email)
  const notes = await frame.getByLabel('Additional notes').inputValue()
  await frame.getByRole('button', { name: 'Confirm' }).click()
  await frame.getByRole('heading', { name: 'This meeting is scheduled' }).waitFor()
  return notes
}

t.test('keyboard only: answer, the routed calendar opens pre-filled, book, and the admin sees the answers', async (t) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  t.teardown(() => page.close())
  const read = await recordPage(page)
  t.equal((await page.goto(`${server.url}/demo/questionnaire`))?.status(), 200)
  const element = page.locator('churchhub-booking').first()
  await element.getByRole('heading', { name: 'Talk with us' }).waitFor()
  t.same(await axe(page), [], 'axe: the questionnaire as it first shows')

  await tabTo(page, 'input grief')
  await tabTo(page, 'button Continue to the calendar')
  await page.keyboard.press('Enter') // nothing chosen yet
  await element.getByText('Please answer this question.').waitFor()
  t.equal(await focused(page), 'input grief', 'the keyboard is taken to the question to fix')
  t.same(await axe(page), [], 'axe: the questionnaire showing its errors')

  await page.keyboard.press('ArrowDown') // "Youth and family"
  await page.keyboard.press('Tab')
  await page.keyboard.type(SENSITIVE)
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await page.waitForFunction(() => ((window as any).__churchhub?.ready?.length ?? 0) > 0, undefined, { timeout: 20_000 })
  const src = await element.locator('iframe').getAttribute('src')
  const url = new URL(src!)
  t.equal(url.pathname, '/sandbox/cal/maria/30min/embed', 'youth and family → Maria, 30 minutes')
  const responseId = url.searchParams.get('metadata[churchhubResponse]')
  t.match(responseId, /^r_[\w-]{22}$/)

  const notes = await bookIn(element, { name: 'Ana Visitor', email: `ana-${randomBytes(3).toString('hex')}@example.org` })
  t.equal(notes, 'Youth and family', 'the non-sensitive answer pre-filled Cal.com\'s notes')
  await page.waitForFunction(() => (window as any).__churchhub.bookings.length > 0, undefined, { timeout: 15_000 })
  const { uid } = (await read()).bookings[0]!

  const listed = await eventually(async () => (await json(`${server.url}/admin/bookings`)).bookings.find((b: any) => b.uid === uid && b.hasAnswers), 'the booking with answers')
  t.equal(listed.host.username, 'maria')
  const detail = await json(`${server.url}/admin/bookings/${uid}`)
  t.same(detail.answers.answers.map((a: any) => [a.question, a.value]), [['topic', 'Youth and family'], ['story', SENSITIVE]])
  t.equal(detail.answers.responseId, responseId)

  const sandbox = server.url.replace('localhost', '127.0.0.1') + '/sandbox/cal/_control'
  const stored = (await json(`${sandbox}/bookings/${uid}`, {})).booking
  t.equal(stored.metadata.churchhubResponse, responseId, 'Cal.com\'s booking carries the response id')
  t.notOk(JSON.stringify(stored).includes(SENSITIVE), 'and none of the sensitive answer')
  const sent = (await json(`${sandbox}/deliveries`, {})).deliveries.filter((d: any) => d.body.includes(uid))
  t.ok(sent.length >= 1, 'the sandbox sent webhooks for the booking')
  t.same(sent.filter((d: any) => !d.body.includes(responseId) || d.body.includes(SENSITIVE)), [], 'every one carries the id and none the sensitive text')
  t.same((await read()).errors, [])
  t.same((await read()).pageErrors, [])
})

t.test('Spanish: the popup asks in Spanish, with Spanish errors, and passes axe with the dialog open', async (t) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  t.teardown(() => page.close())
  await page.goto(`${server.url}/demo/questionnaire`)
  const element = page.locator('churchhub-booking[lang=es]')
  await element.getByRole('button', { name: 'Hable con nosotros' }).click()
  const dialog = element.getByRole('dialog', { name: 'Preguntas antes de reservar' })
  await dialog.getByRole('heading', { name: 'Hable con nosotros' }).waitFor()
  t.ok(await dialog.getByRole('group', { name: '¿De qué le gustaría hablar? (obligatoria)' }).isVisible())
  await dialog.getByRole('button', { name: 'Continuar al calendario' }).click()
  await dialog.getByText('Por favor, responda esta pregunta.').waitFor()
  t.equal(await dialog.getByRole('alert').textContent(), 'Revise las respuestas marcadas abajo.')
  t.same(await axe(page), [], 'axe: the Spanish dialog with its errors')
  await page.keyboard.press('Escape')
  t.notOk(await dialog.isVisible(), 'Escape closes the dialog')
})
