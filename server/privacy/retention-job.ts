import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import { recordAudit } from '../audit.js'
import type { Clock } from '../clock.js'
import { eraseBookings } from './erase-bookings.js'
import { onceAcrossReplicas } from './job-lock.js'

const DAY_MS = 24 * 60 * 60 * 1000
/** Bookings erased per statement, so one run never holds a huge transaction's locks for long. */
const BATCH = 500

export interface RetentionDeps {
  db: Kysely<Database>
  clock: Clock
  /** RETENTION_DAYS: days after a booking's end before its personal fields go. */
  retentionDays: number
}

/**
 * The daily retention job: every booking that ended more than `retentionDays` ago has its
 * personal fields erased (the row stays, so counts and statistics still hold). Once across
 * replicas (an advisory lock; a replica finding it taken returns `skipped`), in one transaction,
 * audited with counts only.
 */
export async function runRetention(deps: RetentionDeps): Promise<{ status: 'done'; bookings: number; deliveries: number } | { status: 'skipped' }> {
  const now = deps.clock.now()
  const cutoff = new Date(now.getTime() - deps.retentionDays * DAY_MS)
  const result = await onceAcrossReplicas(deps.db, 'retention', async (trx) => {
    const total = { bookings: 0, deliveries: 0 }
    for (;;) {
      const rows = await trx.selectFrom('bookings').select('uid')
        .where('erased_at', 'is', null).where('end_time', '<', cutoff).orderBy('end_time').limit(BATCH).execute()
      if (!rows.length) break
      const erased = await eraseBookings(trx, rows.map((r) => r.uid), now)
      total.bookings += erased.bookings
      total.deliveries += erased.deliveries
    }
    await recordAudit(trx, { actor: 'system', action: 'retention.erased', detail: { ...total, retentionDays: deps.retentionDays } })
    return total
  })
  return result ? { status: 'done', ...result } : { status: 'skipped' }
}
