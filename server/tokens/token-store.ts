import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../../db/open-database.js'
import type { CalUserRow, Database } from '../../db/schema.js'
import { type Executor, recordAudit } from '../audit.js'
import type { CalClient } from '../cal/client.js'
import { type CalError, isCalError } from '../cal/errors.js'
import type { CreateManagedUserInput, ManagedUser, TokenPair } from '../cal/schemas.js'
import type { Clock } from '../clock.js'
import { Batcher } from '../batcher.js'
import { AppError } from '../errors.js'
import { findCalUserByEmail, findCalUserById, findServableByEmails, type ServableRow, findCalUserByTokenHash, insertCalUser, lockEmail, normalizeEmail, storeTokens } from './cal-users.js'
import type { TokenCipher } from './crypto.js'
import { unseal } from '../privacy/sealed.js'
import { atomically, PersonLocks } from './person-locks.js'

/** A token is handed out from the database only while it has more than this left to live. */
export const REFRESH_AHEAD_MS = 5 * 60_000
/** The refresh URL renews a token (current or just replaced) up to this long after it expired. */
export const REFRESH_GRACE_MS = 24 * 60 * 60_000

export interface IssuedToken {
  accessToken: string
  accessTokenExpiresAt: Date
  user: { id: number; username: string | null; email: string; name: string }
}

interface RefreshPlan {
  /** Refresh only while the stored token still has this fingerprint (it was refused by Cal.com). */
  replacing?: string
  /** Skip /refresh and go straight to force-refresh (Cal.com said 401/403: the pair is dead). */
  force?: boolean
}

/**
 * Managed-user tokens: served from cal_users while fresh, minted or refreshed otherwise. Every
 * change happens holding the person's lock (on Postgres: the email's advisory lock for a creation,
 * the row's lock for a refresh, in the transaction that stores the result; see PersonLocks), so
 * however many requests and replicas ask at once, Cal.com is called once, and the rotated pair is
 * stored before anyone else can use the old one.
 */
export class TokenStore {
  readonly #locks: PersonLocks
  /**
   * The hot path, a signed-in member's page view: concurrent asks share one query, and each
   * person's stored token is decrypted once for all of them (undefined when it must be renewed).
   */
  readonly #stored: Batcher<string, { row: ServableRow; served: IssuedToken | undefined } | undefined>

  constructor(private readonly deps: { db: Kysely<Database>; kind: DatabaseKind; cal: CalClient; cipher: TokenCipher; clock: Clock; maxConcurrentCalls?: number }) {
    this.#locks = new PersonLocks(deps.db, deps.kind, deps.maxConcurrentCalls)
    this.#stored = new Batcher(async (emails) => {
      const rows = await findServableByEmails(deps.db, deps.cipher, [...new Set(emails)])
      const stored = new Map([...rows].map(([email, row]) => [email, { row, served: this.#fresh(row) ? this.#tryServe(row) : undefined }]))
      return emails.map((email) => stored.get(email))
    })
  }

  /** Get-or-create for a person whose email the caller has authenticated. */
  tokensFor(person: CreateManagedUserInput, actor: string): Promise<IssuedToken> {
    return databaseFailuresAs503(this.#tokensFor(person, actor, this.#deadline()))
  }

  async #tokensFor(person: CreateManagedUserInput, actor: string, deadline: number): Promise<IssuedToken> {
    const stored = await this.#stored.call(normalizeEmail(person.email))
    if (stored?.served) return stored.served
    const row = stored?.row
    return this.#serve(await this.#audited(actor, row, 'mint', () => this.#locks.run(lockKey(this.deps.cipher.blindIndex(person.email)), deadline, async (trx) => {
      if (trx.isTransaction) await lockEmail(trx, person.email)
      const existing = await findCalUserByEmail(trx, this.deps.cipher, person.email, { lock: true })
      if (existing) return this.#refreshIfNeeded(trx, existing, actor, {}, deadline)
      return this.#create(trx, person, actor, deadline)
    })))
  }

  /** For the refresh URL: the presented token is the current or the replaced one of a row. */
  refreshFor(presentedToken: string, actor: string): Promise<IssuedToken> {
    return databaseFailuresAs503(this.#refreshFor(presentedToken, actor, this.#deadline()))
  }

  async #refreshFor(presentedToken: string, actor: string, deadline: number): Promise<IssuedToken> {
    const hash = this.deps.cipher.fingerprint(presentedToken)
    const row = await findCalUserByTokenHash(this.deps.db, hash)
    if (!row) throw new AppError(401, 'unknown_token', 'This access token was not issued by this server, or is too old; ask for a new one at POST /tokens/cal/managed-user.', { 'www-authenticate': 'Bearer' })
    // A token leaked from a browser long ago must not renew itself forever: a day past its expiry it is refused.
    const expiry = row.access_token_hash === hash ? row.access_token_expires_at : row.previous_access_token_expires_at
    if (!expiry || this.deps.clock.now().getTime() > expiry.getTime() + REFRESH_GRACE_MS) {
      throw new AppError(401, 'token_too_old', 'This access token expired more than 24 hours ago; ask for a new one at POST /tokens/cal/managed-user.', { 'www-authenticate': 'Bearer' })
    }
    // While the stored token is fresh it is the answer: a caller cannot make us call Cal.com.
    if (this.#fresh(row)) {
      const served = this.#tryServe(row)
      if (served) return served
    }
    return this.#serve(await this.#refreshLocked(row, actor, {}, deadline))
  }

  /**
   * Calls Cal.com as a managed user, with Cal.com's token rules: 498 (expired) → refresh and retry
   * once; 401/403 (stale or revoked) → force-refresh and retry once.
   */
  async withUserToken<T>(calUserRowId: number, actor: string, call: (accessToken: string) => Promise<T>): Promise<T> {
    let row = await findCalUserById(this.deps.db, calUserRowId)
    if (!row) throw new AppError(404, 'unknown_cal_user', `No managed user ${calUserRowId} is stored.`)
    if (!this.#fresh(row) || !this.#tryServe(row)) row = await this.#refreshLocked(row, actor, {}, this.#deadline())
    const token = this.#serve(row).accessToken
    try {
      return await call(token)
    } catch (error) {
      if (!isCalError(error) || ![498, 401, 403].includes(error.calStatus ?? 0)) throw error
      const renewed = await this.#refreshLocked(row, actor, { replacing: this.deps.cipher.fingerprint(token), force: error.calStatus !== 498 }, this.#deadline())
      return call(this.#serve(renewed).accessToken)
    }
  }

  #refreshLocked(row: CalUserRow, actor: string, plan: RefreshPlan, deadline: number) {
    return this.#audited(actor, row, 'refresh', () => this.#locks.run(lockKey(this.#personIndex(row)), deadline, async (trx) => {
      const locked = await findCalUserById(trx, row.id, { lock: true })
      if (!locked) throw new AppError(404, 'unknown_cal_user', 'The managed user was removed meanwhile; ask for a new token.')
      return this.#refreshIfNeeded(trx, locked, actor, plan, deadline)
    }))
  }

  /** Runs with the row locked: re-decides on what is stored now, since another request may have won. */
  async #refreshIfNeeded(executor: Executor, row: CalUserRow, actor: string, plan: RefreshPlan, deadline: number) {
    const stillWanted = plan.replacing !== undefined ? row.access_token_hash === plan.replacing : !this.#fresh(row) || !this.#tryServe(row)
    if (!stillWanted) return row
    const { tokens, mode } = await this.#rotate(row, plan.force === true || !this.#tryServe(row), deadline)
    return atomically(executor, async (trx) => {
      const updated = await storeTokens(trx, this.deps.cipher, this.deps.clock.now(), row, tokens)
      await recordAudit(trx, { actor, action: 'token.refreshed', subject: `cal_user:${row.id}`, detail: { calUserId: row.cal_user_id, mode } })
      return updated
    })
  }

  async #rotate(row: CalUserRow, force: boolean, deadline: number): Promise<{ tokens: TokenPair; mode: string }> {
    const { cal, cipher, clock } = this.deps
    if (!force && row.refresh_token_expires_at.getTime() > clock.now().getTime()) {
      try {
        return { tokens: await cal.refreshTokens(cipher.decrypt(row.refresh_token_enc), { deadline }), mode: 'refresh' }
      } catch (error) {
        // A used, expired or unknown refresh token (400/401): Cal.com's advice is force-refresh.
        if (!isCalError(error, 400) && !isCalError(error, 401)) throw error
      }
    }
    return { tokens: await cal.forceRefresh(row.cal_user_id, { deadline }), mode: 'force-refresh' }
  }

  async #create(executor: Executor, person: CreateManagedUserInput, actor: string, deadline: number) {
    const { cal, cipher, clock } = this.deps
    let user: ManagedUser
    let tokens: TokenPair
    let via = 'created'
    try {
      const created = await cal.createManagedUser({ ...person, email: normalizeEmail(person.email) }, { deadline })
      user = created.user
      tokens = created
    } catch (error) {
      if (!isCalError(error, 409)) throw error
      // Cal.com already has this person (created before our row, or by another system): find
      // them and take a fresh pair. The caller never sees the 409.
      user = await this.#findExisting(person.email, error, deadline)
      tokens = await cal.forceRefresh(user.id, { deadline })
      via = 'existing'
    }
    return atomically(executor, async (trx) => {
      const row = await insertCalUser(trx, cipher, clock.now(), { email: person.email, name: person.name, calUserId: user.id, calUsername: user.username }, tokens)
      await recordAudit(trx, { actor, action: 'token.minted', subject: `cal_user:${row.id}`, detail: { calUserId: user.id, via } })
      return row
    })
  }

  async #findExisting(email: string, conflict: CalError, deadline: number): Promise<ManagedUser> {
    const wanted = normalizeEmail(email)
    const [local, domain] = wanted.split('@')
    const users = await this.deps.cal.listManagedUsers([wanted], { deadline })
    // Cal.com stores `local+<clientId>@domain`; match either form.
    const found = users.find((u) => {
      const e = u.email.toLowerCase()
      return e === wanted || (e.startsWith(`${local}+`) && e.endsWith(`@${domain}`))
    })
    if (found) return found
    const id = /Existing user ID=(\d+)/.exec(conflict.calMessage ?? '')?.[1]
    if (id) return this.deps.cal.getManagedUser(Number(id), { deadline })
    throw conflict
  }

  async #audited<T>(actor: string, row: Pick<CalUserRow, 'id'> | undefined, operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      if (error instanceof AppError) {
        const detail = { operation, code: error.code, ...(isCalError(error) ? { calStatus: error.calStatus ?? null, failure: error.failure } : {}) }
        await recordAudit(this.deps.db, { actor, action: 'token.failed', subject: row ? `cal_user:${row.id}` : null, detail }).catch(() => {})
      }
      throw error
    }
  }

  #deadline() {
    return Date.now() + this.deps.cal.timeoutMs
  }

  #fresh(row: Pick<CalUserRow, 'access_token_expires_at'>) {
    return row.access_token_expires_at.getTime() - this.deps.clock.now().getTime() > REFRESH_AHEAD_MS
  }

  /** Undefined when the stored token cannot be decrypted (the key changed): it must be re-minted. */
  #tryServe(row: ServableRow): IssuedToken | undefined {
    try { return this.#serve(row) } catch { return undefined }
  }

  /** The blind index of the row's email; a row from before the email was sealed has none stored yet. */
  #personIndex(row: Pick<CalUserRow, 'email' | 'email_index'>): string {
    return row.email_index ?? this.deps.cipher.blindIndex(unseal(this.deps.cipher, row.email)!)
  }

  #serve(row: ServableRow): IssuedToken {
    return {
      accessToken: this.deps.cipher.decrypt(row.access_token_enc),
      accessTokenExpiresAt: row.access_token_expires_at,
      user: { id: row.cal_user_id, username: unseal(this.deps.cipher, row.cal_username), email: unseal(this.deps.cipher, row.email)!, name: unseal(this.deps.cipher, row.name)! },
    }
  }
}

/** One lock per person, whichever way they are reached (creation or refresh): by their email's blind index. */
const lockKey = (emailIndex: string) => `cal_user:${emailIndex}`

/**
 * The database not answering (down, pool exhausted while a slow refresh holds the lock) is a
 * temporary outage for the caller, not a crash: 503 with Retry-After.
 */
async function databaseFailuresAs503<T>(work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (error) {
    if (error instanceof AppError) throw error
    const outage = new AppError(503, 'database_unavailable', 'The token store is not answering; try again in a few seconds.', { 'retry-after': '2' })
    throw Object.assign(outage, { cause: error })
  }
}
