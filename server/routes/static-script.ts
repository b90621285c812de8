import { gzipSync } from 'node:zlib'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { cacheHolds, etagOf } from './etag.js'

/** A script body ready to serve: its ETag and a gzipped copy made once. */
export interface ScriptBody {
  body: Buffer
  gzip: Buffer
  etag: string
}

export function scriptBody(body: Buffer): ScriptBody {
  return { body, gzip: gzipSync(body, { level: 9 }), etag: etagOf(body) }
}

/**
 * Sends a script to any site's page: module scripts are fetched in CORS mode, so a church site's
 * `<script type="module">` (and its lazily imported chunks) need `Access-Control-Allow-Origin`.
 * 304 for a cache that holds the same ETag; gzip when the browser takes it.
 */
export function sendScript(request: FastifyRequest, reply: FastifyReply, script: ScriptBody, cacheControl: string) {
  reply.headers({
    'access-control-allow-origin': '*',
    'cross-origin-resource-policy': 'cross-origin',
    'cache-control': cacheControl,
    etag: script.etag,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
  })
  if (cacheHolds(request, script.etag)) return reply.code(304).send()
  reply.type('application/javascript; charset=utf-8')
  if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(script.gzip)
  return reply.send(script.body)
}
