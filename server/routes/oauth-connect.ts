import { createHash, randomBytes } from 'node:crypto'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { sql } from 'kysely'
import { z } from 'zod'
import { requireAdmin } from '../auth/admin-auth.js'
import { isCalError } from '../cal/errors.js'
import { AppError } from '../errors.js'
import { findHost } from '../hosts/hosts-repository.js'
import { Username } from './host-schemas.js'

/** What the connection reads and subscribes: profile, event types, bookings, and its webhook. */
export const OAUTH_SCOPES = ['PROFILE_READ', 'EVENT_TYPE_READ', 'BOOKING_READ', 'WEBHOOK_WRITE']
const STATE_TTL_MS = 10 * 60_000
const digest = (state: string) => createHash('sha256').update(state).digest('hex')

/**
 * "Continue with Cal.com" for a host. `state` is random, kept only as a digest bound to the host,
 * single use and short-lived. No PKCE: Cal.com's token endpoint refuses `code_verifier` from a
 * confidential client (extra keys are 400 invalid_request); PKCE is for its public clients.
 */
export const oauthConnectRoutes: FastifyPluginAsyncZod = async (app) => {
  const oauth = app.config.cal.oauth
  const redirectUri = `${app.config.publicUrl}/oauth/cal/callback`
  const notConfigured = () => new AppError(404, 'oauth_not_configured', 'Connecting with Cal.com OAuth needs CAL_OAUTH_CLIENT_ID and CAL_OAUTH_CLIENT_SECRET (an OAuth client made at Cal.com → Settings → Developer → OAuth); or connect the host with an API key.')

  app.get('/admin/hosts/:username/connection/oauth', { preHandler: requireAdmin, schema: { tags: ['admin'], security: [{ adminKey: [] }], summary: 'Start connecting a host with Cal.com OAuth (redirect, or {authorizeUrl} for JSON)', params: z.object({ username: Username }) } }, async (request, reply) => {
    if (!oauth) throw notConfigured()
    const host = await findHost(app.db, request.params.username)
    if (!host) throw new AppError(404, 'host_not_found', `No host "${request.params.username}" is registered; add it with POST /admin/hosts first.`)
    const state = randomBytes(32).toString('base64url')
    const now = app.clock.now()
    await app.db.deleteFrom('oauth_states').where('expires_at', '<', now).execute()
    await app.db.insertInto('oauth_states').values({ state_hash: digest(state), host_id: host.id, expires_at: new Date(now.getTime() + STATE_TTL_MS) }).execute()
    const url = new URL(oauth.authorizeUrl)
    url.search = new URLSearchParams({ client_id: oauth.clientId, redirect_uri: redirectUri, state, scope: OAUTH_SCOPES.join(',') }).toString()
    // A page's script cannot read a redirect's Location: it asks for JSON and navigates itself.
    if ((request.headers.accept ?? '').includes('application/json')) return { authorizeUrl: url.toString() }
    return reply.redirect(url.toString())
  })

  app.get('/oauth/cal/callback', {
    schema: { tags: ['oauth'], summary: 'Cal.com OAuth callback: exchanges the code and subscribes the host\'s webhook', querystring: z.object({ code: z.string().optional(), state: z.string().max(200).optional(), error: z.string().optional(), error_description: z.string().optional() }) },
  }, async (request) => {
    if (!oauth) throw notConfigured()
    const q = request.query
    const now = app.clock.now()
    // Single use: the state row goes whatever happens next.
    const row = q.state ? await app.db.deleteFrom('oauth_states').where('state_hash', '=', digest(q.state)).where('expires_at', '>', sql<Date>`${now}`).returning('host_id').executeTakeFirst() : undefined
    if (!row) throw new AppError(400, 'invalid_oauth_state', 'This authorization is unknown, used or older than 10 minutes; start again from GET /admin/hosts/<username>/connection/oauth.')
    if (q.error || !q.code) throw new AppError(400, 'oauth_denied', `Cal.com did not authorize the connection (${q.error ?? 'no code'}${q.error_description ? `: ${q.error_description}` : ''}).`)
    const host = await app.db.selectFrom('hosts').select('username').where('id', '=', row.host_id).executeTakeFirst()
    if (!host) throw new AppError(404, 'host_not_found', 'The host this authorization was for was removed meanwhile.')
    let tokens
    try {
      tokens = await app.calAccount.oauthToken({ client_id: oauth.clientId, grant_type: 'authorization_code', code: q.code, redirect_uri: redirectUri, client_secret: oauth.clientSecret })
    } catch (error) {
      if (isCalError(error) && error.calStatus !== undefined && error.calStatus < 500) {
        throw new AppError(400, 'oauth_exchange_failed', `Cal.com refused the authorization code (${error.calStatus}: ${error.calMessage ?? 'no reason given'}); start the connection again.`)
      }
      throw error
    }
    return app.hostConnections.connect(host.username, { method: 'oauth', tokens }, 'admin:oauth')
  })
}
