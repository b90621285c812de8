import { createHmac, randomUUID } from 'node:crypto'

export type TokenType = 'access_token' | 'refresh_token'

const ACCESS_TTL_MS = 60 * 60_000
const MINUTE_MS = 60_000
const DAY_MS = 24 * 60 * 60_000

/** now + 60 minutes, rounded down to the start of the minute (tokens.repository.ts). */
export function accessTokenExpiry(now: Date): number {
  return Math.floor((now.getTime() + ACCESS_TTL_MS) / MINUTE_MS) * MINUTE_MS
}

/** now + 1 year, rounded down to the start of the (UTC) day. */
export function refreshTokenExpiry(now: Date): number {
  const later = new Date(now.getTime())
  later.setUTCFullYear(later.getUTCFullYear() + 1)
  return Math.floor(later.getTime() / DAY_MS) * DAY_MS
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url')

export interface TokenClaims {
  type: TokenType
  clientId: string
  ownerId: number
  expiresAt: number
  jti: string
  iat: number
  /** Only on tokens minted by /refresh, as Cal.com does for backward compatibility. */
  userId?: number
}

/**
 * An HS256 JWT with Cal.com's claims, in Cal.com's claim order. Clients cannot verify it and must not
 * rely on it: validity is decided by the server-side record, as Cal.com does.
 */
export function mintToken(secret: string, claims: Omit<TokenClaims, 'jti' | 'iat'> & { now: Date }): string {
  const { now, userId } = claims
  const payload: TokenClaims = {
    type: claims.type,
    clientId: claims.clientId,
    ownerId: claims.ownerId,
    expiresAt: claims.expiresAt,
    jti: randomUUID(),
    iat: Math.floor(now.getTime() / 1000),
  }
  if (userId !== undefined) payload.userId = userId
  const head = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}`
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`
}

export function decodeToken(token: string): TokenClaims | undefined {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as TokenClaims
  } catch {
    return undefined
  }
}
