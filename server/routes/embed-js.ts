import type { FastifyPluginAsync } from 'fastify'
import { systemClock } from '../clock.js'
import { AppError } from '../errors.js'
import { type ScriptBody, scriptBody, sendScript } from './static-script.js'

export interface EmbedJsRouteOptions {
  /** Cal.com's embed.js (config.cal.embedJsUrl). */
  upstream: string
  /** How long a copy is served before it is checked against the upstream again (in the background). */
  revalidateAfterMs?: number
  /** How long one request to the upstream may take. */
  timeoutMs?: number
  fetch?: typeof fetch
}

// Browsers keep it an hour and may use it for a day while they revalidate: Cal.com changes
// embed.js rarely, and its protocol with the booking pages stays compatible across versions.
const CACHE_CONTROL = 'public, max-age=3600, stale-while-revalidate=86400'

interface Copy { script: ScriptBody; upstreamEtag: string | undefined; checkedAt: number }

/**
 * `GET /widget/embed.js`: Cal.com's embed.js from this server, so the widget and embed.js come
 * over one connection and a strict CSP names one script origin fewer. The copy is revalidated
 * against Cal.com with its ETag at most every `revalidateAfterMs`, in the background: a visitor
 * waits for Cal.com only when there is no copy yet, and an unreachable Cal.com leaves the last copy.
 */
export const embedJsRoutes: FastifyPluginAsync<EmbedJsRouteOptions> = async (app, options) => {
  const { upstream, revalidateAfterMs = 5 * 60_000, timeoutMs = 5_000, fetch: fetchFn = fetch } = options
  const clock = app.hasDecorator('clock') ? app.clock : systemClock
  let copy: Copy | undefined
  let refreshing: Promise<Copy> | undefined

  async function refresh(): Promise<Copy> {
    const headers: Record<string, string> = { accept: 'application/javascript, */*' }
    if (copy?.upstreamEtag) headers['if-none-match'] = copy.upstreamEtag
    const response = await fetchFn(upstream, { headers, signal: AbortSignal.timeout(timeoutMs) })
    const now = clock.now().getTime()
    if (response.status === 304 && copy) return (copy = { ...copy, checkedAt: now })
    if (!response.ok) throw new Error(`${upstream} answered ${response.status}`)
    const body = Buffer.from(await response.arrayBuffer())
    return (copy = { script: scriptBody(body), upstreamEtag: response.headers.get('etag') ?? undefined, checkedAt: now })
  }

  function refreshOnce(): Promise<Copy> {
    refreshing ??= refresh().finally(() => { refreshing = undefined })
    return refreshing
  }

  app.get('/widget/embed.js', { schema: { tags: ['widget'], summary: 'This server\'s copy of Cal.com\'s embed.js' } }, async (request, reply) => {
    if (!copy) {
      await refreshOnce().catch((err: Error) => {
        request.log.warn({ err: err.message }, 'embed.js could not be fetched from Cal.com')
        throw new AppError(502, 'embed_js_unavailable', `Cal.com's embed.js could not be fetched from ${upstream}; try again shortly.`, { 'retry-after': '30' })
      })
    } else if (clock.now().getTime() - copy.checkedAt >= revalidateAfterMs) {
      void refreshOnce().catch((err: Error) => {
        // Try again after another interval, not on every request while Cal.com is away.
        if (copy) copy.checkedAt = clock.now().getTime()
        request.log.warn({ err: err.message }, 'embed.js could not be revalidated; the last copy is served')
      })
    }
    return sendScript(request, reply, copy!.script, CACHE_CONTROL)
  })
}
