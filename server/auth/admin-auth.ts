import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { AppError } from '../errors.js'

const digest = (value: string) => createHash('sha256').update(value).digest()

/** True when the request carries `Authorization: Bearer <ADMIN_API_KEY>`; compared in constant time. */
export function hasAdminKey(request: FastifyRequest): boolean {
  const header = request.headers.authorization
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false
  return timingSafeEqual(digest(header.slice(7).trim()), digest(request.server.config.adminApiKey))
}

/** preHandler for admin and server-to-server routes. */
export async function requireAdmin(request: FastifyRequest): Promise<void> {
  if (!hasAdminKey(request)) {
    throw new AppError(401, 'unauthorized', 'Send the admin API key as "Authorization: Bearer <ADMIN_API_KEY>".', { 'www-authenticate': 'Bearer' })
  }
}
