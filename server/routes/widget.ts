import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { AppError } from '../errors.js'

export interface WidgetRouteOptions {
  /** The built bundle; default `dist/churchhub-booking.js` of the package this server runs from. */
  file?: string
}

// The URL carries no version, so caches revalidate daily (a cheap 304 through the ETag) and may
// serve the old copy for a week while they do: a church site never waits on us for the script.
const CACHE_CONTROL = 'public, max-age=86400, stale-while-revalidate=604800'

/** The package root: the nearest folder above this file with a package.json (works from `dist/` too). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir)
  return dir
}

/** `GET /widget/churchhub-booking.js`: the element, loaded cross-origin by church sites' script tags. */
export const widgetRoutes: FastifyPluginAsyncZod<WidgetRouteOptions> = async (app, options) => {
  const file = options.file ?? join(packageRoot(), 'dist', 'churchhub-booking.js')
  let cached: { mtimeMs: number; body: Buffer; etag: string } | undefined

  async function bundle() {
    const info = await stat(file).catch(() => undefined)
    if (!info) {
      throw new AppError(503, 'widget_not_built', 'The widget bundle is not built; run `npm run build:widget` (npm start does it first).', { 'retry-after': '30' })
    }
    if (cached?.mtimeMs !== info.mtimeMs) {
      const body = await readFile(file)
      cached = { mtimeMs: info.mtimeMs, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` }
    }
    return cached
  }

  app.get('/widget/churchhub-booking.js', async (request, reply) => {
    const { body, etag } = await bundle()
    // Module scripts are fetched in CORS mode, so a church site's <script type="module"> needs this.
    reply.headers({
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
      'cache-control': CACHE_CONTROL,
      etag,
      'x-content-type-options': 'nosniff',
    })
    const match = request.headers['if-none-match']
    if (typeof match === 'string' && match.split(/\s*,\s*/).some((tag) => tag === etag || tag === `W/${etag}`)) {
      return reply.code(304).send()
    }
    return reply.type('application/javascript; charset=utf-8').send(body)
  })
}
