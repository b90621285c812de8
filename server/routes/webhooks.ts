import type { FastifyError, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z, ZodError } from 'zod'
import { recordAudit } from '../audit.js'
import { AppError, ErrorReply } from '../errors.js'
import { ipActor } from '../privacy/address.js'
import { bookingOfDelivery, linkResponse } from '../forms/link-response.js'
import { applyDelivery } from '../webhooks/apply-delivery.js'
import { batchedFirstEvents } from '../webhooks/first-event.js'
import { parseDelivery } from '../webhooks/schemas.js'
import { SIGNATURE_HEADER, type SignatureFailure, verify, WebhookSignatureError } from '../webhooks/signature.js'

/** Cal.com's payloads are a few kilobytes; anything near this is not from Cal.com. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024
/** `/booking.created` and `/booking.updated` are the seed's URLs, kept so existing Cal.com webhook settings keep working. */
export const WEBHOOK_PATHS = ['/webhooks/cal', '/webhooks/cal/booking.created', '/webhooks/cal/booking.updated'] as const
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

const SIGNATURE_MESSAGES: Record<SignatureFailure, string> = {
  missing: 'X-Cal-Signature-256 is missing: give the Cal.com webhook a secret equal to CAL_WEBHOOK_SECRET.',
  no_secret_provided: 'Cal.com sent "no-secret-provided": the webhook has no secret; set it to CAL_WEBHOOK_SECRET.',
  malformed: 'X-Cal-Signature-256 must be the lower-case hex HMAC-SHA256 of the body, with no prefix.',
  mismatch: 'X-Cal-Signature-256 does not match the body: the Cal.com webhook secret and CAL_WEBHOOK_SECRET differ.',
}

const HOST_SIGNATURE_MESSAGES: Record<SignatureFailure, string> = {
  missing: 'X-Cal-Signature-256 is missing: this host\'s webhook is made by the connection; reconnect the host to reset it.',
  no_secret_provided: 'Cal.com sent "no-secret-provided": the webhook lost its secret; reconnect the host to reset it.',
  malformed: 'X-Cal-Signature-256 must be the lower-case hex HMAC-SHA256 of the body, with no prefix.',
  mismatch: 'X-Cal-Signature-256 does not match the body under this host\'s webhook secret; reconnect the host if its webhook was changed at Cal.com.',
}

/** Where a delivery's secret comes from: the shared CAL_WEBHOOK_SECRET, or a connected host's own. */
export type WebhookSecretSource = (request: FastifyRequest) => Promise<{ secret: string; messages: Record<SignatureFailure, string> }>

const Reply = z.object({
  status: z.enum(['accepted', 'duplicate']),
  outcome: z.enum(['created', 'updated', 'stale', 'deferred', 'ping', 'ignored']).optional(),
})

/** A refusal, with the reason the audit row keeps. */
class Refusal extends AppError {
  constructor(statusCode: number, code: string, message: string, readonly reason: string) {
    super(statusCode, code, message)
  }
}

/** Refuses U+0000 anywhere in the parsed body; only called when the text escapes one (`\u0000`). */
const refuseNul = (key: string, value: unknown) => {
  if (key.includes('\u0000') || (typeof value === 'string' && value.includes('\u0000'))) throw new Refusal(400, 'invalid_request', 'body: a string contains the NUL character (\\u0000), which cannot be stored', 'invalid_body')
  return value
}

function parseBody(text: string): unknown {
  let json: unknown
  try {
    // Postgres text and jsonb cannot hold U+0000; refusing it here keeps a bad delivery a 400
    // instead of a 503 that would fail the same way on every retry. JSON can only carry it
    // escaped, so the slower walk runs only for a body that contains that escape.
    json = JSON.parse(text, text.includes('\\u0000') ? refuseNul : undefined)
  } catch (err) {
    if (err instanceof Refusal) throw err
    throw new Refusal(400, 'invalid_json', `The body is not valid JSON (${(err as Error).message}).`, 'invalid_json')
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new Refusal(400, 'invalid_request', 'body: expected a JSON object with a triggerEvent', 'invalid_body')
  }
  return json
}

/**
 * Cal.com's webhooks. The body is kept as raw bytes (a parser of this plugin's own) so the
 * signature is checked over exactly what was sent, before any JSON is parsed. Every refusal
 * is counted in audit_refusals and leaves nothing else.
 */
export const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  // Deliveries arriving together share a statement and a commit.
  const firstEvents = batchedFirstEvents(app.db, app.keyRing)
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_WEBHOOK_BYTES }, (_request, body, done) => done(null, body))

  // An address whose posts keep being refused (forged, unsigned, malformed) is answered 429 before
  // its body is read. Cal.com signs every delivery, so it never gets here with the right secret.
  // (The 429 goes through the error handler below, which counts it.)
  app.addHook('onRequest', async (request) => { app.refusedWebhooks.check(request.ip) })

  app.setErrorHandler(async (error: FastifyError, request) => {
    const status = error.statusCode ?? 500
    const reason = error instanceof Refusal ? error.reason : (error.code ?? 'error')
    if (status < 500) {
      // Anyone can post here: refusals are counted per address, route, reason and minute, not logged one by one.
      if (status !== 429) app.refusedWebhooks.fail(request.ip)
      app.refusals.record(request, reason)
      throw error
    }
    try {
      await recordAudit(app.db, { actor: ipActor(request.ip), action: 'webhook.failed', detail: { status, reason, path: request.url.split('?')[0] } })
    } catch (err) {
      request.log.warn({ err }, 'could not audit a failed webhook')
    }
    throw error // shaped by the app's one error handler
  })

  const shared: WebhookSecretSource = async () => {
    const secret = app.config.cal.webhookSecret
    if (!secret) throw new Refusal(404, 'shared_webhook_not_configured', 'This server has no CAL_WEBHOOK_SECRET, so it takes no hand-made webhooks here; connected hosts\' webhooks go to /webhooks/cal/hosts/<host id>.', 'no_shared_secret')
    return { secret, messages: SIGNATURE_MESSAGES }
  }
  const perHost: WebhookSecretSource = async (request) => {
    const id = Number((request.params as { hostId?: string }).hostId)
    const secret = Number.isSafeInteger(id) && id > 0 ? await app.hostWebhookSecret(id) : undefined
    if (!secret) throw new Refusal(404, 'unknown_host_webhook', 'No connected host has this webhook address; connect the host again to subscribe it.', 'unknown_host')
    return { secret, messages: HOST_SIGNATURE_MESSAGES }
  }
  const routes: [string, WebhookSecretSource][] = [...WEBHOOK_PATHS.map((path) => [path, shared] as [string, WebhookSecretSource]), ['/webhooks/cal/hosts/:hostId', perHost]]

  for (const [path, secretFor] of routes) {
    app.post(path, { bodyLimit: MAX_WEBHOOK_BYTES, schema: { tags: ['webhooks'], summary: 'Cal.com booking webhooks (raw JSON body, signed)', security: [{ webhookSignature: [] }], response: { 200: Reply, 400: ErrorReply, 401: ErrorReply, 404: ErrorReply, 413: ErrorReply, 415: ErrorReply, 429: ErrorReply, 503: ErrorReply } } }, async (request) => {
      if (!JSON_MEDIA_TYPE.test(request.headers['content-type'] ?? '')) {
        throw new Refusal(415, 'unsupported_media_type', 'Send the body as application/json, as Cal.com does (a non-JSON payload template is not supported).', 'content_type')
      }
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
      const { secret, messages } = await secretFor(request)
      try {
        verify(secret, raw, request.headers[SIGNATURE_HEADER])
      } catch (err) {
        if (!(err instanceof WebhookSignatureError)) throw err
        throw new Refusal(401, 'invalid_signature', messages[err.reason], `signature_${err.reason}`)
      }
      const rawBody = raw.toString('utf8')
      let parsed
      try {
        parsed = parseDelivery(parseBody(rawBody))
      } catch (err) {
        if (!(err instanceof ZodError)) throw err
        const issue = err.issues[0]
        const message = `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'is invalid'}`
        throw new Refusal(400, 'invalid_request', message, 'invalid_body')
      }
      const trigger = parsed.body.triggerEvent
      let result
      try {
        result = await applyDelivery(app.db, app.keyRing, { rawBody, parsed, receivedAt: app.clock.now() }, { firstEvents })
      } catch (err) {
        request.log.error({ err, trigger }, 'webhook delivery could not be stored')
        throw new AppError(503, 'webhook_not_stored', 'The delivery could not be stored; send it again later.', { 'retry-after': '5' })
      }
      request.log.info({ trigger, ...result }, 'webhook delivery')
      const booking = result.status === 'accepted' ? bookingOfDelivery(parsed) : undefined
      if (booking) {
        // The delivery is stored whatever happens here; a link that failed is made by the next
        // delivery or reconciliation of the same booking.
        try {
          await linkResponse(app.db, booking, app.clock.now())
        } catch (err) {
          request.log.warn({ err, trigger }, 'questionnaire answers could not be tied to the booking')
        }
      }
      return result.status === 'duplicate' ? { status: 'duplicate' as const } : { status: 'accepted' as const, outcome: result.outcome }
    })
  }
}
