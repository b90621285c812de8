import cors from '@fastify/cors'
import rateLimit from '@fastify/rate-limit'
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from './errors.js'

/** Routes a church site's pages call from the browser: CORS applies to these only. */
const BROWSER_ROUTES = /^\/(v1|tokens)\//

function originAllowed(request: FastifyRequest, origin: string): boolean {
  const allowed = request.server.config.allowedOrigins
  if (allowed === '*' || allowed.includes(origin)) return true
  // The server's own pages (the demo) are same-origin, not a third party.
  return origin === `${request.protocol}://${request.host}`
}

/**
 * CORS for the browser routes, limited to ALLOWED_ORIGINS (any origin only in sandbox mode), and a
 * per-IP rate limit that route groups opt into with `config.rateLimit`. Registered in the context
 * of the browser routes only.
 *
 * The origin is judged here, before @fastify/cors runs: a disallowed one is refused, so the CORS
 * options can be fixed ones (reflect the origin) that the plugin prepares once, instead of options
 * chosen per request. The preflight route it adds (`OPTIONS *`) answers for every path, so a
 * preflight for any other path is not found, as it would be without CORS.
 */
export const browserAccess = fp(async (app) => {
  app.addHook('onRequest', async (request, reply) => {
    if (!BROWSER_ROUTES.test(request.url)) {
      if (request.method === 'OPTIONS') return reply.callNotFound()
      return
    }
    const origin = request.headers.origin
    // A page on another site gets a clear 403 rather than a silent CORS failure in its console.
    if (typeof origin === 'string' && !originAllowed(request, origin)) {
      throw new AppError(403, 'origin_not_allowed', `${origin.slice(0, 200)} may not call this server from the browser; add it to ALLOWED_ORIGINS.`)
    }
  })
  await app.register(cors, {
    origin: true,
    methods: 'GET, POST',
    allowedHeaders: 'content-type, authorization, x-churchhub-member, x-request-id',
    exposedHeaders: 'retry-after, x-request-id',
    maxAge: 600,
  })
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => new AppError(429, 'rate_limited',
      `Too many requests from this address; retry after ${Math.ceil(context.ttl / 1000)} s.`, { 'retry-after': String(Math.ceil(context.ttl / 1000)) }),
  })
}, { name: 'browser-access' })
