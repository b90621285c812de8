import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { escapeHtml } from '../pages/html.js'
import { OAuthCodes, SANDBOX_OAUTH_CLIENT } from '../oauth-codes.js'
import type { SandboxState } from '../state.js'

const CONFIDENTIAL = {
  authorization_code: ['client_id', 'grant_type', 'code', 'redirect_uri', 'client_secret'],
  refresh_token: ['client_id', 'grant_type', 'refresh_token', 'client_secret'],
} as const

/** The token endpoint's own error body, not Cal.com's envelope (docs/connecting-cal-com.md, "The Cal.com facts this relies on"). */
const oauthError = (reply: FastifyReply, status: number, error: string, description: string) =>
  reply.code(status).header('cache-control', 'no-store').send({ error, error_description: description })

/**
 * "Continue with Cal.com": the authorize page (a consent button per seeded user, since nobody signs
 * in to the sandbox) and POST /v2/auth/oauth2/token for the sandbox's confidential client.
 */
export const oauth2Routes: FastifyPluginAsync<{ state: SandboxState }> = async (app, { state }) => {
  const codes = new OAuthCodes()
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })

  app.get('/auth/oauth2/authorize', async (request, reply) => {
    const q = request.query as Record<string, string | undefined>
    if (!q.redirect_uri) return reply.code(400).type('text/plain').send('redirect_uri is required')
    const back = (params: Record<string, string>) => {
      const url = new URL(q.redirect_uri!)
      for (const [k, v] of Object.entries({ ...params, ...(q.state ? { state: q.state } : {}) })) url.searchParams.set(k, v)
      return url.toString()
    }
    if (q.client_id !== SANDBOX_OAUTH_CLIENT.clientId) return reply.redirect(back({ error: 'unauthorized_client', error_description: 'client_not_found' }))
    const buttons = state.hosts.map((h) =>
      `<button name="username" value="${escapeHtml(h.username)}">Allow as ${escapeHtml(h.name)} (${escapeHtml(h.username)})</button>`).join('\n')
    const hidden = ['client_id', 'redirect_uri', 'state', 'scope'].map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(q[k] ?? '')}">`).join('')
    return reply.type('text/html; charset=utf-8').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorize ChurchHub — Cal.com sandbox</title></head>
<body><h1>ChurchHub Booking wants to access your Cal.com account</h1><p>Scopes: ${escapeHtml(q.scope ?? '(none)')}</p>
<form method="post" action="authorize">${hidden}${buttons}<button name="deny" value="1">Deny</button></form></body></html>`)
  })

  app.post('/auth/oauth2/authorize', async (request, reply) => {
    const f = (request.body ?? {}) as Record<string, string>
    const url = new URL(f.redirect_uri ?? '')
    if (f.state) url.searchParams.set('state', f.state)
    if (f.deny || !f.username || !state.findHost(f.username)) url.searchParams.set('error', 'access_denied')
    else url.searchParams.set('code', codes.issue({ username: f.username, clientId: f.client_id ?? '', redirectUri: f.redirect_uri ?? '' }, state.clock.now().getTime()))
    return reply.redirect(url.toString())
  })

  app.post('/v2/auth/oauth2/token', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const now = state.clock.now().getTime()
    if (!body.client_id) return oauthError(reply, 400, 'invalid_request', 'client_id is required')
    const grant = body.grant_type
    if (grant !== 'authorization_code' && grant !== 'refresh_token') return oauthError(reply, 400, 'invalid_request', "grant_type must be 'authorization_code' or 'refresh_token'")
    if (!('client_secret' in body)) return oauthError(reply, 400, 'invalid_request', 'the sandbox client is confidential: client_secret is required')
    const allowed: readonly string[] = CONFIDENTIAL[grant]
    const extra = Object.keys(body).find((k) => !allowed.includes(k))
    if (extra) return oauthError(reply, 400, 'invalid_request', `${extra} property is wrong,property ${extra} should not exist`)
    const missing = allowed.find((k) => typeof body[k] !== 'string' || body[k] === '')
    if (missing) return oauthError(reply, 400, 'invalid_request', `${missing} property is wrong,${missing} must be a string`)
    if (body.client_id !== SANDBOX_OAUTH_CLIENT.clientId) return oauthError(reply, 401, 'invalid_client', 'client_not_found')
    if (body.client_secret !== SANDBOX_OAUTH_CLIENT.clientSecret) return oauthError(reply, 401, 'invalid_client', 'invalid_client_credentials')
    let tokens
    if (grant === 'authorization_code') {
      const g = codes.redeem(String(body.code), String(body.client_id), String(body.redirect_uri), now)
      if (!g) return oauthError(reply, 400, 'invalid_grant', 'code_invalid_or_expired')
      tokens = state.accounts.issue(g.username, g.clientId, now)
    } else {
      tokens = state.accounts.refresh(String(body.refresh_token), String(body.client_id), now)
      if (!tokens) return oauthError(reply, 400, 'invalid_grant', 'invalid_refresh_token')
    }
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(tokens)
  })
}
