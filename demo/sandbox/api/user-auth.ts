import type { FastifyReply, FastifyRequest } from 'fastify'
import { Accounts } from '../accounts.js'
import type { SandboxState } from '../state.js'
import type { SandboxHost } from '../types.js'
import { CalHttpError } from './cal-errors.js'

/** api-auth.strategy.ts's 401 messages (docs/connecting-cal-com.md, "The Cal.com facts this relies on"). */
export const USER_AUTH_MESSAGES = {
  none: "ApiAuthStrategy - No authentication method provided. Either pass an API key as 'Bearer' header or OAuth client credentials as 'x-cal-secret-key' and 'x-cal-client-id' headers",
  unknownKey: 'ApiAuthStrategy - api key - Your api key is not valid',
  badToken: 'ApiAuthStrategy - access token - Invalid Access Token.',
}

const bearerOf = (request: FastifyRequest) => /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1]

/** The seeded user a request acts as: by API key or OAuth token; undefined without credentials. */
export function userOf(state: SandboxState, request: FastifyRequest): SandboxHost | undefined {
  const bearer = bearerOf(request)
  if (!bearer) return undefined
  if (bearer.startsWith('cal_')) {
    const host = state.accounts.byApiKey(bearer)
    if (!host) throw new CalHttpError(401, USER_AUTH_MESSAGES.unknownKey)
    return host
  }
  const found = state.accounts.byAccessToken(bearer, state.clock.now().getTime())
  if (typeof found === 'string') throw new CalHttpError(401, USER_AUTH_MESSAGES.badToken)
  return found
}

/** ApiAuthGuard: credentials required. */
export function requireUser(state: SandboxState, request: FastifyRequest): SandboxHost {
  const host = userOf(state, request)
  if (!host) throw new CalHttpError(401, USER_AUTH_MESSAGES.none)
  return host
}

/** True when this bearer is one of the seeded users' (an API key or a user OAuth token). */
export function isUserBearer(state: SandboxState, bearer: string | undefined): bearer is string {
  if (!bearer) return false
  return bearer.startsWith('cal_') || bearer.startsWith('sbx_at_')
}

/**
 * CustomThrottlerGuard for the users' own credentials: 120 a minute per API key, 500 per token;
 * X-RateLimit-{Limit,Remaining,Reset}-Default on every answer, 429 ThrottlerException over it.
 * (Managed-user and client-secret calls keep the older sandbox behaviour: no limit.)
 */
export function throttleUsers(state: SandboxState) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const bearer = bearerOf(request)
    if (!isUserBearer(state, bearer)) return
    const { tracker, limit } = Accounts.tracker(bearer)
    const r = state.rateLimiter.hit(tracker, limit, state.clock.now().getTime())
    reply.header('X-RateLimit-Limit-Default', String(limit))
    reply.header('X-RateLimit-Remaining-Default', String(r.remaining))
    reply.header('X-RateLimit-Reset-Default', String(r.resetSeconds))
    if (!r.allowed) throw new CalHttpError(429, 'CustomThrottlerGuard - Too many requests. Please try again later.', 'ThrottlerException')
  }
}

export { bearerOf }
