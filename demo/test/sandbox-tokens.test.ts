import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { ManualClock } from '../../server/clock.js'
import { startSandbox } from '../sandbox/standalone.js'

const secret = { 'x-cal-secret-key': 'sandbox-secret' }
const json = { ...secret, 'content-type': 'application/json' }

async function call(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init)
  return { status: res.status, body: await res.json() as any }
}

async function sandboxWithUser(t: Test, start = '2026-01-05T15:00:30.000Z', extra: { dataFile?: string } = {}) {
  const clock = new ManualClock(start)
  const sandbox = await startSandbox({ clock, ...extra })
  t.teardown(() => sandbox.close())
  const users = `${sandbox.url}/v2/oauth-clients/sandbox-client/users`
  const created = await call(users, { method: 'POST', headers: json, body: JSON.stringify({ email: 'member@gracechurch.org', name: 'A Member', timeZone: 'America/Chicago' }) })
  const me = (token: string) => call(`${sandbox.url}/v2/me`, { headers: { authorization: `Bearer ${token}` } })
  const refresh = (refreshToken: string, headers: Record<string, string> = json, clientId = 'sandbox-client') =>
    call(`${sandbox.url}/v2/oauth/${clientId}/refresh`, { method: 'POST', headers, body: JSON.stringify({ refreshToken }) })
  return { sandbox, clock, users, user: created.body.data.user, tokens: created.body.data, me, refresh }
}

t.test('expiry times: access rounded down to the minute after 60 minutes, refresh to the day after a year', async (t) => {
  const { tokens } = await sandboxWithUser(t, '2026-01-05T15:00:30.000Z')
  t.equal(tokens.accessTokenExpiresAt, Date.parse('2026-01-05T16:00:00.000Z'))
  t.equal(tokens.refreshTokenExpiresAt, Date.parse('2027-01-05T00:00:00.000Z'))
})

t.test('an access token works until its stored expiry, then answers 498', async (t) => {
  const { clock, tokens, me, user } = await sandboxWithUser(t)
  const ok = await me(tokens.accessToken)
  t.equal(ok.status, 200)
  t.match(ok.body, { status: 'success', data: { id: user.id, email: 'member+sandbox-client@gracechurch.org', username: user.username, timeZone: 'America/Chicago' } })
  clock.set(tokens.accessTokenExpiresAt - 1)
  t.equal((await me(tokens.accessToken)).status, 200, 'one millisecond before expiry')
  clock.set(tokens.accessTokenExpiresAt)
  const expired = await me(tokens.accessToken)
  t.equal(expired.status, 498)
  t.same(expired.body.error, { code: 'TokenExpiredException', message: 'Token Expired Exception' })
})

t.test('refresh rotates: a used refresh token is dead, older access tokens live until they expire', async (t) => {
  const { tokens, refresh, me } = await sandboxWithUser(t)
  const first = await refresh(tokens.refreshToken)
  t.equal(first.status, 200)
  t.not(first.body.data.refreshToken, tokens.refreshToken)
  const again = await refresh(tokens.refreshToken)
  t.equal(again.status, 400)
  t.equal(again.body.error.message, 'Invalid refresh token')
  t.equal((await me(tokens.accessToken)).status, 200, 'the access token issued before the refresh still works')
  t.equal((await me(first.body.data.accessToken)).status, 200)
  t.equal((await refresh(first.body.data.refreshToken)).status, 200, 'the new refresh token works once')
  t.equal((await refresh('garbage')).status, 400)
})

t.test('an expired access token is refreshed through /refresh and the new one works', async (t) => {
  const { clock, tokens, refresh, me } = await sandboxWithUser(t)
  clock.advance(2 * 3600_000)
  t.equal((await me(tokens.accessToken)).status, 498)
  const next = await refresh(tokens.refreshToken)
  t.equal(next.status, 200)
  t.equal((await me(next.body.data.accessToken)).status, 200)
  t.equal(next.body.data.accessTokenExpiresAt, Math.floor((clock.now().getTime() + 3600_000) / 60_000) * 60_000)
})

t.test('force-refresh revokes every earlier token: old access 401, old refresh 400', async (t) => {
  const { users, user, tokens, refresh, me } = await sandboxWithUser(t)
  const forced = await call(`${users}/${user.id}/force-refresh`, { method: 'POST', headers: secret })
  t.equal(forced.status, 200)
  t.same(Object.keys(forced.body.data).sort(), ['accessToken', 'accessTokenExpiresAt', 'refreshToken', 'refreshTokenExpiresAt'])
  const revoked = await me(tokens.accessToken)
  t.equal(revoked.status, 401)
  t.equal(revoked.body.error.message, 'Invalid Access Token.')
  t.equal((await refresh(tokens.refreshToken)).status, 400)
  t.equal((await me(forced.body.data.accessToken)).status, 200)
  t.equal((await call(`${users}/999/force-refresh`, { method: 'POST', headers: secret })).status, 404)
})

t.test('client credentials: wrong or missing secret or client id answer 401 on user routes, 400/401 on /refresh', async (t) => {
  const { sandbox, users, tokens, refresh } = await sandboxWithUser(t)
  const wrongSecret = await call(users, { headers: { 'x-cal-secret-key': 'nope' } })
  t.equal(wrongSecret.status, 401)
  t.match(wrongSecret.body, { status: 'error', error: { code: 'UnauthorizedException', message: /Invalid client secret/ } })
  const wrongClient = await call(`${sandbox.url}/v2/oauth-clients/other-client/users`, { headers: secret })
  t.equal(wrongClient.status, 401)
  t.match(wrongClient.body.error.message, /Client with ID other-client not found/)
  t.equal((await call(users)).status, 401, 'no secret')
  t.equal((await call(`${sandbox.url}/v2/oauth-clients/other-client/webhooks`, { headers: secret })).status, 401)

  t.equal((await refresh(tokens.refreshToken, { 'content-type': 'application/json' })).status, 401, 'refresh without a secret')
  const bad = await refresh(tokens.refreshToken, { ...json, 'x-cal-secret-key': 'nope' })
  t.equal(bad.status, 400)
  t.equal(bad.body.error.message, 'Invalid OAuthClient credentials.')
  t.equal((await refresh(tokens.refreshToken, json, 'other-client')).status, 400)
  t.equal((await refresh(tokens.refreshToken)).status, 200, 'the refresh token was not consumed by the refused calls')
})

t.test('managed users: list paging, validation, email change, delete', async (t) => {
  const { users, user, tokens, me } = await sandboxWithUser(t)
  for (const n of [2, 3]) {
    t.equal((await call(users, { method: 'POST', headers: json, body: JSON.stringify({ email: `m${n}@gracechurch.org`, name: `M${n}` }) })).status, 201)
  }
  t.equal((await call(users, { headers: secret })).body.data.length, 3)
  t.same((await call(`${users}?limit=1&offset=1`, { headers: secret })).body.data.map((u: any) => u.email), ['m2+sandbox-client@gracechurch.org'])
  t.equal((await call(`${users}?limit=251`, { headers: secret })).status, 400)
  const invalid = await call(`${users}?emails=not-an-email`, { headers: secret })
  t.equal(invalid.status, 400)
  t.equal(invalid.body.error.message, 'Invalid email not-an-email')
  for (const body of [{ email: 'x@y.org', name: 'X', timeZone: 'Mars/Olympus' }, { email: 'x@y.org', name: 'X', timeZone: '' }, { email: 'x@y.org', name: 'X', timeFormat: 13 }, { name: 'no email' }]) {
    t.equal((await call(users, { method: 'POST', headers: json, body: JSON.stringify(body) })).status, 400, JSON.stringify(body))
  }
  const noZone = await call(users, { method: 'POST', headers: json, body: JSON.stringify({ email: 'z@y.org', name: 'Z', timeZone: null }) })
  t.equal(noZone.body.data.user.timeZone, 'Europe/London')
  t.equal(noZone.body.data.user.defaultScheduleId, null, 'no default schedule without a time zone')

  const moved = await call(`${users}/${user.id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ email: 'jo.doe@mail.example.co.uk' }) })
  t.equal(moved.body.data.email, 'jo.doe+sandbox-client@mail.example.co.uk')
  t.equal(moved.body.data.username, 'jo.doe-sandbox-client-mail-example')

  t.equal((await call(`${users}/abc`, { headers: secret })).status, 400)
  const missing = await call(`${users}/424242`, { headers: secret })
  t.equal(missing.status, 404)
  t.equal(missing.body.error.message, 'User with ID 424242 is not part of this OAuth client.')
  const deleted = await call(`${users}/${user.id}`, { method: 'DELETE', headers: secret })
  t.equal(deleted.status, 200)
  t.equal(deleted.body.data.id, user.id)
  t.equal((await me(tokens.accessToken)).status, 401, 'a deleted user\'s tokens are gone')
  t.equal((await call(`${users}/${user.id}`, { headers: secret })).status, 404)
})

t.test('with a data file, users and tokens survive a restart; another client id starts afresh', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const dataFile = join(dir, 'sandbox.json')
  const first = await sandboxWithUser(t, '2026-01-05T15:00:30.000Z', { dataFile })
  await first.sandbox.close()

  const again = await startSandbox({ clock: first.clock, dataFile })
  t.teardown(() => again.close())
  const me = await call(`${again.url}/v2/me`, { headers: { authorization: `Bearer ${first.tokens.accessToken}` } })
  t.equal(me.status, 200)
  t.equal(me.body.data.id, first.user.id)
  const dup = await call(`${again.url}/v2/oauth-clients/sandbox-client/users`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'member@gracechurch.org', name: 'A Member' }) })
  t.equal(dup.status, 409)

  const other = await startSandbox({ clock: first.clock, dataFile, clientId: 'another-client' })
  t.teardown(() => other.close())
  t.same((await call(`${other.url}/v2/oauth-clients/another-client/users`, { headers: secret })).body.data, [])
})
