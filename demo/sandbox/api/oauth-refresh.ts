import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { SandboxState } from '../state.js'
import { CalHttpError } from './cal-errors.js'
import { NO_AUTH_MESSAGE, secretMatches } from './client-auth.js'
import { success, tokenKeys } from './managed-users.js'

const Params = z.object({ clientId: z.string() })
const Body = z.object({ refreshToken: z.string() })

/** POST /v2/oauth/{clientId}/refresh (contract §2.2 row 7, §2.4): single-use refresh tokens. */
export const oauthRefreshRoutes: FastifyPluginAsyncZod<{ state: SandboxState }> = async (app, { state }) => {
  app.post('/v2/oauth/:clientId/refresh', { schema: { params: Params, body: Body } }, async (request) => {
    const secret = request.headers['x-cal-secret-key']
    if (typeof secret !== 'string' || secret === '') throw new CalHttpError(401, NO_AUTH_MESSAGE)
    // Here, unlike the managed-user routes, a client id and secret that do not match answer 400.
    if (request.params.clientId !== state.clientId || !secretMatches(state, secret)) {
      throw new CalHttpError(400, 'Invalid OAuthClient credentials.')
    }
    const tokens = state.users.refresh(request.body.refreshToken)
    if (!tokens) throw new CalHttpError(400, 'Invalid refresh token')
    return success(tokenKeys(tokens))
  })
}
