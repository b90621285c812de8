import { existsSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '../errors.js'
import { type EmbedJsRouteOptions, embedJsRoutes } from './embed-js.js'
import { type ScriptBody, scriptBody, sendScript } from './static-script.js'
import { type ServedWidgetConfig, writeServedConfig } from './widget-config.js'

export interface WidgetRouteOptions {
  /** The built bundle; default `dist/churchhub-booking.js` of the package this server runs from. Its chunks sit in `chunks/` beside it. */
  file?: string
  /** What the bundle is told as it is served; default: the configured Cal.com origin and this server's copy of embed.js. */
  served?: ServedWidgetConfig
  /** The embed.js copy at `/widget/embed.js` (registered when the app has its config). */
  embedJs?: Partial<EmbedJsRouteOptions>
}

// The URL carries no version, so caches revalidate daily (a cheap 304 through the ETag) and may
// serve the old copy for a week while they do: a church site never waits on us for the script.
const CACHE_CONTROL = 'public, max-age=86400, stale-while-revalidate=604800'
// A chunk's name carries a hash of its content: a new build means a new name, never new bytes.
const CHUNK_CACHE_CONTROL = 'public, max-age=31536000, immutable'
const ChunkParams = z.object({ file: z.string().regex(/^[\w-]+\.js$/, 'expected a chunk file name such as form-1a2B3c.js') })

/** The package root: the nearest folder above this file with a package.json (works from `dist/` too). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir)
  return dir
}

/**
 * `GET /widget/churchhub-booking.js`: the element, loaded cross-origin by church sites' script tags,
 * with this server's Cal.com origin and embed.js written into it; `GET /widget/chunks/<name>-<hash>.js`:
 * what it imports lazily; `GET /widget/embed.js`: Cal.com's embed.js, from this server's copy.
 */
export const widgetRoutes: FastifyPluginAsyncZod<WidgetRouteOptions> = async (app, options) => {
  const file = options.file ?? join(packageRoot(), 'dist', 'churchhub-booking.js')
  const configured = app.hasDecorator('config')
  const served = options.served ?? (configured ? { calOrigin: app.config.cal.origin, embedJsUrl: 'embed.js' } : undefined)
  let cached: { mtimeMs: number; script: ScriptBody } | undefined
  const chunks = new Map<string, ScriptBody>()

  async function bundle() {
    const info = await stat(file).catch(() => undefined)
    if (!info) {
      throw new AppError(503, 'widget_not_built', 'The widget bundle is not built; run `npm run build:widget` (npm start does it first).', { 'retry-after': '30' })
    }
    if (cached?.mtimeMs !== info.mtimeMs) {
      const text = await readFile(file, 'utf8')
      cached = { mtimeMs: info.mtimeMs, script: scriptBody(Buffer.from(served ? writeServedConfig(text, served) : text)) }
    }
    return cached.script
  }

  app.get('/widget/churchhub-booking.js', { schema: { tags: ['widget'], summary: 'The <churchhub-booking> element, one script' } }, async (request, reply) => sendScript(request, reply, await bundle(), CACHE_CONTROL))

  app.get('/widget/chunks/:file', { schema: { tags: ['widget'], summary: 'A chunk the element loads on demand', params: ChunkParams } }, async (request, reply) => {
    const name = request.params.file
    let chunk = chunks.get(name)
    if (!chunk) {
      const body = await readFile(join(dirname(file), 'chunks', name)).catch(() => undefined)
      if (!body) throw new AppError(404, 'chunk_not_found', `No widget chunk ${name}: the page may hold a bundle older than this server's build; reload it.`)
      chunk = scriptBody(body)
      chunks.set(name, chunk)
    }
    return sendScript(request, reply, chunk, CHUNK_CACHE_CONTROL)
  })

  if (configured) await app.register(embedJsRoutes, { upstream: app.config.cal.embedJsUrl, ...options.embedJs })
}
