import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod'
import { ZodError } from 'zod'
import { AppError, errorBody } from './errors.js'

const FASTIFY_CODES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large', 'The request body is larger than this route accepts.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'Send the body as application/json.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_request', 'The Content-Length header does not match the body.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json', 'The body is empty; send a JSON object.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'The body is not valid JSON.'],
}

function issuePath(path: readonly PropertyKey[] | string): string {
  if (typeof path === 'string') return path.replace(/^\//, '').replaceAll('/', '.')
  return path.map(String).join('.')
}

/**
 * Fastify's `frameworkErrors` option: the router answers a URL it cannot decode, or a path
 * parameter longer than `maxParamLength`, before any hook runs; without this the caller gets
 * Fastify's own body instead of ours.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return reply.code(414).send(errorBody('uri_too_long', 'A part of the URL path is too long for this route.'))
  }
  return reply.code(400).send(errorBody('invalid_url', 'The URL path is not valid percent-encoded UTF-8.'))
}

/** One place decides what a caller sees: 4xx say what was wrong, 5xx say nothing of our insides. */
export function registerErrorHandlers(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.statusCode >= 500) request.log.warn({ code: error.code }, error.message)
      return reply.code(error.statusCode).headers(error.headers).send(errorBody(error.code, error.message))
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({
        path: [error.validationContext, issuePath(v.instancePath)].filter(Boolean).join('.'),
        message: v.message ?? 'is invalid',
      }))
      const first = issues[0]
      return reply.code(400).send(errorBody('invalid_request', first ? `${first.path || 'request'}: ${first.message}` : 'The request is invalid.', issues))
    }
    if (error instanceof ZodError) {
      const issues = error.issues.map((i) => ({ path: issuePath(i.path), message: i.message }))
      return reply.code(400).send(errorBody('invalid_request', `${issues[0]?.path || 'request'}: ${issues[0]?.message}`, issues))
    }
    const known = error.code ? FASTIFY_CODES[error.code] : undefined
    if (known) return reply.code(known[0]).send(errorBody(known[1], known[2]))
    if (error.statusCode === 429) {
      return reply.code(429).send(errorBody('rate_limited', error.message || 'Too many requests; wait and try again.'))
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500 && !isResponseSerializationError(error)) {
      return reply.code(error.statusCode).send(errorBody('invalid_request', error.message))
    }
    request.log.error({ err: error }, 'unexpected error')
    return reply.code(500).send(errorBody('internal_error', 'Something went wrong on our side; try again later.'))
  })

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody('not_found', `No route for ${request.method} ${request.url.split('?')[0]}.`))
  })
}
