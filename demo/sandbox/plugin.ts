import type { FastifyPluginAsync } from 'fastify'
import type { Clock } from '../../server/clock.js'
import { CalHttpError } from './api/cal-errors.js'
import { calPath, registerCalErrorHandlers } from './api/error-handler.js'
import { managedUserRoutes } from './api/managed-users.js'
import { meRoutes } from './api/me.js'
import { bookingRoutes } from './api/bookings.js'
import { eventTypeRoutes } from './api/event-types.js'
import { oauth2Routes } from './api/oauth2.js'
import { throttleUsers } from './api/user-auth.js'
import { userWebhookRoutes } from './api/user-webhooks.js'
import { oauthClientWebhookRoutes } from './api/oauth-client-webhooks.js'
import { oauthRefreshRoutes } from './api/oauth-refresh.js'
import { controlRoutes } from './control.js'
import { pagesRoutes } from './pages/routes.js'
import { SandboxState } from './state.js'

export interface SandboxOptions {
  /** Public URL of the mount, e.g. http://127.0.0.1:3000/sandbox/cal. */
  baseUrl: string
  clientId?: string | undefined
  clientSecret?: string | undefined
  webhookSecret?: string | undefined
  /** Default subscribers, e.g. http://127.0.0.1:3000/webhooks/cal. */
  webhookTargets?: string[]
  clock?: Clock
  /** JSON file to persist sandbox state; omit = memory only. */
  dataFile?: string
  /** Hand in a shared state; the options above that it also holds are then ignored. */
  state?: SandboxState
}

/** What the booking pages plugin (pages/routes.ts) is registered with. */
export interface PagesOptions { state: SandboxState; options: SandboxOptions }

/**
 * The offline Cal.com, registered with a prefix (`/sandbox/cal`): Platform API v2 under `/v2`, booking
 * pages and embed.js, and `/_control` for tests. Deliberately encapsulated: its error envelope and
 * fault hook must not leak into the app around it.
 */
export const sandboxPlugin: FastifyPluginAsync<SandboxOptions> = async (app, options) => {
  const owned = !options.state
  const state = options.state ?? new SandboxState({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    webhookSecret: options.webhookSecret,
    baseUrl: options.baseUrl,
    ...(options.webhookTargets ? { webhookTargets: options.webhookTargets } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.dataFile ? { dataFile: options.dataFile } : {}),
  })
  // The sandbox stands in for a remote service: its request lines would repeat our own outgoing
  // calls, and carry emails in query strings (?emails=, booking-page prefill) that must not be logged.
  await app.register(mount, { state, options, owned, logLevel: 'warn' })
}

const mount: FastifyPluginAsync<PagesOptions & { owned: boolean }> = async (app, { state, options, owned }) => {
  registerCalErrorHandlers(app, state)
  // NestJS takes a DELETE or POST that says application/json but has no body; Fastify would refuse it.
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    if (body === '') return done(null, undefined)
    try {
      done(null, JSON.parse(body as string))
    } catch {
      done(new CalHttpError(400, 'The body is not valid JSON.'), undefined)
    }
  })
  app.addHook('onRequest', async (request, reply) => {
    // Cal.com's exception filter sets it on every answer; inside our app it is already there.
    if (!reply.hasHeader('x-request-id')) reply.header('x-request-id', request.id)
    const path = calPath(request, app.prefix).split('?')[0] ?? '/'
    if (path.startsWith('/_control/')) return
    if (path.startsWith('/v2/')) await throttleUsers(state)(request, reply)
    const fault = state.faults.take(request.method, path)
    if (!fault) return
    await state.faults.apply(fault, request, reply, calPath(request, app.prefix), state.clock.now())
    return reply
  })
  // Hung connections would otherwise keep the server from closing.
  app.addHook('preClose', async () => { state.faults.releaseHung() })
  if (owned) app.addHook('onClose', async () => { state.close() })

  await app.register(managedUserRoutes, { state })
  await app.register(oauthRefreshRoutes, { state })
  await app.register(oauthClientWebhookRoutes, { state })
  await app.register(meRoutes, { state })
  await app.register(eventTypeRoutes, { state })
  await app.register(bookingRoutes, { state })
  await app.register(userWebhookRoutes, { state })
  await app.register(oauth2Routes, { state })
  await app.register(controlRoutes, { state })
  // Any other /v2 path is an API call Cal.com would answer in JSON, not a booking page for user "v2".
  app.all('/v2/*', async (request) => {
    throw new CalHttpError(404, `Cannot ${request.method} ${calPath(request, app.prefix).split('?')[0]}`, 'NotFoundException')
  })
  await app.register(pagesRoutes, { state, options } satisfies PagesOptions)
}
