import { createHash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'

/** A strong ETag from the bytes a reply carries. */
export const etagOf = (body: string | Buffer) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`

/** True when the browser's cache already holds this ETag (`If-None-Match`, weak or strong). */
export function cacheHolds(request: FastifyRequest, etag: string): boolean {
  const match = request.headers['if-none-match']
  return typeof match === 'string' && match.split(/\s*,\s*/).some((tag) => tag === etag || tag === `W/${etag}` || tag === '*')
}
