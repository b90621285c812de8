import { randomBytes } from 'node:crypto'
import type { Clock } from '../../server/clock.js'
import { CalHttpError } from './api/cal-errors.js'
import { managedEmail, managedUsername } from './identity.js'
import { accessTokenExpiry, mintToken, refreshTokenExpiry, type TokenType } from './tokens.js'
import type { AccessCheck, CreateManagedUserInput, ManagedUser, TokenPair, UpdateManagedUserInput } from './types.js'

interface StoredToken { type: TokenType; userId: number; expiresAt: number }

export interface ManagedUsersSnapshot {
  jwtSecret: string
  seq: { user: number; schedule: number }
  users: ManagedUser[]
  tokens: [string, StoredToken][]
}

/**
 * Platform managed users of one OAuth client and their tokens. Tokens are looked up in this store, as
 * Cal.com looks them up in its database: the JWT is only an opaque handle.
 */
export class ManagedUsers {
  #jwtSecret = randomBytes(32).toString('base64url')
  #seq = { user: 5000, schedule: 9000 }
  #users = new Map<number, ManagedUser>()
  #tokens = new Map<string, StoredToken>()

  constructor(readonly clientId: string, private readonly clock: Clock, private readonly changed: () => void) {}

  list(query: { emails?: string[]; limit?: number; offset?: number } = {}): ManagedUser[] {
    let users = [...this.#users.values()]
    if (query.emails?.length) {
      const wanted = new Set(query.emails.map((e) => managedEmail(e, this.clientId).toLowerCase()))
      users = users.filter((u) => wanted.has(u.email.toLowerCase()))
    }
    const offset = query.offset ?? 0
    return users.slice(offset, offset + (query.limit ?? 50))
  }

  get(id: number): ManagedUser | undefined {
    return this.#users.get(id)
  }

  /** A new user and its first token pair; CalHttpError 409 when the email is taken for this client. */
  create(input: CreateManagedUserInput): { user: ManagedUser; tokens: TokenPair } {
    const email = managedEmail(input.email, this.clientId)
    const existing = [...this.#users.values()].find((u) => u.email.toLowerCase() === email.toLowerCase())
    if (existing) throw new CalHttpError(409, `User with the provided e-mail already exists. Existing user ID=${existing.id}`)
    const timeZone = input.timeZone ?? undefined
    const user: ManagedUser = {
      id: ++this.#seq.user,
      email,
      username: managedUsername(input.email, this.clientId),
      name: input.name,
      bio: input.bio ?? null,
      timeZone: timeZone ?? 'Europe/London',
      weekStart: input.weekStart ?? 'Sunday',
      createdDate: this.clock.now().toISOString(),
      timeFormat: input.timeFormat ?? 12,
      // A default Mon–Fri schedule exists only when a time zone was given (contract §2.3).
      defaultScheduleId: timeZone ? ++this.#seq.schedule : null,
      locale: input.locale ?? 'en',
      avatarUrl: input.avatarUrl ?? null,
      metadata: input.metadata ?? {},
    }
    this.#users.set(user.id, user)
    const tokens = this.#issue(user.id, false)
    this.changed()
    return { user, tokens }
  }

  update(id: number, patch: UpdateManagedUserInput): ManagedUser | undefined {
    const user = this.#users.get(id)
    if (!user) return undefined
    const { email, timeZone, ...rest } = patch
    for (const [key, value] of Object.entries(rest)) if (value !== undefined) (user as any)[key] = value
    if (timeZone) user.timeZone = timeZone
    // A new email is rewritten again and regenerates the username (contract §2.3).
    if (email !== undefined) {
      user.email = managedEmail(email, this.clientId)
      user.username = managedUsername(email, this.clientId)
    }
    this.changed()
    return user
  }

  delete(id: number): ManagedUser | undefined {
    const user = this.#users.get(id)
    if (!user) return undefined
    this.#users.delete(id)
    this.#revokeAll(id)
    this.changed()
    return user
  }

  /** Revokes every token of the user and issues a fresh pair (tokens.repository.ts#forceRefreshOAuthTokens). */
  forceRefresh(id: number): TokenPair | undefined {
    if (!this.#users.has(id)) return undefined
    this.#revokeAll(id)
    const tokens = this.#issue(id, false)
    this.changed()
    return tokens
  }

  /**
   * Rotation: the presented refresh token is consumed and a new pair issued; undefined when it is
   * unknown, already used or expired. Older access tokens stay valid until they expire.
   */
  refresh(refreshToken: string): TokenPair | undefined {
    const stored = this.#tokens.get(refreshToken)
    const now = this.clock.now().getTime()
    if (!stored || stored.type !== 'refresh_token' || stored.expiresAt <= now || !this.#users.has(stored.userId)) return undefined
    this.#tokens.delete(refreshToken)
    for (const [token, t] of this.#tokens) if (t.type === 'access_token' && t.expiresAt <= now) this.#tokens.delete(token)
    const tokens = this.#issue(stored.userId, true)
    this.changed()
    return tokens
  }

  /** Unknown (never issued, or revoked by force-refresh) → 401 upstream; past its stored expiry → 498. */
  checkAccessToken(accessToken: string): AccessCheck {
    const stored = this.#tokens.get(accessToken)
    const user = stored?.type === 'access_token' ? this.#users.get(stored.userId) : undefined
    if (!stored || !user) return { ok: false, reason: 'unknown' }
    if (stored.expiresAt <= this.clock.now().getTime()) return { ok: false, reason: 'expired' }
    return { ok: true, user }
  }

  snapshot(): ManagedUsersSnapshot {
    return { jwtSecret: this.#jwtSecret, seq: this.#seq, users: [...this.#users.values()], tokens: [...this.#tokens] }
  }

  restore(s: ManagedUsersSnapshot) {
    this.#jwtSecret = s.jwtSecret
    this.#seq = s.seq
    this.#users = new Map(s.users.map((u) => [u.id, u]))
    this.#tokens = new Map(s.tokens)
  }

  #revokeAll(userId: number) {
    for (const [token, stored] of this.#tokens) if (stored.userId === userId) this.#tokens.delete(token)
  }

  #issue(userId: number, fromRefresh: boolean): TokenPair {
    const now = this.clock.now()
    const accessTokenExpiresAt = accessTokenExpiry(now)
    const refreshTokenExpiresAt = refreshTokenExpiry(now)
    const common = { clientId: this.clientId, ownerId: userId, now, ...(fromRefresh ? { userId } : {}) }
    const accessToken = mintToken(this.#jwtSecret, { type: 'access_token', expiresAt: accessTokenExpiresAt, ...common })
    const refreshToken = mintToken(this.#jwtSecret, { type: 'refresh_token', expiresAt: refreshTokenExpiresAt, ...common })
    this.#tokens.set(accessToken, { type: 'access_token', userId, expiresAt: accessTokenExpiresAt })
    this.#tokens.set(refreshToken, { type: 'refresh_token', userId, expiresAt: refreshTokenExpiresAt })
    return { accessToken, accessTokenExpiresAt, refreshToken, refreshTokenExpiresAt }
  }
}
