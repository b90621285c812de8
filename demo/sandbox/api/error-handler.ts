import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import type { SandboxState } from '../state.js'
import { CalHttpError, calErrorBody } from './cal-errors.js'

/** The URL as Cal.com would see it: below the mount, e.g. /v2/me. */
export function calPath(request: FastifyRequest, mount: string): string {
  return request.url.startsWith(mount) ? request.url.slice(mount.length) || '/' : request.url
}

/** Errors inside the sandbox look like Cal.com's (HttpExceptionFilter), not like our server's. */
export function registerCalErrorHandlers(app: FastifyInstance, state: SandboxState) {
  const body = (request: FastifyRequest, status: number, code: string, message: string | string[], details = true) =>
    calErrorBody({ status, code, message, path: calPath(request, app.prefix), now: state.clock.now(), details })

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof CalHttpError) {
      return reply.code(error.statusCode).send(body(request, error.statusCode, error.code, error.message, error.withDetails))
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const messages = error.validation.map((v) => {
        const field = v.instancePath.replace(/^\//, '').replaceAll('/', '.')
        return field ? `${field}: ${v.message}` : (v.message ?? 'is invalid')
      })
      return reply.code(400).send(body(request, 400, 'BadRequestException', messages))
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
    if (status === 500) request.log.error({ err: error }, 'sandbox route failed')
    return reply.code(status).send(body(request, status, status === 500 ? 'InternalServerErrorException' : 'HttpException', status === 500 ? 'Internal server error' : error.message))
  })

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(body(request, 404, 'NotFoundException', `Cannot ${request.method} ${calPath(request, app.prefix).split('?')[0]}`))
  })
}
