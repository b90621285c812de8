import type { FastifyError } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z, ZodError } from 'zod'
import { recordAudit } from '../audit.js'
import { AppError } from '../errors.js'
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
 * leaves one audit row and nothing else.
 */
export const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  // Deliveries arriving together share a statement and a commit.
  const firstEvents = batchedFirstEvents(app.db)
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_WEBHOOK_BYTES }, (_request, body, done) => done(null, body))

  app.setErrorHandler(async (error: FastifyError, request) => {
    const status = error.statusCode ?? 500
    const reason = error instanceof Refusal ? error.reason : (error.code ?? 'error')
    try {
      await recordAudit(app.db, {
        actor: `ip:${request.ip}`,
        action: status >= 500 ? 'webhook.failed' : 'webhook.rejected',
        detail: { status, reason, path: request.url.split('?')[0], ...(status < 500 ? { message: error.message } : {}) },
      })
    } catch (err) {
      request.log.warn({ err }, 'could not audit a refused webhook')
    }
    throw error // shaped by the app's one error handler
  })

  for (const path of WEBHOOK_PATHS) {
    app.post(path, { bodyLimit: MAX_WEBHOOK_BYTES, schema: { response: { 200: Reply } } }, async (request) => {
      if (!JSON_MEDIA_TYPE.test(request.headers['content-type'] ?? '')) {
        throw new Refusal(415, 'unsupported_media_type', 'Send the body as application/json, as Cal.com does (a non-JSON payload template is not supported).', 'content_type')
      }
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
      try {
        verify(app.config.cal.webhookSecret, raw, request.headers[SIGNATURE_HEADER])
      } catch (err) {
        if (!(err instanceof WebhookSignatureError)) throw err
        throw new Refusal(401, 'invalid_signature', SIGNATURE_MESSAGES[err.reason], `signature_${err.reason}`)
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
        result = await applyDelivery(app.db, { rawBody, parsed, receivedAt: app.clock.now() }, { firstEvents })
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
