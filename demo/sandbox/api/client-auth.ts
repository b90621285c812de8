import { timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { SandboxState } from '../state.js'
import { CalHttpError } from './cal-errors.js'

export const NO_AUTH_MESSAGE = 'ApiAuthGuard - Invalid Authentication. Provide x-cal-secret-key and the client id, or a Bearer access token.'

export function secretMatches(state: SandboxState, given: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(state.clientSecret)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The OAuth-client check of api-auth.strategy.ts: client id from the path, secret from x-cal-secret-key; any miss is 401. */
export function requireClientSecret(state: SandboxState) {
  return async (request: FastifyRequest) => {
    const secret = request.headers['x-cal-secret-key']
    const clientId = (request.params as { clientId?: string }).clientId
    if (typeof secret !== 'string' || secret === '') throw new CalHttpError(401, NO_AUTH_MESSAGE)
    if (clientId !== state.clientId) throw new CalHttpError(401, `ApiAuthStrategy - oAuth client - Client with ID ${clientId} not found`)
    if (!secretMatches(state, secret)) throw new CalHttpError(401, 'ApiAuthStrategy - oAuth client - Invalid client secret')
  }
}
