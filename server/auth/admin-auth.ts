import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { AppError } from '../errors.js'

const digest = (value: string) => createHash('sha256').update(value).digest()

// Digests of equal length make the comparison constant-time whatever was sent; each key's own
// digest is made once, not on every request.
const keyDigests = new Map<string, Buffer>()

/** The key in `Authorization: Bearer <key>`, or undefined. */
export function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined
}

/** True when `given` is `key`; compared in constant time. */
export function keyMatches(given: string | undefined, key: string | undefined): boolean {
  if (given === undefined || key === undefined) return false
  let known = keyDigests.get(key)
  if (!known) {
    if (keyDigests.size > 8) keyDigests.clear()
    keyDigests.set(key, known = digest(key))
  }
  return timingSafeEqual(digest(given), known)
}

/** True when the request carries `Authorization: Bearer <ADMIN_API_KEY>`. */
export function hasAdminKey(request: FastifyRequest): boolean {
  return keyMatches(bearerOf(request), request.server.config.adminApiKey)
}

/**
 * preHandler for `/admin/*`: the admin key, and nothing else. An address that keeps sending wrong
 * keys is refused with 429 for a while (FailedAttempts), whatever it sends next.
 */
export async function requireAdmin(request: FastifyRequest): Promise<void> {
  const attempts = request.server.failedKeyAttempts
  attempts.check(request.ip)
  if (!hasAdminKey(request)) {
    if (request.headers.authorization !== undefined) attempts.fail(request.ip)
    request.server.refusals.record(request, 'unauthorized')
    throw new AppError(401, 'unauthorized', 'Send the admin API key as "Authorization: Bearer <ADMIN_API_KEY>".', { 'www-authenticate': 'Bearer' })
  }
}
