import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import { recordAudit } from '../audit.js'
import type { Clock } from '../clock.js'
import { calUserOf } from '../tokens/cal-users.js'
import { eraseBookings } from './erase-bookings.js'
import type { Sealer } from './sealed.js'

export interface ErasureCounts {
  bookings: number
  deliveries: number
  managedUsers: number
}

export interface ErasePersonDeps {
  db: Kysely<Database>
  ring: Sealer
  clock: Clock
  /** Deletes a managed user at Cal.com; given only when the Platform add-on is configured. */
  deleteManagedUser?: ((calUserId: number) => Promise<unknown>) | undefined
}

/**
 * Erases everything held about one person, found by the blind index of their email, in one
 * transaction: their bookings' personal fields (tombstoned, see eraseBookings), those bookings'
 * raw deliveries, and their managed-user row. The managed user at Cal.com is deleted after the
 * commit (a failure there is audited; the local erasure stands). The audit row names the person
 * only by keyed hash.
 */
export async function erasePerson(deps: ErasePersonDeps, email: string): Promise<ErasureCounts & { person: string }> {
  const person = deps.ring.blindIndex(email)
  const at = deps.clock.now()
  const { counts, calUserIds } = await deps.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('bookings').select('uid').where('attendee_email_index', '=', person).execute()
    const erased = await eraseBookings(trx, rows.map((r) => r.uid), at)
    const users = await trx.deleteFrom('cal_users').where(calUserOf(deps.ring, email)).returning('cal_user_id').execute()
    const counts = { ...erased, managedUsers: users.length }
    await recordAudit(trx, {
      actor: 'admin', action: 'person.erased', subject: `person:${person}`,
      detail: { summary: `erased ${counts.bookings} bookings for ${person}`, ...counts },
    })
    return { counts, calUserIds: users.map((u) => u.cal_user_id) }
  })
  for (const id of calUserIds) {
    if (!deps.deleteManagedUser) break
    try {
      await deps.deleteManagedUser(id)
    } catch (err) {
      await recordAudit(deps.db, { actor: 'admin', action: 'person.cal_delete_failed', subject: `person:${person}`, detail: { calUserId: id, error: (err as Error).name } })
    }
  }
  return { ...counts, person }
}
