import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { SandboxState } from '../state.js'
import type { SandboxHost } from '../types.js'
import type { UserWebhook } from '../user-webhooks.js'
import { CalHttpError } from './cal-errors.js'
import { success } from './managed-users.js'
import { WEBHOOK_TRIGGERS } from './oauth-client-webhooks.js'
import { requireUser } from './user-auth.js'

const fields = {
  subscriberUrl: z.string().url(),
  triggers: z.array(z.enum(WEBHOOK_TRIGGERS)),
  active: z.boolean(),
  secret: z.string().optional(),
  payloadTemplate: z.string().optional(),
  version: z.string().optional(),
}
const CreateBody = z.object(fields)
const UpdateBody = z.object(fields).partial()
const Params = z.object({ webhookId: z.string() })
const ListQuery = z.object({
  take: z.coerce.number().int().min(1).max(250).default(250),
  skip: z.coerce.number().int().min(0).default(0),
})

/** Only the caller's own: unknown → 404, someone else's → 403. */
function own(state: SandboxState, user: SandboxHost, id: string): UserWebhook {
  const webhook = state.userWebhooks.get(id)
  if (!webhook) throw new CalHttpError(404, `Webhook with id ${id} not found`)
  if (webhook.userId !== user.id) throw new CalHttpError(403, `User with id ${user.id} is not the owner of webhook with id ${id}`)
  return webhook
}

/** User webhooks `/v2/webhooks` (docs/connecting-cal-com.md, "The Cal.com facts this relies on"): the caller's bookings are delivered there. */
export const userWebhookRoutes: FastifyPluginAsyncZod<{ state: SandboxState }> = async (app, { state }) => {
  app.post('/v2/webhooks', { schema: { body: CreateBody } }, async (request, reply) => {
    const user = requireUser(state, request)
    const { version: _version, ...input } = request.body
    const webhook = state.userWebhooks.create(user.id, input)
    if (!webhook) throw new CalHttpError(409, `Webhook with subscriberUrl ${input.subscriberUrl} already exists for this user`)
    return reply.code(201).send(success(webhook))
  })

  app.get('/v2/webhooks', { schema: { querystring: ListQuery } }, async (request) =>
    success(state.userWebhooks.ofUser(requireUser(state, request).id, request.query)))

  app.get('/v2/webhooks/:webhookId', { schema: { params: Params } }, async (request) =>
    success(own(state, requireUser(state, request), request.params.webhookId)))

  app.patch('/v2/webhooks/:webhookId', { schema: { params: Params, body: UpdateBody } }, async (request) => {
    const webhook = own(state, requireUser(state, request), request.params.webhookId)
    const { version: _version, ...patch } = request.body
    return success(state.userWebhooks.update(webhook.id, patch))
  })

  app.delete('/v2/webhooks/:webhookId', { schema: { params: Params } }, async (request) => {
    const webhook = own(state, requireUser(state, request), request.params.webhookId)
    return success(state.userWebhooks.delete(webhook.id))
  })
}
