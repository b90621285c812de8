import { createHmac, timingSafeEqual } from 'node:crypto'

/** Cal.com's header: lower-case hex HMAC-SHA256 of the exact body bytes, no `sha256=` prefix. */
export const SIGNATURE_HEADER = 'x-cal-signature-256'
/** What Cal.com sends when the webhook has no secret; it proves nothing, so it is always refused. */
export const NO_SECRET_SIGNATURE = 'no-secret-provided'
const HEX_SHA256 = /^[0-9a-f]{64}$/

export type SignatureFailure = 'missing' | 'no_secret_provided' | 'malformed' | 'mismatch'

export class WebhookSignatureError extends Error {
  constructor(readonly reason: SignatureFailure) {
    super('Webhook signature is missing or does not match the body')
    this.name = 'WebhookSignatureError'
  }
}

export function sign(secret: string, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(body).digest('hex')
}

/** Throws WebhookSignatureError unless `signature` is the HMAC of `body` under `secret`. */
export function verify(secret: string, body: string | Uint8Array, signature: string | string[] | undefined): void {
  if (Array.isArray(signature)) signature = signature.length === 1 ? signature[0] : undefined
  if (signature === undefined || signature === '') throw new WebhookSignatureError('missing')
  if (signature === NO_SECRET_SIGNATURE) throw new WebhookSignatureError('no_secret_provided')
  if (!HEX_SHA256.test(signature)) throw new WebhookSignatureError('malformed')
  const expected = Buffer.from(sign(secret, body), 'hex')
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) throw new WebhookSignatureError('mismatch')
}
