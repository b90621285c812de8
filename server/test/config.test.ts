import t, { type Test } from 'tap'
import { ConfigError, type LoadConfigOptions, loadConfig } from '../config.js'
import { REAL_ENV } from './helpers.js'

/** As the demo composition reads the environment: sandbox mode when CAL_API_URL is unset. */
const DEMO: LoadConfigOptions = { allowSandbox: true }

/** The one problem in `list`: a claim about a single problem fails when there are others. */
function exactlyOne(t: Test, list: string[]): string {
  t.equal(list.length, 1, `one problem: ${list.join(' | ')}`)
  return list[0] ?? ''
}

function problems(env: NodeJS.ProcessEnv, options: LoadConfigOptions = DEMO): string[] {
  try {
    loadConfig(env, options)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}

t.test('in the demo, with nothing set, the sandbox stands in and the development values are used', async (t) => {
  const config = loadConfig({}, DEMO)
  t.equal(config.sandbox, true)
  t.equal(config.port, 3000)
  t.equal(config.host, '127.0.0.1')
  t.equal(config.dataDir, './.data')
  t.equal(config.databaseUrl, undefined)
  t.equal(config.cal.clientId, 'sandbox-client')
  t.equal(config.cal.webhookSecret, 'sandbox-webhook-secret')
  t.equal(config.adminApiKey, 'sandbox-admin-key')
  t.equal(config.memberAssertionSecret, 'sandbox-member-secret')
  t.equal(config.cal.apiUrl, 'http://127.0.0.1:3000/sandbox/cal/v2')
  t.equal(config.cal.embedJsUrl, 'http://127.0.0.1:3000/sandbox/cal/embed/embed.js')
  t.equal(config.allowedOrigins, '*')
  t.equal(config.logLevel, 'info')
  t.equal(config.publicUrl, 'http://localhost:3000', 'the address npm start prints')
})

t.test('the product never chooses the sandbox: without CAL_API_URL it is Cal.com\'s hosted API', async (t) => {
  const { CAL_API_URL: _, ...hosted } = REAL_ENV
  const config = loadConfig(hosted)
  t.equal(config.sandbox, false)
  t.equal(config.cal.apiUrl, 'https://api.cal.com/v2')
  t.equal(config.cal.origin, 'https://app.cal.com')
  t.equal(config.cal.embedJsUrl, 'https://app.cal.com/embed/embed.js')
  t.equal(config.publicUrl, 'https://booking.gracechurch.org')

  t.same(problems({}, {}).map((line) => line.split(':')[0]),
    ['ADMIN_API_KEY', 'TOKEN_ENCRYPTION_KEY', 'PUBLIC_URL'],
    'an empty environment is a production server missing its secrets, not a sandbox')
  t.same(problems({ ...hosted, ADMIN_API_KEY: 'sandbox-admin-key', CAL_CLIENT_SECRET: 'sandbox-secret' }, {}).map((line) => line.split(':')[0]),
    ['CAL_CLIENT_SECRET', 'ADMIN_API_KEY'], 'and the sandbox\'s development values are refused')
})

t.test('PUBLIC_URL: required by the product, the listening address by default in the demo', async (t) => {
  const { PUBLIC_URL: _, ...withoutPublicUrl } = REAL_ENV
  t.same(problems(withoutPublicUrl, {}), ['PUBLIC_URL: required: the https address browsers and Cal.com reach this server at, e.g. https://booking.gracechurch.org'])
  t.equal(loadConfig(withoutPublicUrl, DEMO).publicUrl, 'http://localhost:3000')
  t.equal(loadConfig({ ...withoutPublicUrl, PORT: '8080', HOST: '192.168.1.20' }, DEMO).publicUrl, 'http://192.168.1.20:8080')
  t.equal(loadConfig({ ...REAL_ENV, PUBLIC_URL: 'https://booking.gracechurch.org/' }).publicUrl, 'https://booking.gracechurch.org', 'no trailing slash')
  t.match(exactlyOne(t, problems({ ...REAL_ENV, PUBLIC_URL: 'booking.gracechurch.org' }, {})), /^PUBLIC_URL: expected an http\(s\) URL/)
})

t.test('sandbox mode listens on loopback only, unless SANDBOX_ALLOW_PUBLIC_HOST=true says so on purpose', async (t) => {
  for (const host of ['127.0.0.1', '127.0.1.1', 'localhost', '::1', '[::1]']) t.same(problems({ HOST: host }), [], host)
  for (const host of ['0.0.0.0', '::', '192.168.1.20', 'demo.gracechurch.org']) {
    t.same(problems({ HOST: host }), [
      `HOST: sandbox mode listens on loopback only (127.0.0.1, ::1 or localhost): its development keys are public and its control routes unauthenticated, so "${host}" would offer them to the network. ` +
      'Set CAL_API_URL for a real Cal.com, or SANDBOX_ALLOW_PUBLIC_HOST=true to expose the sandbox on purpose (a throwaway demo machine, never real data).',
    ], host)
  }
  const exposed = loadConfig({ HOST: '0.0.0.0', SANDBOX_ALLOW_PUBLIC_HOST: 'true' }, DEMO)
  t.equal(exposed.sandbox, true)
  t.equal(exposed.host, '0.0.0.0')
  t.match(exactlyOne(t, problems({ HOST: '0.0.0.0', SANDBOX_ALLOW_PUBLIC_HOST: 'false' })), /^HOST: sandbox mode listens on loopback only/)
  t.match(exactlyOne(t, problems({ HOST: '0.0.0.0', SANDBOX_ALLOW_PUBLIC_HOST: 'yes' })), /^SANDBOX_ALLOW_PUBLIC_HOST: expected true or false/)
  t.same(problems({ ...REAL_ENV, HOST: '0.0.0.0' }), [], 'against a real Cal.com any HOST will do')
  t.same(problems({ ...REAL_ENV, HOST: '0.0.0.0' }, {}), [], 'and for the product')
})

t.test('a real Cal.com needs its secrets (Platform ones no longer), and each missing one is named', async (t) => {
  const lines = problems({ CAL_API_URL: 'https://api.cal.com/v2' }, {})
  for (const name of ['ADMIN_API_KEY', 'TOKEN_ENCRYPTION_KEY']) {
    t.ok(lines.some((l) => l.startsWith(`${name}:`)), `${name} is named`)
  }
  t.same(problems(REAL_ENV, {}), [])
  const config = loadConfig(REAL_ENV)
  t.equal(config.sandbox, false)
  t.equal(config.cal.origin, 'https://app.cal.com')
  t.same(config.allowedOrigins, [], 'no cross-origin caller unless listed')
  t.equal(config.tokenEncryptionKey?.length, 32)
})

t.test('the sandbox development values are refused against a real Cal.com', async (t) => {
  const lines = problems({ ...REAL_ENV, ADMIN_API_KEY: 'sandbox-admin-key' })
  t.match(exactlyOne(t, lines), /^ADMIN_API_KEY: the sandbox's development value is refused/)
})

t.test('bad values are named with what is expected', async (t) => {
  t.match(exactlyOne(t, problems({ PORT: 'eighty' })), /^PORT: expected a port number/)
  t.match(exactlyOne(t, problems({ PORT: '70000' })), /^PORT:/)
  t.match(exactlyOne(t, problems({ DATABASE_URL: 'mysql://x@y/z' })), /^DATABASE_URL: expected postgres:\/\//)
  t.match(exactlyOne(t, problems({ LOG_LEVEL: 'loud' })), /^LOG_LEVEL:/)
  t.match(exactlyOne(t, problems({ ...REAL_ENV, TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=' })), /^TOKEN_ENCRYPTION_KEY: expected 32 bytes in base64/)
  t.match(exactlyOne(t, problems({ ALLOWED_ORIGINS: 'https://ok.org, gracechurch.org/path' })), /^ALLOWED_ORIGINS: "gracechurch.org\/path" is not an origin/)
  t.match(exactlyOne(t, problems({ CAL_API_URL: 'ftp://cal' })), /^CAL_API_URL: expected an http\(s\) URL/)
})

t.test('allowed origins are a trimmed list', async (t) => {
  const config = loadConfig({ ALLOWED_ORIGINS: ' https://grace.org/ ,https://www.grace.org' }, DEMO)
  t.same(config.allowedOrigins, ['https://grace.org', 'https://www.grace.org'])
})

t.test('forwarded client addresses are believed only when TRUST_PROXY says so', async (t) => {
  t.equal(loadConfig(REAL_ENV).trustProxy, false)
  t.equal(loadConfig({ ...REAL_ENV, TRUST_PROXY: 'true' }).trustProxy, true)
  t.equal(loadConfig({ ...REAL_ENV, TRUST_PROXY: '1' }).trustProxy, 1)
  t.same(loadConfig({ ...REAL_ENV, TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }).trustProxy, ['10.0.0.0/8', '127.0.0.1'])
  t.match(exactlyOne(t, problems({ TRUST_PROXY: 'yes please' })), /^TRUST_PROXY: expected true, false, a hop count/)
})

t.test('real mode without Platform: the Cal.com client pair and the shared webhook secret are optional', async (t) => {
  const { CAL_CLIENT_ID: _id, CAL_CLIENT_SECRET: _secret, CAL_WEBHOOK_SECRET: _hook, ...noPlatform } = REAL_ENV
  const config = loadConfig(noPlatform)
  t.same([config.cal.clientId, config.cal.clientSecret, config.cal.webhookSecret, config.cal.oauth], [undefined, undefined, undefined, undefined])
  t.equal(config.reconcileIntervalMs, 300_000, 'reconciliation every 5 minutes by default')
  t.equal(loadConfig({ ...noPlatform, RECONCILE_INTERVAL: '90s' }).reconcileIntervalMs, 90_000)
  t.same(problems({ ...noPlatform, CAL_CLIENT_ID: 'only-the-id' }, {}).map((line) => line.split(':')[0]), ['CAL_CLIENT_SECRET'], 'half a pair is refused')
  const oauth = loadConfig({ ...noPlatform, CAL_OAUTH_CLIENT_ID: 'church-oauth', CAL_OAUTH_CLIENT_SECRET: 'church-oauth-secret' }).cal.oauth
  t.same(oauth, { clientId: 'church-oauth', clientSecret: 'church-oauth-secret', authorizeUrl: 'https://app.cal.com/auth/oauth2/authorize', tokenUrl: 'https://api.cal.com/v2/auth/oauth2/token' })
})
