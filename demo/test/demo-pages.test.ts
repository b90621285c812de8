import t from 'tap'
import { testConfig } from '../../server/test/helpers.js'
import { verifyMemberAssertion } from '../../server/tokens/member-assertion.js'
import { builderPagePolicy } from '../content-security-policy.js'
import { buildDemo } from './helpers.js'

const PAGES = ['/', '/demo/popup', '/demo/floating', '/demo/squarespace', '/demo/wordpress', '/demo/member', '/demo/admin']

const REAL_CAL = {
  CAL_API_URL: 'https://api.cal.com/v2',
  CAL_CLIENT_ID: 'church-client',
  CAL_CLIENT_SECRET: 'church-client-secret',
  CAL_WEBHOOK_SECRET: 'church-webhook-secret',
  ADMIN_API_KEY: 'a-real-admin-key-of-the-church',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
}

// The demo composition as `npm start` builds it, in sandbox mode, and pointed at the hosted
// Cal.com; apps with other secrets share the first one's database (migrating is the slow part).
const sandbox = await buildDemo(t)
const real = await buildDemo(t, { config: testConfig(REAL_CAL), db: sandbox.db })
const withOwnSecrets = (env: NodeJS.ProcessEnv) => buildDemo(t, { config: testConfig(env), db: sandbox.db })

t.test('in sandbox mode the pages are served beside the mounted sandbox; against a real Cal.com without it', async (t) => {
  const bookingPage = '/sandbox/cal/zack'
  t.equal((await sandbox.app.inject({ url: bookingPage })).statusCode, 200, 'the sandbox booking page the widget frames')
  t.equal((await sandbox.app.inject({ url: '/' })).statusCode, 200)
  t.equal((await real.app.inject({ url: bookingPage })).statusCode, 404, 'no sandbox against a real Cal.com')
  t.equal((await real.app.inject({ url: '/' })).statusCode, 200, 'the pages still are')
})

t.test('every demo page is served as HTML a strict CSP can allow: no inline script, style or handler', async (t) => {
  const { app } = sandbox
  for (const url of PAGES) {
    const res = await app.inject({ url })
    t.equal(res.statusCode, 200, url)
    t.match(res.headers['content-type'], /^text\/html/, url)
    t.notMatch(res.body, /\{\{\w+\}\}/, `${url} has every slot filled`)
    t.notMatch(res.body, /<script(?![^>]*\bsrc=)[^>]*>/, `${url} has no inline script`)
    t.notMatch(res.body, /<style|\sstyle=|\son[a-z]+=/i, `${url} has no inline style or event handler`)
  }
})

t.test('the home page carries the snippet exactly as a church pastes it', async (t) => {
  const { app } = sandbox
  const res = await app.inject({ url: '/' })
  t.match(res.body, /<script type="module" src="\/widget\/churchhub-booking\.js"><\/script>\s*<churchhub-booking username="zack"><\/churchhub-booking>/)
  t.equal(res.body.match(/<churchhub-booking\b/g)?.length, 1)
})

t.test('the builder pages are served under the strict policy, naming the configured Cal.com', async (t) => {
  const { app } = sandbox
  for (const url of ['/demo/squarespace', '/demo/wordpress']) {
    const res = await app.inject({ url })
    t.equal(res.headers['content-security-policy'],
      "default-src 'self'; script-src 'self' http://127.0.0.1:3000; frame-src http://127.0.0.1:3000; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; form-action 'self'", url)
  }
  t.equal((await app.inject({ url: '/' })).headers['content-security-policy'], undefined, 'the home page is the plain paste, without a policy')

  const real = builderPagePolicy(testConfig(REAL_CAL))
  const rest = "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; form-action 'self'"
  t.equal(real, `default-src 'self'; script-src 'self' https://app.cal.com; frame-src https://app.cal.com; ${rest}`)
  const selfHosted = builderPagePolicy(testConfig({ ...REAL_CAL, CAL_ORIGIN: 'https://cal.gracechurch.org', CAL_EMBED_JS_URL: 'https://embed.gracechurch.org/embed/embed.js' }))
  t.equal(selfHosted, `default-src 'self'; script-src 'self' https://embed.gracechurch.org; frame-src https://cal.gracechurch.org; ${rest}`)
})

t.test('the admin page holds the admin key only when it is the public development value', async (t) => {
  const page = (await sandbox.app.inject({ url: '/demo/admin' })).body
  t.match(page, '<meta name="churchhub-admin-key" content="sandbox-admin-key">')

  const ownKey = 'an-admin-key-the-operator-chose'
  const chosen = (await (await withOwnSecrets({ ADMIN_API_KEY: ownKey })).app.inject({ url: '/demo/admin' })).body
  t.notMatch(chosen, 'churchhub-admin-key', 'sandbox mode with a key of the operator\'s: no key in the page')
  t.notMatch(chosen, ownKey)
  t.match(chosen, 'id="key-form"', 'it asks for the key instead')

  const res = await real.app.inject({ url: '/demo/admin' })
  t.equal(res.statusCode, 200)
  t.notMatch(res.body, 'churchhub-admin-key" content', 'no key in the page')
  t.notMatch(res.body, REAL_CAL.ADMIN_API_KEY)
  t.match(res.body, 'id="key-form"', 'it asks for the key instead')
  t.equal(res.headers['content-security-policy'], "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
})

t.test('the member page renders a fresh assertion for the signed-in member, which the server accepts', async (t) => {
  const { app, clock } = sandbox
  const res = await app.inject({ url: '/demo/member' })
  const token = res.body.match(/<churchhub-booking username="zack" member-token="([^"]+)">/)?.[1]
  t.ok(token, 'the element carries member-token')
  const claims = await verifyMemberAssertion(token!, { secret: 'sandbox-member-secret', now: clock.now() })
  t.match(claims, { sub: 'member-1042', name: 'Ruth Alvarez', email: 'ruth.alvarez@example.org' }, 'the demo member, whatever else the assertion carries (exp)')
  t.equal(res.headers['cache-control'], 'no-store', 'a page with a member assertion is never cached')
  t.match(res.body, 'Signed in as <strong>Ruth Alvarez</strong>')

  const page = (await real.app.inject({ url: '/demo/member' })).body
  t.notMatch(page, 'member-token=', 'no assertion without MEMBER_ASSERTION_SECRET')
  t.match(page, 'Member sign-in is a sandbox-only demo')
})

t.test('the member page never signs with a secret of the operator\'s', async (t) => {
  const ownSecret = 'a-member-secret-the-church-chose-0123456789'
  for (const [mode, env] of [['sandbox mode', {}], ['a real Cal.com', REAL_CAL]] as const) {
    const { app } = await withOwnSecrets({ ...env, MEMBER_ASSERTION_SECRET: ownSecret })
    const page = (await app.inject({ url: '/demo/member' })).body
    t.equal(page.match(/member-token=/g), null, `${mode}: no assertion in the page`)
    t.match(page, 'Member sign-in is a sandbox-only demo', `${mode}: the page says why`)
  }
})

t.test('the pages say which Cal.com they use', async (t) => {
  t.match((await sandbox.app.inject({ url: '/' })).body, 'Offline Cal.com sandbox')
  t.match((await real.app.inject({ url: '/' })).body, 'Cal.com at app.cal.com')
})

t.test('assets are served with their types; anything else is a 404', async (t) => {
  const { app } = sandbox
  const types: Record<string, RegExp> = { 'site.css': /^text\/css/, 'admin.js': /^text\/javascript/, 'church.svg': /^image\/svg\+xml/ }
  for (const [file, type] of Object.entries(types)) {
    const res = await app.inject({ url: `/demo/assets/${file}` })
    t.equal(res.statusCode, 200, file)
    t.match(res.headers['content-type'], type, file)
  }
  for (const url of ['/demo/assets/nope.css', '/demo/assets/..%2F..%2Froutes.ts', '/demo/assets/%2e%2e%2findex.html']) {
    const res = await app.inject({ url })
    t.equal(res.statusCode, 404, url)
    t.equal(res.json().error.code, 'not_found', url)
  }
})
