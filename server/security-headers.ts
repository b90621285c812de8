import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from './config.js'

/** Two years, the value browsers' preload lists ask for; only ever sent over https. */
const HSTS = 'max-age=63072000; includeSubDomains'

/**
 * Headers every answer carries. `nosniff` keeps a browser from running a JSON or text answer as a
 * script or stylesheet. HSTS only when PUBLIC_URL is https: the TLS proxy in front then serves
 * every answer over https, and browsers stop trying plain http for this host.
 */
export function securityHeaders(config: Pick<Config, 'publicUrl'>): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    ...(config.publicUrl.startsWith('https://') ? { 'strict-transport-security': HSTS } : {}),
  }
}

/** Sets them on every answer the app sends through its hooks. */
export const securityHeadersPlugin = fp(async (app) => {
  const headers = securityHeaders(app.config)
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(headers)
    return payload
  })
}, { name: 'security-headers' })

/** The router answers some bad URLs before any hook runs (frameworkErrors): those get them here. */
export function withSecurityHeaders(config: Pick<Config, 'publicUrl'>, handler: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void) {
  const headers = securityHeaders(config)
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    reply.headers(headers)
    return handler(error, request, reply)
  }
}
