import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import { AppError } from '../errors.js'
import type { MemberClaims } from './member-assertion.js'

/** Spent ids past their assertion's expiry are deleted at most this often (each replica). */
const PURGE_EVERY_MS = 60_000
let lastPurge = 0

/**
 * Spends the assertion's `jti` on minting a token: each id once, remembered until the assertion
 * expires (after which the assertion is refused as expired anyway). A copied assertion — from a
 * page, a log, a proxy — cannot mint again. Pre-fill (`GET /v1/member`) does not spend it.
 */
export async function spendAssertion(db: Kysely<Database>, claims: MemberClaims, now: Date): Promise<void> {
  if (!claims.jti) {
    throw new AppError(401, 'invalid_member_assertion', 'Minting a token needs a member assertion with a jti (a unique id per assertion, e.g. a random UUID).', { 'www-authenticate': 'ChurchHub-Member' })
  }
  if (now.getTime() - lastPurge > PURGE_EVERY_MS) {
    lastPurge = now.getTime()
    await db.deleteFrom('member_assertion_uses').where('expires_at', '<', now).execute()
  }
  const spent = await db.insertInto('member_assertion_uses')
    .values({ jti: claims.jti, expires_at: new Date(claims.exp * 1000) })
    .onConflict((oc) => oc.column('jti').doNothing())
    .returning('jti')
    .executeTakeFirst()
  if (!spent) {
    throw new AppError(401, 'assertion_replayed', 'This member assertion has minted a token already; the church site signs a fresh one (a new jti) for each page view.', { 'www-authenticate': 'ChurchHub-Member' })
  }
}
