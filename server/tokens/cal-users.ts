import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { CalUserRow } from '../../db/schema.js'
import type { Executor } from '../audit.js'
import type { TokenPair } from '../cal/schemas.js'
import type { TokenCipher } from './crypto.js'

/** Our key for a person is the email they were minted for, lower-cased. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase()

export function findCalUserByEmail(db: Executor, email: string, options: { lock?: boolean } = {}) {
  const query = db.selectFrom('cal_users').selectAll().where('email', '=', normalizeEmail(email))
  return (options.lock ? query.forUpdate() : query).executeTakeFirst()
}

/** Just what serving a stored token needs: the hot path reads no more than that. */
export const SERVABLE = ['id', 'email', 'name', 'cal_user_id', 'cal_username', 'access_token_enc', 'access_token_expires_at'] as const
export type ServableRow = Pick<CalUserRow, (typeof SERVABLE)[number]>

/** The servable rows of many (normalized) emails in one query, by email. */
export async function findServableByEmails(db: Executor, emails: string[]): Promise<Map<string, ServableRow>> {
  const rows = await db.selectFrom('cal_users').select(SERVABLE).where(sql<boolean>`email = any(${emails}::text[])`).execute()
  return new Map(rows.map((row) => [row.email, row]))
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
    email: normalizeEmail(user.email),
    name: user.name,
    cal_user_id: user.calUserId,
    cal_username: user.calUsername,
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
