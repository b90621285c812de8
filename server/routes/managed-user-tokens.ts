import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { bearerOf, keyMatches } from '../auth/admin-auth.js'
import { MEMBER_HEADER, memberFrom } from '../auth/member-auth.js'
import { AppError, ErrorReply } from '../errors.js'
import { spendAssertion } from '../tokens/assertion-uses.js'
import { ipActor, memberActor } from '../privacy/address.js'

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
const TokenReply = z.object({
  accessToken: z.string(),
  /** Milliseconds since the epoch, as Cal.com gives it. */
  accessTokenExpiresAt: z.number(),
  user: z.object({ id: z.number(), username: z.string().nullable(), email: z.string(), name: z.string() }),
})

/**
 * Who is asking and for whom: the email comes from the token key's body or the signed assertion,
 * never a bare browser post. The admin key is not enough: minting is TOKEN_API_KEY's one power.
 */
async function authenticate(request: FastifyRequest, body: z.infer<typeof MintBody>) {
  const { config, failedKeyAttempts, db, clock } = request.server
  if (request.headers.authorization !== undefined) {
    failedKeyAttempts.check(request.ip)
    if (!keyMatches(bearerOf(request), config.tokenApiKey)) {
      failedKeyAttempts.fail(request.ip)
      throw new AppError(401, 'unauthorized', config.tokenApiKey
        ? 'The Authorization header does not carry the token key; send "Bearer <TOKEN_API_KEY>" (the admin key cannot mint tokens), or a member assertion in X-ChurchHub-Member instead.'
        : 'Minting tokens from a backend is off on this server: set TOKEN_API_KEY, or send a member assertion in X-ChurchHub-Member.', { 'www-authenticate': 'Bearer' })
    }
    // The route schema has checked each field already; here only that the backend sent both.
    if (!body?.email || !body.name) AdminMintBody.parse(body ?? {})
    return { actor: 'token-key', person: { email: body!.email!, name: body!.name!, timeZone: body!.timeZone } }
  }
  if (request.headers[MEMBER_HEADER] === undefined) {
    throw new AppError(401, 'unauthorized', 'Send "Authorization: Bearer <TOKEN_API_KEY>" from your backend, or a member assertion in X-ChurchHub-Member from the browser.', { 'www-authenticate': 'Bearer' })
  }
  const claims = await memberFrom(request)
  await spendAssertion(db, claims, clock.now())
  return { actor: memberActor(request.server.keyRing, claims.sub), person: { email: claims.email, name: claims.name, timeZone: body?.timeZone } }
}

export const managedUserTokenRoutes: FastifyPluginAsyncZod<TokenRouteOptions> = async (app, options) => {
  const rateLimit = options.rateLimit === false ? false : { max: options.rateLimit?.max ?? 120, timeWindow: options.rateLimit?.timeWindowMs ?? 60_000 }
  const config = { rateLimit }
  const errors = { 404: ErrorReply, 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 429: ErrorReply, 502: ErrorReply, 503: ErrorReply, 504: ErrorReply }

  // Cal.com closed Platform to new customers: a server without a Platform client is complete
  // without these routes, and says so rather than failing at Cal.com.
  app.addHook('onRequest', async () => {
    if (!app.calClient.managedUsers) {
      throw new AppError(404, 'managed_users_not_configured', 'Managed-user tokens need a Cal.com Platform OAuth client (CAL_CLIENT_ID and CAL_CLIENT_SECRET), which Cal.com no longer offers to new customers; hosts connect their own Cal.com accounts instead (POST /admin/hosts/:username/connection).')
    }
  })

  // A refused caller is counted by address (there is no one else to name), never with what they
  // sent: one audit_refusals row per address, route, reason and minute (audit-refusals.ts).
  const refused = (request: FastifyRequest, error: unknown): never => {
    if (error instanceof AppError && (error.statusCode === 401 || error.statusCode === 429)) app.refusals.record(request, error.code)
    throw error
  }

  app.post('/tokens/cal/managed-user', { config, schema: { tags: ['tokens'], summary: 'A Cal.com access token for a managed user (created on first use)', security: [{ tokenKey: [] }, { memberAssertion: [] }], body: MintBody, response: { 200: TokenReply, ...errors } } }, async (request, reply) => {
    let caller: Awaited<ReturnType<typeof authenticate>>
    try { caller = await authenticate(request, request.body) } catch (error) { return refused(request, error) }
    const { actor, person } = caller
    const issued = await app.tokenStore.tokensFor(person, actor)
    reply.header('cache-control', 'no-store')
    return { ...issued, accessTokenExpiresAt: issued.accessTokenExpiresAt.getTime() }
  })

  // Cal.com Atoms' `refreshUrl`: called with the access token Cal.com just refused as expired.
  app.get('/tokens/cal/refresh', { config, schema: { tags: ['tokens'], summary: 'Cal.com Atoms\' refreshUrl: a renewed access token', security: [{ accessToken: [] }], response: { 200: z.object({ accessToken: z.string() }), ...errors } } }, async (request, reply) => {
    const header = request.headers.authorization
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : ''
    if (!token) return refused(request, new AppError(401, 'unauthorized', 'Send the expired access token as "Authorization: Bearer <accessToken>".', { 'www-authenticate': 'Bearer' }))
    const issued = await app.tokenStore.refreshFor(token, ipActor(request.ip)).catch((error: unknown) => refused(request, error))
    reply.header('cache-control', 'no-store')
    return { accessToken: issued.accessToken }
  })
}
