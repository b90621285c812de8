import t from 'tap'
import { ConfigError, loadConfig } from '../config.js'

const REAL = {
  CAL_API_URL: 'https://api.cal.com/v2',
  CAL_CLIENT_ID: 'client-123',
  CAL_CLIENT_SECRET: 'a-real-client-secret',
  CAL_WEBHOOK_SECRET: 'a-real-webhook-secret',
  ADMIN_API_KEY: 'a-long-admin-api-key-000',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
}

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}

t.test('with nothing set, the sandbox stands in and the development values are used', async (t) => {
  const config = loadConfig({})
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
})

t.test('a real Cal.com needs every secret, and each missing one is named', async (t) => {
  const lines = problems({ CAL_API_URL: 'https://api.cal.com/v2' })
  for (const name of ['CAL_CLIENT_ID', 'CAL_CLIENT_SECRET', 'CAL_WEBHOOK_SECRET', 'ADMIN_API_KEY', 'TOKEN_ENCRYPTION_KEY']) {
    t.ok(lines.some((l) => l.startsWith(`${name}:`)), `${name} is named`)
  }
  t.same(problems(REAL), [])
  const config = loadConfig(REAL)
  t.equal(config.sandbox, false)
  t.equal(config.cal.origin, 'https://app.cal.com')
  t.same(config.allowedOrigins, [], 'no cross-origin caller unless listed')
  t.equal(config.tokenEncryptionKey?.length, 32)
})

t.test('the sandbox development values are refused against a real Cal.com', async (t) => {
  const lines = problems({ ...REAL, ADMIN_API_KEY: 'sandbox-admin-key' })
  t.match(lines, [/^ADMIN_API_KEY: the sandbox's development value is refused/])
})

t.test('bad values are named with what is expected', async (t) => {
  t.match(problems({ PORT: 'eighty' }), [/^PORT: expected a port number/])
  t.match(problems({ PORT: '70000' }), [/^PORT:/])
  t.match(problems({ DATABASE_URL: 'mysql://x@y/z' }), [/^DATABASE_URL: expected postgres:\/\//])
  t.match(problems({ LOG_LEVEL: 'loud' }), [/^LOG_LEVEL:/])
  t.match(problems({ ...REAL, TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=' }), [/^TOKEN_ENCRYPTION_KEY: expected 32 bytes in base64/])
  t.match(problems({ ALLOWED_ORIGINS: 'https://ok.org, gracechurch.org/path' }), [/^ALLOWED_ORIGINS: "gracechurch.org\/path" is not an origin/])
  t.match(problems({ CAL_API_URL: 'ftp://cal' }), [/^CAL_API_URL: expected an http\(s\) URL/])
})

t.test('allowed origins are a trimmed list', async (t) => {
  const config = loadConfig({ ALLOWED_ORIGINS: ' https://grace.org/ ,https://www.grace.org' })
  t.same(config.allowedOrigins, ['https://grace.org', 'https://www.grace.org'])
})

t.test('forwarded client addresses are believed only when TRUST_PROXY says so', async (t) => {
  t.equal(loadConfig({}).trustProxy, false)
  t.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true)
  t.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1)
  t.same(loadConfig({ TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }).trustProxy, ['10.0.0.0/8', '127.0.0.1'])
  t.match(problems({ TRUST_PROXY: 'yes please' }), [/^TRUST_PROXY: expected true, false, a hop count/])
})
