import { createHash } from 'node:crypto'

const sortKeys = (_key: string, value: unknown) =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, (value as Record<string, unknown>)[k]]))
    : value

/** JSON with object keys sorted at every depth, so the same state always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, sortKeys) ?? 'null'
}

/**
 * The natural idempotency key of a delivery: trigger + booking uid + a digest of the state it
 * carries. Cal.com re-stamps the envelope's `createdAt` on every send, so it is left out; a body
 * without a `payload` wrapper (MEETING_*) carries the booking row's own, stable `createdAt`, kept.
 */
export function deliveryKey(trigger: string, bookingUid: string | null, body: Record<string, unknown>): string {
  let state: Record<string, unknown> = body
  if ('payload' in body) {
    const { createdAt: _sentAt, ...rest } = body
    state = rest
  }
  return createHash('sha256').update(`${trigger}\n${bookingUid ?? ''}\n${canonicalJson(state)}`).digest('hex')
}
