import { createHmac, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import { AppError } from '../errors.js'

/** The most an assertion may live: a short-lived proof of sign-in, not a session. */
export const MAX_ASSERTION_TTL_SECONDS = 600
/** Allowed difference between the church site's clock and ours. */
const CLOCK_SKEW_SECONDS = 30

export const MemberClaims = z.object({
  sub: z.string().min(1).max(200),
  email: z.email().max(254).transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1).max(200),
  exp: z.number().int(),
})
export type MemberClaims = z.infer<typeof MemberClaims>

const Header = z.object({ alg: z.string(), typ: z.string().optional() })

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url')
const hmac = (secret: string, input: string) => createHmac('sha256', secret).update(input).digest()

function refuse(message: string): never {
  throw new AppError(401, 'invalid_member_assertion', message, { 'www-authenticate': 'ChurchHub-Member' })
}

/** Signs an assertion the way a church site's backend must (compact JWS, HS256). */
export function signMemberAssertion(
  claims: { sub: string; email: string; name: string },
  secret: string,
  options: { now?: Date; ttlSeconds?: number } = {},
): string {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000)
  const payload = { ...claims, iat, exp: iat + (options.ttlSeconds ?? 300) }
  const input = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}`
  return `${input}.${b64url(hmac(secret, input))}`
}

/** Verifies an `X-ChurchHub-Member` assertion; throws 401 saying what is wrong. */
export function verifyMemberAssertion(token: string, secret: string, now: Date): MemberClaims {
  const parts = token.trim().split('.')
  if (parts.length !== 3) refuse('The member assertion is not a compact JWS (header.payload.signature).')
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string]
  const header = Header.safeParse(parseJson(headerPart))
  if (!header.success) refuse('The member assertion header is unreadable.')
  // Only HS256: "none" and other algorithms are refused before any signature is looked at.
  if (header.data.alg !== 'HS256') refuse(`The member assertion must be signed with HS256, not "${header.data.alg.slice(0, 20)}".`)
  const expected = hmac(secret, `${headerPart}.${payloadPart}`)
  const given = Buffer.from(signaturePart, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) refuse('The member assertion signature does not match MEMBER_ASSERTION_SECRET.')
  const claims = MemberClaims.safeParse(parseJson(payloadPart))
  if (!claims.success) refuse(`The member assertion claims are invalid (${claims.error.issues[0]?.path.join('.')}); it needs sub, email, name and exp.`)
  const nowSeconds = Math.floor(now.getTime() / 1000)
  if (claims.data.exp <= nowSeconds - CLOCK_SKEW_SECONDS) refuse('The member assertion has expired; sign a fresh one.')
  if (claims.data.exp > nowSeconds + MAX_ASSERTION_TTL_SECONDS + CLOCK_SKEW_SECONDS) {
    refuse(`The member assertion expires too far ahead; exp must be at most ${MAX_ASSERTION_TTL_SECONDS} s from now.`)
  }
  return claims.data
}

function parseJson(part: string): unknown {
  try { return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) } catch { return undefined }
}
