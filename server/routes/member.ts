import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { memberFrom } from '../auth/member-auth.js'
import { AppError, ErrorReply } from '../errors.js'

export interface MemberRouteOptions {
  /** Requests per IP per minute; false turns the limit off (benchmarks). */
  rateLimit?: { max: number; timeWindowMs: number } | false
}

const MemberReply = z.object({ email: z.string(), name: z.string() })

/**
 * `GET /v1/member`: who the signed-in member is, for the widget to pre-fill the booking form. It
 * verifies the assertion and answers from it alone: no Cal.com call, no managed user, no token,
 * and the assertion's jti is not spent (the same assertion may mint a token afterwards).
 */
export const memberRoutes: FastifyPluginAsyncZod<MemberRouteOptions> = async (app, options) => {
  const rateLimit = options.rateLimit === false ? false : { max: options.rateLimit?.max ?? 120, timeWindow: options.rateLimit?.timeWindowMs ?? 60_000 }
  app.get('/v1/member', {
    config: { rateLimit },
    schema: {
      tags: ['members'], summary: 'The signed-in member, for pre-filling the booking form',
      security: [{ memberAssertion: [] }],
      response: { 200: MemberReply, 401: ErrorReply, 403: ErrorReply, 429: ErrorReply },
    },
  }, async (request, reply) => {
    try {
      const member = await memberFrom(request)
      reply.header('cache-control', 'no-store')
      return { email: member.email, name: member.name }
    } catch (error) {
      if (error instanceof AppError) app.refusals.record(request, error.code)
      throw error
    }
  })
}
