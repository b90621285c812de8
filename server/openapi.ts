import swagger from '@fastify/swagger'
import fp from 'fastify-plugin'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered after this plugin, as `METHOD /url` (HEAD and the CORS preflight left out). */
    registeredRoutes: string[]
  }
}

/** The security schemes route schemas name in `security`. */
const securitySchemes = {
  adminKey: { type: 'http', scheme: 'bearer', description: 'ADMIN_API_KEY: reads bookings, the audit log and refusals, manages hosts.' },
  tokenKey: { type: 'http', scheme: 'bearer', description: 'TOKEN_API_KEY: a church backend mints Cal.com tokens for an email, and nothing else.' },
  memberAssertion: {
    type: 'apiKey', in: 'header', name: 'X-ChurchHub-Member',
    description: 'A compact JWS (HS256, MEMBER_ASSERTION_SECRET) of sub, email, name, exp (at most 10 minutes ahead), iat, jti (needed to mint; each once) and aud when MEMBER_ASSERTION_AUDIENCE is set.',
  },
  accessToken: { type: 'http', scheme: 'bearer', description: 'A Cal.com access token this server issued, current or just replaced, within 24 hours of its expiry.' },
  webhookSignature: {
    type: 'apiKey', in: 'header', name: 'X-Cal-Signature-256',
    description: 'Lower-case hex HMAC-SHA256 of the raw body with CAL_WEBHOOK_SECRET, as Cal.com sends it.',
  },
} as const

/**
 * `GET /openapi.json`: an OpenAPI 3.1 document generated from the routes' zod schemas by
 * @fastify/swagger and the zod type provider's transforms. Registered before the routes (it
 * collects them as they are added); only tagged routes are in it, so the demo's pages and the
 * sandbox, which the demo composition adds untagged, never are.
 */
export const openApi = fp(async (app) => {
  const routes: string[] = []
  app.decorate('registeredRoutes', routes)
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD' && !(method === 'OPTIONS' && route.url === '*')) routes.push(`${method} ${route.url}`)
    }
  })
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'ChurchHub Booking',
        version: '1',
        description: 'Visitors book time with a pastor from the church\'s own website, through Cal.com. Every error answers { error: { code, message } }.',
      },
      components: { securitySchemes },
    },
    hideUntagged: true,
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  })
  app.get('/openapi.json', { schema: { tags: ['meta'], summary: 'This document' } }, async () => app.swagger())
}, { name: 'openapi' })
