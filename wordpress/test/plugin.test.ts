// The plugin in a real WordPress, offline: the zip from `npm run build:wordpress` uploaded and
// activated as a church would, the settings saved against a ChurchHub server started here in
// sandbox mode, posts written by an Author (who may not post scripts), and a visitor booking
// through the block in Chromium. Once per WordPress release in WORDPRESS_VERSIONS.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import t from 'tap'
import { bookThroughWidget, launchChromium, recordPage } from '../../demo/browser-booking.js'
import { eventually, freePort, type RunningServer, startServer } from '../../demo/start-server.js'
import { buildPlugin } from '../scripts/build.js'
import { ADMIN, availableReleases, type RunningWordPress, startWordPress } from './playground.js'
import { keepOnLoopback, logIn, openAdmin, rest, uploadPlugin } from './wp-browser.js'

// `release:php` pairs. 6.5 prints the widget through WordPress's script modules, on a current
// PHP; 6.2 (the oldest release the builds package has) through the plugin's own type="module"
// tag, on the oldest PHP the plugin supports.
const MATRIX = (process.env.WORDPRESS_VERSIONS ?? '6.5:8.3,6.2:7.4').split(',').map((pair) => pair.trim()).filter(Boolean)
  .map((pair) => { const [version, php] = pair.split(':'); return { version: version!, php: php ?? '8.2' } })
const ADMIN_KEY = 'sandbox-admin-key'
const AUTHOR = { user: 'ruth', password: 'ruth-author-password-1', email: 'ruth@example.org' }

/**
 * What WordPress itself asks of the outside world on these pages (admin-bar avatars, the
 * editor's welcome picture): refused, and the only requests expected to leave the machine.
 */
const WORDPRESS_OWN = /^https?:\/\/((\d|secure)\.gravatar\.com\/avatar\/|s\.w\.org\/images\/)/

let server: RunningServer
let browser: Browser
let zip: string

t.before(async () => {
  zip = buildPlugin()
  const dataDir = mkdtempSync(join(tmpdir(), 'churchhub-wp-server-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: undefined, CAL_API_URL: undefined })
  t.teardown(() => server.close())
  browser = await launchChromium()
  t.teardown(() => browser.close())
})

async function adminBookings(): Promise<Array<{ uid: string; host: { username: string } }>> {
  const response = await fetch(`${server.url}/admin/bookings`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
  if (!response.ok) throw new Error(`/admin/bookings answered ${response.status}`)
  return (await response.json()).bookings
}

/** The page as an anonymous visitor gets it. */
async function visit(url: string): Promise<{ status: number; html: string }> {
  const response = await fetch(url)
  return { status: response.status, html: await response.text() }
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1
}

/** The settings form saved with one server address; resolves with the notices WordPress showed. */
async function saveSettings(page: Page, wp: RunningWordPress, fields: { server: string; lang?: string; color?: string }): Promise<string[]> {
  await openAdmin(page, wp, '/wp-admin/options-general.php?page=churchhub-booking')
  await page.fill('#churchhub_booking_server_url', fields.server)
  if (fields.lang !== undefined) await page.selectOption('#churchhub_booking_default_lang', fields.lang)
  if (fields.color !== undefined) await page.fill('#churchhub_booking_brand_color', fields.color)
  await Promise.all([page.waitForURL(/settings-updated=true/, { waitUntil: 'domcontentloaded', timeout: 180_000 }), page.click('#submit')])
  return page.locator('.settings-error p').allInnerTexts()
}

for (const { version, php } of MATRIX) {
  t.test(`WordPress ${version} on PHP ${php}`, async (t) => {
    const started = Date.now()
    const wp = await startWordPress(version, php)
    t.teardown(() => wp.close())
    t.equal(wp.release, availableReleases()[version], `WordPress ${wp.release} is running`)

    const contexts: BrowserContext[] = []
    const refused: string[][] = []
    const newPage = async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
      context.setDefaultTimeout(120_000)
      context.setDefaultNavigationTimeout(180_000)
      contexts.push(context)
      refused.push(await keepOnLoopback(context))
      return { page: await context.newPage() }
    }
    t.teardown(() => Promise.all(contexts.map((c) => c.close())))

    const admin = await newPage()
    await logIn(admin.page, wp, ADMIN.user, ADMIN.password)
    const posts: Partial<Record<'calendars' | 'shortcode' | 'unfiltered', { id: number; link: string }>> = {}

    await t.test('a church uploads the zip under Plugins → Add New and activates it', async (t) => {
      const report = await uploadPlugin(admin.page, wp, zip)
      t.match(report, 'Plugin installed successfully.')
      t.equal(await admin.page.locator('tr[data-slug="churchhub-booking"].active').count(), 1, 'the plugin is active')
      t.same(await admin.page.locator('.churchhub-booking-notice').allInnerTexts(), [
        'ChurchHub Booking has no booking server address yet, so booking calendars show nothing to visitors. Set it in Settings → ChurchHub Booking.',
      ], 'administrators are told the server address is missing')
    })

    const author = await newPage()
    await t.test('an Author, who may not post scripts, writes a post with two blocks and a post with the shortcode', async (t) => {
      await rest(admin.page, wp, 'POST', '/wp/v2/users', { username: AUTHOR.user, email: AUTHOR.email, password: AUTHOR.password, roles: ['author'] })
      await logIn(author.page, wp, AUTHOR.user, AUTHOR.password)
      const me = await rest(author.page, wp, 'GET', '/wp/v2/users/me?context=edit')
      t.same(me.roles, ['author'])
      t.equal(me.capabilities.unfiltered_html, undefined, 'the Author has no unfiltered_html')

      // As the block editor saves them: attributes in the block comment, JSON with <, > and " escaped.
      const content = [
        '<!-- wp:churchhub/booking {"username":"zack"} /-->',
        '<!-- wp:churchhub/booking {"username":"maria","event":"30min","mode":"popup","label":"Talk \\u0022today\\u0022 \\u003c3 \\u003cb\\u003enow\\u003c/b\\u003e"} /-->',
        '<!-- wp:paragraph --><p>Before the calendar <script>alert(1)</script></p><!-- /wp:paragraph -->',
      ].join('\n')
      const calendars = await rest(author.page, wp, 'POST', '/wp/v2/posts', { title: 'Book a pastor', status: 'publish', content })
      const saved = await rest(author.page, wp, 'GET', `/wp/v2/posts/${calendars.id}?context=edit`)
      t.equal(saved.content.raw, [
        '<!-- wp:churchhub/booking {"username":"zack"} /-->',
        // WordPress filters an Author's block attributes like her HTML: the lone "<" becomes an entity.
        '<!-- wp:churchhub/booking {"username":"maria","event":"30min","mode":"popup","label":"Talk \\u0022today\\u0022 \\u0026lt;3 \\u003cb\\u003enow\\u003c/b\\u003e"} /-->',
        '<!-- wp:paragraph --><p>Before the calendar alert(1)</p><!-- /wp:paragraph -->',
      ].join('\n'), 'the saved post keeps both blocks and loses the script the Author typed')

      const shortcode = await rest(author.page, wp, 'POST', '/wp/v2/posts', {
        title: 'Pray with us',
        status: 'publish',
        content: `<!-- wp:shortcode -->\n[churchhub_booking username="zack" event="30min" mode="popup" label='Pray "with" us &lt;3' brand-color="#c0ffee" lang="es" theme="night"]\n<!-- /wp:shortcode -->`,
      })
      posts.calendars = { id: calendars.id, link: calendars.link }
      posts.shortcode = { id: shortcode.id, link: shortcode.link }
    })

    await t.test('an administrator (unfiltered_html) writes markup into attributes, which WordPress stores as typed', async (t) => {
      const content = [
        '<!-- wp:churchhub/booking {"username":"maria","mode":"floating","label":"\\u0022\\u003e\\u003cimg src=x onerror=alert(1)\\u003e","brandColor":"red\\u0022 onclick=\\u0022alert(1)"} /-->',
        // A lone < or > inside a shortcode makes WordPress's typography filter miss the shortcode
        // and curl its quotes, so shortcode markup here is whole tags.
        `[churchhub_booking username="zack" mode="popup" label='"Pray" <b>now</b> & <script>alert(1)</script>' event="30min&quot;"]`,
        '[churchhub_booking username="zack&quot; onmouseover=&quot;alert(1)"]',
      ].join('\n')
      const post = await rest(admin.page, wp, 'POST', '/wp/v2/posts', { title: 'Unfiltered', status: 'publish', content })
      const saved = await rest(admin.page, wp, 'GET', `/wp/v2/posts/${post.id}?context=edit`)
      t.equal(saved.content.raw, content, 'no filter ran: only the plugin stands between these values and the page')
      posts.unfiltered = { id: post.id, link: post.link }
    })

    await t.test('without a server address, visitors get the posts with no calendar and no script', async (t) => {
      for (const post of [posts.calendars!, posts.shortcode!]) {
        const { status, html } = await visit(post.link)
        t.equal(status, 200)
        t.equal(count(html, '<churchhub-booking'), 0, 'no element')
        t.equal(count(html, '/widget/churchhub-booking.js'), 0, 'no script')
        t.equal(count(html, 'churchhub-booking-problem'), 0, 'no message meant for editors')
      }
    })

    await t.test('settings: a wrong address is refused with a plain message; the running server is saved', async (t) => {
      t.same(await saveSettings(admin.page, wp, { server: 'http://example.org' }), [
        'The server address was not saved: "http://example.org" must start with https:// (plain http:// is accepted only for localhost).',
      ])
      const nobody = `http://localhost:${await freePort()}`
      const unreachable = await saveSettings(admin.page, wp, { server: nobody })
      t.equal(unreachable.length, 1)
      t.match(unreachable[0], new RegExp(`^The server address was not saved: Could not reach ${nobody} \\(.+\\)\\. Check the address and that the server is running\\.$`))
      t.same(await saveSettings(admin.page, wp, { server: `${server.url}/demo` }), [
        `The server address was not saved: ${server.url}/demo answered 404 to /health instead of a ChurchHub Booking server's "ok". Check the address.`,
      ])
      t.equal(await admin.page.inputValue('#churchhub_booking_server_url'), '', 'nothing was saved so far')

      t.same(await saveSettings(admin.page, wp, { server: `${server.url}/`, lang: '', color: '#1e6fd9' }), [
        `Settings saved. ${server.url} answers as a ChurchHub Booking server.`,
      ])
      t.equal(await admin.page.inputValue('#churchhub_booking_server_url'), server.url, 'saved without the trailing slash')
      t.equal(await admin.page.inputValue('#churchhub_booking_brand_color'), '#1e6fd9')
      t.equal(await admin.page.locator('.churchhub-booking-notice').count(), 0, 'the missing-address notice is gone')
    })

    const widgetTag = `<script type="module" src="${server.url}/widget/churchhub-booking.js" id="churchhub-booking-widget-js-module"></script>`

    await t.test('the post holds both calendars, every attribute escaped, and the widget script once', async (t) => {
      const { status, html } = await visit(posts.calendars!.link)
      t.equal(status, 200)
      t.same(html.match(/<churchhub-booking [^>]*>/g), [
        `<churchhub-booking api="${server.url}" username="zack" mode="inline" brand-color="#1e6fd9">`,
        `<churchhub-booking api="${server.url}" username="maria" event="30min" mode="popup" label="Talk &quot;today&quot; &lt;3 &lt;b&gt;now&lt;/b&gt;" brand-color="#1e6fd9">`,
      ])
      t.equal(count(html, `<div class="wp-block-churchhub-booking"><churchhub-booking api="${server.url}" username="zack"`), 1, 'the block wrapper carries the block class')
      t.equal(count(html, '/widget/churchhub-booking.js'), 1, 'the script is printed once for two calendars')
      t.equal(count(html, widgetTag), 1, 'as a module from the configured server')
      t.equal(count(html, '<script>alert(1)</script>'), 0)
    })

    await t.test('the shortcode post: the same element from shortcode attributes, invalid ones left out', async (t) => {
      const { status, html } = await visit(posts.shortcode!.link)
      t.equal(status, 200)
      t.same(html.match(/<churchhub-booking [^>]*>/g), [
        `<churchhub-booking api="${server.url}" username="zack" event="30min" mode="popup" label="Pray &quot;with&quot; us &lt;3" lang="es" brand-color="#c0ffee">`,
      ], 'theme="night" is not a theme, so it is dropped')
      t.equal(count(html, widgetTag), 1)
      t.equal(count(html, '/widget/churchhub-booking.js'), 1)
    })

    await t.test('markup typed into attributes comes out escaped, and invalid values are left out', async (t) => {
      const { status, html } = await visit(posts.unfiltered!.link)
      t.equal(status, 200)
      t.same(html.match(/<churchhub-booking [^>]*>/g), [
        `<churchhub-booking api="${server.url}" username="maria" mode="floating" label="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" brand-color="#1e6fd9">`,
        `<churchhub-booking api="${server.url}" username="zack" mode="popup" label="&quot;Pray&quot; &lt;b&gt;now&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;" brand-color="#1e6fd9">`,
      ], 'label escaped; a brand colour that is not a colour, an event slug with a quote and a username with a quote are dropped (the last calendar with it)')
      t.equal(count(html, '<script>alert(1)</script>'), 0)
      t.equal(count(html, '<img src=x'), 0)
      t.equal(count(html, widgetTag), 1)
    })

    await t.test('a page without a calendar has no widget script', async (t) => {
      const { status, html } = await visit(`${wp.url}/?page_id=2`)
      t.equal(status, 200)
      t.match(html, 'Sample Page')
      t.equal(count(html, '/widget/churchhub-booking.js'), 0)
      t.equal(count(html, '<churchhub-booking'), 0)
    })

    await t.test('a visitor books Pastor Zack in the inline calendar, and the popup opens Maria Lopez\'s', async (t) => {
      const visitor = await newPage()
      const read = await recordPage(visitor.page)
      await visitor.page.goto(posts.calendars!.link)
      t.equal(await visitor.page.locator('script[src*="/widget/churchhub-booking.js"]').count(), 1, 'one script element in the page')
      t.equal(await visitor.page.locator('churchhub-booking[mode="popup"]').getAttribute('label'), 'Talk "today" <3 <b>now</b>', 'the label arrives as the Author wrote it, as text')

      const attendee = { name: 'Visitor from WordPress', email: `wp-${version.replace('.', '-')}@example.org` }
      const booked = await bookThroughWidget(visitor.page, read, attendee)
      const stored = await eventually(async () => (await adminBookings()).find((b) => b.uid === booked.uid), 'the booking in GET /admin/bookings')
      t.equal(stored.host.username, 'zack', 'the booking is in GET /admin/bookings')

      const button = visitor.page.locator('churchhub-booking[mode="popup"]').getByRole('button')
      t.equal((await button.innerText()).trim(), 'Talk "today" <3 <b>now</b>', 'the popup button shows the label as plain text')
      await button.click()
      await visitor.page.waitForFunction(() => (window as any).__churchhub.ready.some((r: any) => r.mode === 'popup'), undefined, { timeout: 30_000 })
      const record = await read()
      t.same(record.ready.map((r: any) => r.mode), ['inline', 'popup'], 'churchhub-ready from the inline calendar, then from the popup')
      t.same(record.errors, [], 'no churchhub-error')
      t.same(record.pageErrors, [], 'no uncaught exception')
    })

    await t.test('the block editor shows each block as a card with its host and mode', async (t) => {
      const read = await recordPage(author.page)
      await openAdmin(author.page, wp, `/wp-admin/post.php?post=${posts.calendars!.id}&action=edit`)
      // The editor's canvas is an iframe on 6.5 and the page itself on 6.2.
      const canvas = await eventually(async () => {
        for (const frame of author.page.frames()) {
          if (await frame.locator('.churchhub-booking-editor').count().catch(() => 0) === 2) return frame
        }
      }, 'two ChurchHub Booking cards in the editor', 120_000)
      const cards = canvas.locator('.churchhub-booking-editor')
      const texts = (await cards.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim())
      t.same(texts, [
        'ChurchHub Booking Host: zack Mode: Inline calendar',
        'ChurchHub Booking Host: maria Mode: Popup button Event type: 30min',
      ])
      t.same((await read()).pageErrors, [], 'the editor script raised nothing')
    })

    await t.test('nothing left the machine, and WordPress logged nothing about the plugin', async (t) => {
      t.same(refused.flat().filter((url) => !WORDPRESS_OWN.test(url)), [], 'only WordPress\'s own images were asked for (and refused)')
      t.same(wp.debugLog().split('\n').filter((line) => line.includes('churchhub-booking')), [])
    })
    t.comment(`WordPress ${wp.release} on PHP ${php}: ${Math.round((Date.now() - started) / 1000)} s`)
  })
}
