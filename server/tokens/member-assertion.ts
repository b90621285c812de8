import { createHmac, randomUUID } from 'node:crypto'
import { errors as joseErrors, jwtVerify } from 'jose'
import { z } from 'zod'
import { AppError } from '../errors.js'

/** The most an assertion may live: a short-lived proof of sign-in, not a session. */
export const MAX_ASSERTION_TTL_SECONDS = 600
/** Allowed difference between the church site's clock and ours. */
export const CLOCK_SKEW_SECONDS = 30
/** HMAC-SHA256 keys shorter than its output are guessable offline from one captured assertion. */
export const MIN_SECRET_BYTES = 32

export const MemberClaims = z.object({
  sub: z.string().min(1).max(200),
  email: z.email().max(254).transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1).max(200),
  exp: z.number().int(),
  iat: z.number().int().optional(),
  /** The assertion's own id: minting a token needs one, and spends it (see assertion-uses.ts). */
  jti: z.string().min(1).max(200).optional(),
})
export type MemberClaims = z.infer<typeof MemberClaims>

export interface VerifyOptions {
  secret: string
  now: Date
  /** When set, the assertion's `aud` must name it (MEMBER_ASSERTION_AUDIENCE). */
  audience?: string | undefined
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url')

function refuse(message: string): never {
  throw new AppError(401, 'invalid_member_assertion', message, { 'www-authenticate': 'ChurchHub-Member' })
}

/**
 * Signs an assertion the way a church site's backend must (compact JWS, HS256), with a fresh
 * `jti`. Tests and the demo's member page use it; verifying is jose's job.
 */
export function signMemberAssertion(
  claims: { sub: string; email: string; name: string; jti?: string; aud?: string },
  secret: string,
  options: { now?: Date; ttlSeconds?: number; iat?: number } = {},
): string {
  const iat = options.iat ?? Math.floor((options.now ?? new Date()).getTime() / 1000)
  const payload = { jti: randomUUID(), ...claims, iat, exp: iat + (options.ttlSeconds ?? 300) }
  const input = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}`
  return `${input}.${b64url(createHmac('sha256', secret).update(input).digest())}`
}

// jose's own reasons, said in words that tell the church's developer what to change.
function explain(error: unknown): never {
  if (error instanceof joseErrors.JWTExpired) refuse('The member assertion has expired; sign a fresh one.')
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') refuse('The member assertion\'s aud does not name this server (MEMBER_ASSERTION_AUDIENCE).')
    if (error.reason === 'missing') refuse(`The member assertion has no ${error.claim} claim; it needs sub, email, name and exp.`)
    refuse(`The member assertion's ${error.claim} claim is invalid (${error.reason}).`)
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) refuse('The member assertion must be signed with HS256.')
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) refuse('The member assertion signature does not match MEMBER_ASSERTION_SECRET.')
  refuse('The member assertion is not a compact JWS (header.payload.signature) with a JSON claims set.')
}

/** Verifies an `X-ChurchHub-Member` assertion with jose (HS256 only); throws 401 saying what is wrong. */
export async function verifyMemberAssertion(token: string, options: VerifyOptions): Promise<MemberClaims> {
  const key = new TextEncoder().encode(options.secret)
  const verified = await jwtVerify(token.trim(), key, {
    // Only HS256: "none" and every other algorithm are refused before any signature is looked at.
    algorithms: ['HS256'],
    currentDate: options.now,
    clockTolerance: CLOCK_SKEW_SECONDS,
    requiredClaims: ['exp'],
    ...(options.audience ? { audience: options.audience } : {}),
  }).catch(explain)
  const claims = MemberClaims.safeParse(verified.payload)
  if (!claims.success) refuse(`The member assertion claims are invalid (${claims.error.issues[0]?.path.join('.')}); it needs sub, email, name and exp.`)
  const nowSeconds = Math.floor(options.now.getTime() / 1000)
  if (claims.data.exp > nowSeconds + MAX_ASSERTION_TTL_SECONDS + CLOCK_SKEW_SECONDS) {
    refuse(`The member assertion expires too far ahead; exp must be at most ${MAX_ASSERTION_TTL_SECONDS} s from now.`)
  }
  if (claims.data.iat !== undefined && claims.data.iat > nowSeconds + CLOCK_SKEW_SECONDS) {
    refuse('The member assertion was issued in the future (iat); check the church site\'s clock.')
  }
  return claims.data
}
