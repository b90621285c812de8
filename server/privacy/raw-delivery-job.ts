import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import { recordAudit } from '../audit.js'
import type { Clock } from '../clock.js'
import { onceAcrossReplicas } from './job-lock.js'

const DAY_MS = 24 * 60 * 60 * 1000

export interface RawDeliveryDeps {
  db: Kysely<Database>
  clock: Clock
  /** RAW_DELIVERY_DAYS: days a raw body is kept (sealed) for diagnosis. */
  rawDeliveryDays: number
}

/**
 * Drops the raw bodies of deliveries received more than `rawDeliveryDays` ago; the row, its
 * delivery key (idempotency) and the body's digest stay. A delivery still waiting for its booking
 * (`deferred`) keeps its body: it is applied from it when the booking arrives. Once across
 * replicas, audited with a count.
 */
export async function purgeRawDeliveries(deps: RawDeliveryDeps): Promise<{ status: 'done'; dropped: number } | { status: 'skipped' }> {
  const cutoff = new Date(deps.clock.now().getTime() - deps.rawDeliveryDays * DAY_MS)
  const dropped = await onceAcrossReplicas(deps.db, 'raw-deliveries', async (trx) => {
    const result = await trx.updateTable('webhook_deliveries').set({ raw_body: null })
      .where('raw_body', 'is not', null).where('received_at', '<', cutoff).where('outcome', '<>', 'deferred').executeTakeFirst()
    const dropped = Number(result.numUpdatedRows)
    await recordAudit(trx, { actor: 'system', action: 'deliveries.raw_dropped', detail: { dropped, rawDeliveryDays: deps.rawDeliveryDays } })
    return dropped
  })
  return dropped === undefined ? { status: 'skipped' } : { status: 'done', dropped }
}
