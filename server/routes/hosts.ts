import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError, ErrorReply } from '../errors.js'
import { findHost } from '../hosts/hosts-repository.js'
import { cacheHolds, etagOf } from './etag.js'
import { EventType, Username } from './host-schemas.js'

const HostReply = z.object({
  username: z.string(),
  name: z.string(),
  calLink: z.string(),
  calOrigin: z.string(),
  embedJsUrl: z.string(),
  eventTypes: z.array(EventType),
})
// A returning visitor's browser answers from its cache, and for a day keeps doing so while it
// revalidates in the background (a 304 through the ETag): an admin's change shows within minutes.
const CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=86400'

/** Public booking info for the widget: where the host's Cal.com page is. Nothing secret in it. */
export const hostRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/hosts/:username', {
    schema: {
      tags: ['widget'], summary: 'Where a host\'s booking page lives',
      params: z.object({ username: Username }), response: { 200: HostReply, 304: z.null(), 403: ErrorReply, 404: ErrorReply },
    },
  }, async (request, reply) => {
    const host = await findHost(app.db, request.params.username)
    if (!host) throw new AppError(404, 'host_not_found', `No host "${request.params.username}" is registered; an admin adds hosts with POST /admin/hosts.`)
    const { cal } = app.config
    // A host on a self-hosted Cal.com is embedded from that Cal.com's own embed.js.
    const calOrigin = host.cal_origin ?? cal.origin
    const body = {
      username: host.username,
      name: host.name,
      calLink: host.cal_link,
      calOrigin,
      embedJsUrl: host.cal_origin ? `${host.cal_origin}/embed/embed.js` : cal.embedJsUrl,
      eventTypes: z.array(EventType).catch([]).parse(host.event_types),
    }
    const etag = etagOf(JSON.stringify(body))
    reply.header('cache-control', CACHE_CONTROL).header('etag', etag)
    if (cacheHolds(request, etag)) return reply.code(304).send(null)
    return body
  })
}
