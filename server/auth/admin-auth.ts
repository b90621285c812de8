import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { AppError } from '../errors.js'

const digest = (value: string) => createHash('sha256').update(value).digest()

// Digests of equal length make the comparison constant-time whatever was sent; the key's own
// digest is made once per key, not on every request.
let keyDigest: { key: string; digest: Buffer } | undefined

/** True when the request carries `Authorization: Bearer <ADMIN_API_KEY>`; compared in constant time. */
export function hasAdminKey(request: FastifyRequest): boolean {
  const header = request.headers.authorization
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false
  const key = request.server.config.adminApiKey
  if (keyDigest?.key !== key) keyDigest = { key, digest: digest(key) }
  return timingSafeEqual(digest(header.slice(7).trim()), keyDigest.digest)
}

/** preHandler for admin and server-to-server routes. */
export async function requireAdmin(request: FastifyRequest): Promise<void> {
  if (!hasAdminKey(request)) {
    throw new AppError(401, 'unauthorized', 'Send the admin API key as "Authorization: Bearer <ADMIN_API_KEY>".', { 'www-authenticate': 'Bearer' })
  }
}
