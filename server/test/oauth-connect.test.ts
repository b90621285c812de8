import t, { type Test } from 'tap'
import { ManualClock } from '../clock.js'
import { ADMIN, connectedSetup } from './connect-helpers.js'

async function oauthSetup(t: Test) {
  const clock = new ManualClock('2026-01-05T15:00:00Z')
  const setup = await connectedSetup(t, { clock })
  Object.assign(setup.config.cal.oauth!, { authorizeUrl: `${setup.sandbox.url}/auth/oauth2/authorize`, tokenUrl: `${setup.sandbox.url}/v2/auth/oauth2/token` })
  await setup.inject({ method: 'POST', url: '/admin/hosts', headers: ADMIN, payload: { username: 'zack', name: 'Pastor Zack', calLink: 'zack' } })
  /** The admin starts, the pastor presses Allow at the sandbox's consent page; answers Cal.com's redirect back to us. */
  const authorize = async (username = 'zack', as = username) => {
    const start = await setup.inject({ method: 'GET', url: `/admin/hosts/${username}/connection/oauth`, headers: { ...ADMIN, accept: 'application/json' } })
    if (start.statusCode !== 200) throw new Error(start.body)
    const url = new URL(start.json().authorizeUrl)
    const form = new URLSearchParams({ username: as, client_id: url.searchParams.get('client_id')!, redirect_uri: url.searchParams.get('redirect_uri')!, state: url.searchParams.get('state')! })
    const consent = await fetch(url.origin + url.pathname, { method: 'POST', body: form, redirect: 'manual' })
    if (consent.status !== 302) throw new Error(`${consent.status} ${await consent.text()}`)
    return { start: url, back: new URL(consent.headers.get('location')!) }
  }
  return { ...setup, clock, authorize }
}

t.test('OAuth: state bound to the host and single use; the code exchanged, tokens encrypted, the webhook subscribed', async (t) => {
  const { authorize, inject, db, sandbox, config } = await oauthSetup(t)
  const { start, back } = await authorize()
  t.equal(start.searchParams.get('scope'), 'PROFILE_READ,EVENT_TYPE_READ,BOOKING_READ,WEBHOOK_WRITE')
  t.equal(start.searchParams.get('redirect_uri'), `${config.publicUrl}/oauth/cal/callback`)
  t.equal(start.searchParams.get('code_challenge'), null, 'no PKCE: Cal.com refuses code_verifier from a confidential client')
  const done = await inject({ method: 'GET', url: back.pathname + back.search })
  t.equal(done.statusCode, 200, done.body)
  t.same([done.json().connected, done.json().calUsername], [true, 'zack'])
  const row = await db.selectFrom('host_connections').selectAll().executeTakeFirstOrThrow()
  t.same([row.method, row.refresh_token_enc !== null, row.credential_enc.startsWith('sbx_')], ['oauth', true, false])
  t.equal(sandbox.state.userWebhooks.ofUser(101).length, 1)
  const replay = await inject({ method: 'GET', url: back.pathname + back.search })
  t.same([replay.statusCode, replay.json().error.code], [400, 'invalid_oauth_state'], 'a state is used once')
  const forged = await inject({ method: 'GET', url: '/oauth/cal/callback?code=x&state=made-up' })
  t.same([forged.statusCode, forged.json().error.code], [400, 'invalid_oauth_state'])
})

t.test('OAuth tokens are refreshed ahead of expiry exactly once however many ask at once', async (t) => {
  const { authorize, inject, app, clock, db } = await oauthSetup(t)
  const { back } = await authorize()
  await inject({ method: 'GET', url: back.pathname + back.search })
  const before = await db.selectFrom('host_connections').selectAll().executeTakeFirstOrThrow()
  clock.advance(26 * 60_000) // 4 minutes left of 30: inside the refresh-ahead window
  const bearers = await Promise.all(Array.from({ length: 10 }, async () => app.hostConnections.bearerFor(before)))
  t.equal(new Set(bearers).size, 1, 'every caller got the one new token (a second refresh would have failed: the refresh token is single use)')
  t.equal((await db.selectFrom('audit_log').select('id').where('action', '=', 'host.token_refreshed').execute()).length, 1)
  const res = await inject({ method: 'POST', url: '/admin/reconcile', headers: ADMIN })
  t.equal(res.json().hosts[0].error, undefined, 'and it calls Cal.com')
})
