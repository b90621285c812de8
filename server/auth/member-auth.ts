import type { FastifyRequest } from 'fastify'
import { AppError } from '../errors.js'
import { type MemberClaims, verifyMemberAssertion } from '../tokens/member-assertion.js'

export const MEMBER_HEADER = 'x-churchhub-member'

/** The signed-in member the request's `X-ChurchHub-Member` assertion vouches for; 401 otherwise. */
export async function memberFrom(request: FastifyRequest): Promise<MemberClaims> {
  const assertion = request.headers[MEMBER_HEADER]
  if (typeof assertion !== 'string' || !assertion) {
    throw new AppError(401, 'unauthorized', 'Send the member assertion the church site signed in X-ChurchHub-Member.', { 'www-authenticate': 'ChurchHub-Member' })
  }
  const { config, clock } = request.server
  if (!config.memberAssertionSecret) {
    throw new AppError(401, 'member_tokens_disabled', 'Signed-in members are off on this server: set MEMBER_ASSERTION_SECRET to enable them.')
  }
  return verifyMemberAssertion(assertion, { secret: config.memberAssertionSecret, audience: config.memberAssertionAudience, now: clock.now() })
}
