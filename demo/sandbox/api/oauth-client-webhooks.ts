import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { OAuthClientWebhook, SandboxState } from '../state.js'
import { CalHttpError } from './cal-errors.js'
import { requireClientSecret } from './client-auth.js'
import { success } from './managed-users.js'

/** The `triggers` enum of the webhook API (contract §4.4). */
export const WEBHOOK_TRIGGERS = [
  'BOOKING_CREATED', 'BOOKING_PAYMENT_INITIATED', 'BOOKING_PAID', 'BOOKING_RESCHEDULED', 'BOOKING_REQUESTED',
  'BOOKING_CANCELLED', 'BOOKING_REJECTED', 'BOOKING_NO_SHOW_UPDATED', 'FORM_SUBMITTED', 'MEETING_ENDED',
  'MEETING_STARTED', 'RECORDING_READY', 'INSTANT_MEETING', 'INSTANT_MEETING_ACCEPTED', 'RECORDING_TRANSCRIPTION_GENERATED',
  'OOO_CREATED', 'AFTER_HOSTS_CAL_VIDEO_NO_SHOW', 'AFTER_GUESTS_CAL_VIDEO_NO_SHOW', 'FORM_SUBMITTED_NO_EVENT',
  'ROUTING_FORM_FALLBACK_HIT', 'DELEGATION_CREDENTIAL_ERROR', 'WRONG_ASSIGNMENT_REPORT',
  'DELEGATION_CREDENTIAL_SECRET_ROTATION_FAILED', 'DELEGATION_CREDENTIAL_ROTATION_REQUIRED',
  'DELEGATION_CREDENTIAL_SECRET_ROTATED', 'CALENDAR_ENTRY_REJECTED',
] as const

const fields = {
  subscriberUrl: z.url(),
  triggers: z.array(z.enum(WEBHOOK_TRIGGERS)),
  active: z.boolean(),
  secret: z.string().optional(),
  payloadTemplate: z.string().optional(),
  version: z.literal('2021-10-20').optional(),
}
const CreateBody = z.object(fields)
const UpdateBody = z.object(fields).partial()
const ClientParams = z.object({ clientId: z.string() })
const HookParams = z.object({ clientId: z.string(), webhookId: z.string() })
const ListQuery = z.object({
  take: z.coerce.number().int().min(1).max(250).default(250),
  skip: z.coerce.number().int().min(0).default(0),
})

const found = (webhook: OAuthClientWebhook | undefined, id: string) => {
  if (!webhook) throw new CalHttpError(404, `Webhook with id ${id} not found`)
  return success(webhook)
}

/** OAuth-client webhooks (contract §4.7): where booking events of this client are also sent. */
export const oauthClientWebhookRoutes: FastifyPluginAsyncZod<{ state: SandboxState }> = async (app, { state }) => {
  app.addHook('onRequest', requireClientSecret(state))

  app.post('/v2/oauth-clients/:clientId/webhooks', { schema: { params: ClientParams, body: CreateBody } }, async (request, reply) => {
    const { version: _version, ...input } = request.body
    return reply.code(201).send(success(state.webhooks.create(input)))
  })

  app.get('/v2/oauth-clients/:clientId/webhooks', { schema: { params: ClientParams, querystring: ListQuery } }, async (request) =>
    success(state.webhooks.list(request.query)))

  app.get('/v2/oauth-clients/:clientId/webhooks/:webhookId', { schema: { params: HookParams } }, async (request) =>
    found(state.webhooks.get(request.params.webhookId), request.params.webhookId))

  app.patch('/v2/oauth-clients/:clientId/webhooks/:webhookId', { schema: { params: HookParams, body: UpdateBody } }, async (request) => {
    const { version: _version, ...patch } = request.body
    return found(state.webhooks.update(request.params.webhookId, patch), request.params.webhookId)
  })

  app.delete('/v2/oauth-clients/:clientId/webhooks/:webhookId', { schema: { params: HookParams } }, async (request) =>
    found(state.webhooks.delete(request.params.webhookId), request.params.webhookId))

  app.delete('/v2/oauth-clients/:clientId/webhooks', { schema: { params: ClientParams } }, async () =>
    success(`${state.webhooks.deleteAll()} webhooks deleted`))
}
