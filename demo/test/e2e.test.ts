// End to end, as a newcomer sees it: the server started the way `npm start` starts it, a real
// Chromium on the demo pages, a booking made inside Cal.com's (the sandbox's) cross-origin
// iframe, and the signed webhook's result read back through the admin routes.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Browser } from 'playwright-core'
import t from 'tap'
import { bookThroughWidget, launchChromium, recordPage } from '../browser-booking.js'
import { eventually, type RunningServer, startServer } from '../start-server.js'

const ADMIN_KEY = 'sandbox-admin-key'

// It builds the widget and starts the server as `npm start` does, then drives Chromium twice:
// about 100 s alone on two cores, so the suite's 120 s default leaves no room for a busy machine.
t.setTimeout(360_000)

/** On Postgres the server gets a schema of its own, dropped afterwards; on PGlite, the temp DATA_DIR. */
async function databaseFor(test: typeof t): Promise<string | undefined> {
  const url = process.env.DATABASE_URL
  if (!url) return undefined
  const schema = `e2e_${randomBytes(6).toString('hex')}`
  const admin = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) })
  await admin.schema.createSchema(schema).execute()
  test.teardown(async () => {
    await admin.schema.dropSchema(schema).cascade().execute()
    await admin.destroy()
  })
  const withSchema = new URL(url)
  withSchema.searchParams.set('options', `-c search_path=${schema}`)
  return withSchema.toString()
}

async function admin(server: RunningServer, path: string): Promise<any> {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`)
  return response.json()
}

let server: RunningServer
let browser: Browser
let serverEnv: Record<string, string | undefined>
const bookedUids: string[] = []

t.before(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'churchhub-e2e-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  serverEnv = { DATA_DIR: dataDir, DATABASE_URL: await databaseFor(t), CAL_API_URL: undefined }
  server = await startServer(serverEnv, { timeoutMs: 180_000 })
  t.teardown(() => server.close())
  browser = await launchChromium()
  t.teardown(() => browser.close())
})

t.test('npm start says where to look and in what mode', async (t) => {
  t.match(server.output(), `${server.url}/demo/admin`)
  t.match(server.output(), /Mode: sandbox/)
  t.match(server.output(), process.env.DATABASE_URL ? /database: Postgres/ : /database: embedded PGlite/)
})

for (const path of ['/', '/demo/squarespace']) {
  t.test(`a visitor books Pastor Zack on ${path}, and the booking lands through the signed webhook`, async (t) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    t.teardown(() => page.close())
    const read = await recordPage(page)
    const consoleErrors: string[] = []
    page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()) })

    const response = await page.goto(`${server.url}${path}`)
    t.equal(response?.status(), 200)
    const csp = response?.headers()['content-security-policy']
    if (path === '/demo/squarespace') t.match(csp, /default-src 'self'/, 'the builder page is served under a strict CSP')

    const attendee = { name: `Visitor ${randomBytes(3).toString('hex')}`, email: `visitor-${randomBytes(4).toString('hex')}@example.org`, notes: 'First time visiting.' }
    const booked = await bookThroughWidget(page, read, attendee)
    t.match(booked, { uid: String, start: String, end: String }, 'churchhub-booking-successful carries the booking')
    bookedUids.push(booked.uid)

    const booking = await eventually(async () => (await admin(server, '/admin/bookings')).bookings.find((b: any) => b.uid === booked.uid), 'the booking in /admin/bookings')
    t.match(booking, { uid: booked.uid, status: /accepted/i })
    t.equal(new Date(booking.startTime).toISOString(), new Date(booked.start).toISOString(), 'the stored start is the booked one')
    t.match(booking, { host: { username: 'zack' }, attendee: { name: attendee.name, email: attendee.email }, notes: attendee.notes })

    const audit = await eventually(async () => {
      const rows = (await admin(server, '/admin/audit')).entries.filter((row: any) => JSON.stringify(row).includes(booked.uid))
      return rows.length ? rows : undefined
    }, 'audit rows for the booking')
    t.ok(audit.some((row: any) => row.actor === 'cal.com'), 'the webhook from Cal.com is audited')

    const record = await read()
    t.same(record.errors, [], 'the element reported no error')
    t.same(record.pageErrors, [], 'no uncaught exception in the page or the booking iframe')
    t.same(record.csp, [], 'no Content-Security-Policy violation')
    t.same(consoleErrors.filter((text) => /Content.Security.Policy|Refused to/i.test(text)), [], 'no CSP complaint in the console')
  })
}

t.test('a signed-in member finds the form pre-filled, and the booking is made in her name', async (t) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  t.teardown(() => page.close())
  const read = await recordPage(page)
  await page.goto(`${server.url}/demo/member`)
  const booked = await bookThroughWidget(page, read)
  t.same(booked.form, { name: 'Ruth Alvarez', email: 'ruth.alvarez@example.org' }, 'name and email come through the member assertion')
  bookedUids.push(booked.uid)
  const booking = await eventually(async () => (await admin(server, '/admin/bookings')).bookings.find((b: any) => b.uid === booked.uid), 'the member booking')
  t.match(booking, { attendee: { name: 'Ruth Alvarez', email: 'ruth.alvarez@example.org' } })
  const audit = (await admin(server, '/admin/audit')).entries
  t.same(audit.filter((row: any) => row.action === 'token.minted'), [], 'pre-filling reads the member from the assertion: no Cal.com token is minted')
  t.same((await read()).errors, [])
})

t.test('the admin page shows the bookings it reads from the admin routes', async (t) => {
  const page = await browser.newPage()
  t.teardown(() => page.close())
  const read = await recordPage(page)
  await page.goto(`${server.url}/demo/admin`)
  await page.locator('#bookings tbody tr').first().waitFor({ timeout: 10_000 })
  t.ok(await page.locator('#bookings tbody tr').count() >= 2, 'both bookings are listed')
  t.ok(await page.locator('#audit tbody tr').count() >= 2, 'the audit log is listed')
  t.same((await read()).csp, [], 'no CSP violation on the admin page')
})

t.test('every demo page passes axe (WCAG 2 A and AA, best practices), the widget included', async (t) => {
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
  for (const path of ['/', '/demo/popup', '/demo/floating', '/demo/squarespace', '/demo/wordpress', '/demo/member', '/demo/admin']) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const read = await recordPage(page)
    await page.goto(`${server.url}${path}`)
    if (await page.locator('churchhub-booking:not([mode])').count()) {
      await page.locator('churchhub-booking').scrollIntoViewIfNeeded()
      await page.waitForFunction(() => ((window as any).__churchhub?.ready?.length ?? 0) > 0)
    }
    // Evaluated through the debugging protocol, so the page's CSP does not stop it. The booking
    // page inside the iframe is Cal.com's (the sandbox has its own axe test).
    await page.evaluate(axeSource)
    const { violations } = await page.evaluate(() => (window as any).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'best-practice'], iframes: false }))
    t.same(violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`), [], path)
    t.same((await read()).errors, [], `${path}: no churchhub-error`)
    await page.close()
  }
})

t.test('the demo data survives a restart', async (t) => {
  await server.close()
  server = await startServer(serverEnv, { timeoutMs: 180_000 })
  const { bookings } = await admin(server, '/admin/bookings')
  t.same(bookedUids.filter((uid) => !bookings.some((b: any) => b.uid === uid)), [], 'the bookings are still in the database')
  for (const uid of bookedUids) {
    const page = await fetch(`${server.url.replace('localhost', '127.0.0.1')}/sandbox/cal/booking/${uid}`)
    t.equal(page.status, 200, `the sandbox still knows booking ${uid}`)
  }
  const host = await fetch(`${server.url}/v1/hosts/zack`)
  t.equal(host.status, 200, 'the seeded host is still there')
})
