import type { FastifyPluginAsync } from 'fastify'
import type { SandboxState } from '../state.js'
import { CalHttpError } from './cal-errors.js'
import { NO_AUTH_MESSAGE } from './client-auth.js'
import { isUserBearer, requireUser } from './user-auth.js'
import type { SandboxHost } from '../types.js'

/** `userSchemaResponse` of a regular user, keys in its order (docs/connecting-cal-com.md, "The Cal.com facts this relies on"). */
export function userProfile(h: SandboxHost) {
  return {
    id: h.id, email: h.email, name: h.name, avatarUrl: null, bio: h.bio, timeFormat: h.timeFormat, defaultScheduleId: null,
    weekStart: 'Sunday', timeZone: h.timeZone, username: h.username, organizationId: null, locale: h.locale,
  }
}

/**
 * GET /v2/me with a managed user's access token: the one call here that exercises token checks as
 * Cal.com's access-token guard makes them (unknown or revoked → 401, past expiry → 498).
 */
export const meRoutes: FastifyPluginAsync<{ state: SandboxState }> = async (app, { state }) => {
  app.get('/v2/me', async (request) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')
    if (!match?.[1]) throw new CalHttpError(401, NO_AUTH_MESSAGE)
    if (isUserBearer(state, match[1])) return { status: 'success', data: userProfile(requireUser(state, request)) }
    const check = state.users.checkAccessToken(match[1])
    if (!check.ok && check.reason === 'expired') throw new CalHttpError(498, 'Token Expired Exception', 'TokenExpiredException', false)
    if (!check.ok) throw new CalHttpError(401, 'Invalid Access Token.')
    const u = check.user
    return {
      status: 'success',
      data: {
        id: u.id,
        username: u.username,
        email: u.email,
        name: u.name,
        timeFormat: u.timeFormat,
        defaultScheduleId: u.defaultScheduleId,
        weekStart: u.weekStart,
        timeZone: u.timeZone,
        locale: u.locale,
        avatarUrl: u.avatarUrl,
        bio: u.bio,
        metadata: u.metadata,
        organizationId: null,
      },
    }
  })
}
