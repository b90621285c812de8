import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { recordAudit } from '../audit.js'
import { hasAdminKey } from '../auth/admin-auth.js'
import { AppError } from '../errors.js'
import { ipActor, memberActor } from '../privacy/address.js'
import { verifyMemberAssertion } from '../tokens/member-assertion.js'

export interface TokenRouteOptions {
  /** Requests per IP per minute on /tokens/*; false turns the limit off (benchmarks). */
  rateLimit?: { max: number; timeWindowMs: number } | false
}

// Building an Intl formatter costs ~0.1 ms; the route is hot and the zones few, so remember them.
const knownZones = new Set<string>()
const TimeZone = z.string().max(64).refine((tz) => {
  if (knownZones.has(tz)) return true
  try { new Intl.DateTimeFormat('en', { timeZone: tz }) } catch { return false }
  if (knownZones.size < 1000) knownZones.add(tz)
  return true
}, 'expected an IANA time zone such as America/Chicago')
const Email = z.email().max(254)
const Name = z.string().trim().min(1).max(200)

const MintBody = z.object({ email: Email.optional(), name: Name.optional(), timeZone: TimeZone.optional() }).optional()
const AdminMintBody = z.object({ email: Email, name: Name, timeZone: TimeZone.optional() })
const ErrorReply = z.object({ error: z.object({ code: z.string(), message: z.string() }) })
const TokenReply = z.object({
  accessToken: z.string(),
  /** Milliseconds since the epoch, as Cal.com gives it. */
  accessTokenExpiresAt: z.number(),
  user: z.object({ id: z.number(), username: z.string().nullable(), email: z.string(), name: z.string() }),
})

const MEMBER_HEADER = 'x-churchhub-member'

/** Who is asking and for whom: the email comes from the admin's body or the signed assertion, never a bare browser post. */
function authenticate(request: FastifyRequest, body: z.infer<typeof MintBody>) {
  if (request.headers.authorization !== undefined) {
    if (!hasAdminKey(request)) throw new AppError(401, 'unauthorized', 'The Authorization header does not carry the admin API key; send "Bearer <ADMIN_API_KEY>", or a member assertion in X-ChurchHub-Member instead.', { 'www-authenticate': 'Bearer' })
    // The route schema has checked each field already; here only that the admin sent both.
    if (!body?.email || !body.name) AdminMintBody.parse(body ?? {})
    return { actor: 'admin', person: { email: body!.email!, name: body!.name!, timeZone: body!.timeZone } }
  }
  const assertion = request.headers[MEMBER_HEADER]
  if (typeof assertion === 'string' && assertion) {
    const secret = request.server.config.memberAssertionSecret
    if (!secret) throw new AppError(401, 'member_tokens_disabled', 'Member tokens are off on this server: set MEMBER_ASSERTION_SECRET to enable them.')
    const claims = verifyMemberAssertion(assertion, secret, request.server.clock.now())
    return { actor: memberActor(request.server.keyRing, claims.sub), person: { email: claims.email, name: claims.name, timeZone: body?.timeZone } }
  }
  throw new AppError(401, 'unauthorized', 'Send "Authorization: Bearer <ADMIN_API_KEY>" from your backend, or a member assertion in X-ChurchHub-Member from the browser.', { 'www-authenticate': 'Bearer' })
}

export const managedUserTokenRoutes: FastifyPluginAsyncZod<TokenRouteOptions> = async (app, options) => {
  const rateLimit = options.rateLimit === false ? false : { max: options.rateLimit?.max ?? 120, timeWindow: options.rateLimit?.timeWindowMs ?? 60_000 }
  const config = { rateLimit }
  const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 429: ErrorReply, 502: ErrorReply, 503: ErrorReply, 504: ErrorReply }

  // A refused caller is audited too (by address: there is no one else to name), never with what they sent.
  const refused = async (request: FastifyRequest, error: unknown) => {
    if (error instanceof AppError && error.statusCode === 401) {
      await recordAudit(app.db, { actor: ipActor(request.ip), action: 'token.refused', subject: null, detail: { route: request.routeOptions.url, code: error.code } }).catch(() => {})
    }
    throw error
  }

  app.post('/tokens/cal/managed-user', { config, schema: { body: MintBody, response: { 200: TokenReply, ...errors } } }, async (request, reply) => {
    let caller: ReturnType<typeof authenticate>
    try { caller = authenticate(request, request.body) } catch (error) { return refused(request, error) }
    const { actor, person } = caller
    const issued = await app.tokenStore.tokensFor(person, actor)
    reply.header('cache-control', 'no-store')
    return { ...issued, accessTokenExpiresAt: issued.accessTokenExpiresAt.getTime() }
  })

  // Cal.com Atoms' `refreshUrl`: called with the access token Cal.com just refused as expired.
  app.get('/tokens/cal/refresh', { config, schema: { response: { 200: z.object({ accessToken: z.string() }), ...errors } } }, async (request, reply) => {
    const header = request.headers.authorization
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : ''
    if (!token) return refused(request, new AppError(401, 'unauthorized', 'Send the expired access token as "Authorization: Bearer <accessToken>".', { 'www-authenticate': 'Bearer' }))
    const issued = await app.tokenStore.refreshFor(token, ipActor(request.ip)).catch((error: unknown) => refused(request, error))
    reply.header('cache-control', 'no-store')
    return { accessToken: issued.accessToken }
  })
}
