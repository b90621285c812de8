import { type Executor, recordAudit } from '../audit.js'
import type { Clock } from '../clock.js'

/** A response whose booking never came is deleted after this long. */
export const UNLINKED_RESPONSE_TTL_MS = 24 * 60 * 60 * 1000

/**
 * Deletes answers never tied to a booking within 24 hours of being given (the visitor left the
 * calendar, or the webhook never came). Run it from the scheduler, e.g. hourly; returns how many
 * went.
 */
export async function purgeUnlinkedResponses(deps: { db: Executor; clock: Clock }): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - UNLINKED_RESPONSE_TTL_MS)
  const result = await deps.db.deleteFrom('form_responses').where('booking_uid', 'is', null).where('created_at', '<', cutoff).executeTakeFirst()
  const count = Number(result.numDeletedRows)
  if (count) await recordAudit(deps.db, { actor: 'system', action: 'responses.purged', detail: { count, olderThan: cutoff.toISOString() } })
  return count
}
