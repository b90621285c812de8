import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { CalUserRow } from '../../db/schema.js'
import type { Executor } from '../audit.js'
import type { TokenPair } from '../cal/schemas.js'
import { normaliseEmail } from '../privacy/key-ring.js'
import { seal } from '../privacy/sealed.js'
import type { TokenCipher } from './crypto.js'

/** The email a person was minted for, as stored (sealed): the form the blind index is made of. */
export const normalizeEmail = normaliseEmail

const byPerson = (emailIndexes: string[], emails: string[]) =>
  sql<boolean>`(email_index = any(${emailIndexes}::text[]) or (email_index is null and email = any(${emails}::text[])))`

/**
 * The condition that finds one person's rows: the blind index of their email, or the plain email
 * of a row from before the email was sealed (it has no index until keys:rotate gives it one).
 */
export const calUserOf = (ring: Pick<TokenCipher, 'blindIndex'>, email: string) => byPerson([ring.blindIndex(email)], [normalizeEmail(email)])

export function findCalUserByEmail(db: Executor, ring: Pick<TokenCipher, 'blindIndex'>, email: string, options: { lock?: boolean } = {}) {
  const query = db.selectFrom('cal_users').selectAll().where(calUserOf(ring, email))
  return (options.lock ? query.forUpdate() : query).executeTakeFirst()
}

/** Just what serving a stored token needs: the hot path reads no more than that. */
export const SERVABLE = ['id', 'email', 'email_index', 'name', 'cal_user_id', 'cal_username', 'access_token_enc', 'access_token_expires_at'] as const
export type ServableRow = Pick<CalUserRow, (typeof SERVABLE)[number]>

/** The servable rows of many (normalized) emails in one query, by email. */
export async function findServableByEmails(db: Executor, ring: Pick<TokenCipher, 'blindIndex'>, emails: string[]): Promise<Map<string, ServableRow>> {
  const emailOf = new Map(emails.map((email) => [ring.blindIndex(email), email]))
  const rows = await db.selectFrom('cal_users').select(SERVABLE).where(byPerson([...emailOf.keys()], emails)).execute()
  return new Map(rows.map((row) => [row.email_index === null ? row.email : emailOf.get(row.email_index)!, row]))
}

export function findCalUserById(db: Executor, id: number, options: { lock?: boolean } = {}) {
  const query = db.selectFrom('cal_users').selectAll().where('id', '=', id)
  return (options.lock ? query.forUpdate() : query).executeTakeFirst()
}

/** The owner of a current or just-replaced access token, by its fingerprint. */
export function findCalUserByTokenHash(db: Executor, hash: string) {
  return db.selectFrom('cal_users').selectAll()
    .where((eb) => eb.or([eb('access_token_hash', '=', hash), eb('previous_access_token_hash', '=', hash)]))
    .orderBy('id').limit(1).executeTakeFirst()
}

export async function insertCalUser(
  db: Executor, cipher: TokenCipher, now: Date,
  user: { email: string; name: string; calUserId: number; calUsername: string | null }, tokens: TokenPair,
): Promise<CalUserRow> {
  return db.insertInto('cal_users').values({
    email: cipher.encrypt(normalizeEmail(user.email)),
    email_index: cipher.blindIndex(user.email),
    name: cipher.encrypt(user.name),
    cal_user_id: user.calUserId,
    // Cal.com makes the username from the email, so it is sealed as the email is.
    cal_username: seal(cipher, user.calUsername),
    ...sealed(cipher, tokens),
    updated_at: now,
  }).returningAll().executeTakeFirstOrThrow()
}

/** Stores a new pair; the replaced token's fingerprint is kept for the refresh URL. */
export async function storeTokens(db: Executor, cipher: TokenCipher, now: Date, row: CalUserRow, tokens: TokenPair): Promise<CalUserRow> {
  return db.updateTable('cal_users')
    .set({ ...sealed(cipher, tokens), previous_access_token_hash: row.access_token_hash, previous_access_token_expires_at: row.access_token_expires_at, updated_at: now })
    .where('id', '=', row.id)
    .returningAll().executeTakeFirstOrThrow()
}

function sealed(cipher: TokenCipher, tokens: TokenPair) {
  return {
    access_token_enc: cipher.encrypt(tokens.accessToken),
    refresh_token_enc: cipher.encrypt(tokens.refreshToken),
    access_token_expires_at: tokens.accessTokenExpiresAt,
    refresh_token_expires_at: tokens.refreshTokenExpiresAt,
    access_token_hash: cipher.fingerprint(tokens.accessToken),
  }
}

/**
 * Serializes creation of one email's managed user across replicas for the rest of the
 * transaction: the row does not exist yet, so there is nothing to lock with FOR UPDATE.
 */
export async function lockEmail(db: Executor, email: string) {
  const digest = createHash('sha256').update(`cal_users:${normalizeEmail(email)}`).digest()
  const key = digest.readBigInt64BE(0)
  await sql`select pg_advisory_xact_lock(${key.toString()}::bigint)`.execute(db)
}
