import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ErrorReply } from '../errors.js'
import { requireAdmin } from '../auth/admin-auth.js'
import { listHostsWithConnections } from '../connections/connections-repository.js'
import { API_KEY_PATTERN } from '../connections/secrets.js'
import { EventType, Username } from './host-schemas.js'

const errors = { 400: ErrorReply, 401: ErrorReply, 404: ErrorReply, 502: ErrorReply, 503: ErrorReply, 504: ErrorReply }
const Params = z.object({ username: Username })
const ConnectBody = z.object({
  apiKey: z.string().trim().regex(API_KEY_PATTERN, 'expected a Cal.com API key ("cal_…" or "cal_live_…"), from Cal.com → Settings → Developer → API keys'),
})
const Connected = z.object({ connected: z.literal(true), calUsername: z.string(), webhookId: z.string().nullable(), eventTypes: z.array(EventType) })
const Disconnected = z.object({ connected: z.literal(false), webhookDeleted: z.boolean() })

const Reconcile = z.object({ at: z.string(), fetched: z.number(), created: z.number(), updated: z.number(), unchanged: z.number(), watermark: z.string().nullable() }).nullable()
const HostListing = z.object({
  username: z.string(),
  name: z.string(),
  calLink: z.string(),
  eventTypes: z.array(EventType),
  connection: z.object({
    method: z.enum(['api_key', 'oauth']),
    calUsername: z.string(),
    webhookId: z.string().nullable(),
    webhookUrl: z.string(),
    connectedAt: z.string(),
    lastReconcile: Reconcile,
    lastError: z.object({ at: z.string(), message: z.string() }).nullable(),
  }).nullable(),
})

/** Connecting hosts' own Cal.com accounts by API key, and the host list with each one's state (never the key). */
export const adminConnectionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/admin/hosts/:username/connection', {
    preHandler: requireAdmin, schema: { tags: ['admin'], security: [{ adminKey: [] }], summary: 'Connect a host\'s Cal.com account with an API key', params: Params, body: ConnectBody, response: { 200: Connected, ...errors } },
  }, async (request) => app.hostConnections.connect(request.params.username, { method: 'api_key', apiKey: request.body.apiKey }, 'admin'))

  app.delete('/admin/hosts/:username/connection', {
    preHandler: requireAdmin, schema: { tags: ['admin'], security: [{ adminKey: [] }], summary: 'Disconnect a host: its webhook at Cal.com is deleted and its key forgotten', params: Params, response: { 200: Disconnected, ...errors } },
  }, async (request) => app.hostConnections.disconnect(request.params.username, 'admin'))

  app.get('/admin/hosts', { preHandler: requireAdmin, schema: { tags: ['admin'], security: [{ adminKey: [] }], summary: 'Hosts with their connection state (never the key)', response: { 200: z.object({ hosts: z.array(HostListing) }), 401: ErrorReply } } }, async () => {
    const rows = await listHostsWithConnections(app.db)
    return {
      hosts: rows.map(({ host, connection: c }) => ({
        username: host.username,
        name: host.name,
        calLink: host.cal_link,
        eventTypes: z.array(EventType).catch([]).parse(host.event_types),
        connection: c ? {
          method: c.method,
          calUsername: c.cal_username,
          webhookId: c.webhook_id,
          webhookUrl: app.hostConnections.webhookUrl(host.id),
          connectedAt: new Date(c.created_at).toISOString(),
          lastReconcile: c.last_reconcile_at ? { at: new Date(c.last_reconcile_at).toISOString(), ...(c.last_reconcile as object), watermark: c.updated_watermark ? new Date(c.updated_watermark).toISOString() : null } as z.infer<typeof Reconcile> : null,
          lastError: c.last_reconcile_error && c.last_reconcile_error_at ? { at: new Date(c.last_reconcile_error_at).toISOString(), message: c.last_reconcile_error } : null,
        } : null,
      })),
    }
  })
}
