import type { Executor } from '../audit.js'

/**
 * Empties every personal field of these bookings and drops their deliveries' raw bodies (the
 * digests stay), deletes their questionnaire answers, and tombstones them so a late or replayed delivery stores no personal field
 * again. The rows stay: status, times and host remain for counting. Returns how many bookings
 * and delivery bodies were emptied.
 */
export async function eraseBookings(trx: Executor, uids: string[], at: Date): Promise<{ bookings: number; deliveries: number }> {
  if (!uids.length) return { bookings: 0, deliveries: 0 }
  const bookings = await trx.updateTable('bookings')
    .set({ title: null, attendee_name: null, attendee_email: null, attendee_email_index: null, notes: null, last_payload: null, erased_at: at })
    .where('uid', 'in', uids).executeTakeFirst()
  await trx.insertInto('erased_bookings').values(uids.map((uid) => ({ uid, erased_at: at })))
    .onConflict((oc) => oc.column('uid').doNothing()).execute()
  const deliveries = await trx.updateTable('webhook_deliveries').set({ raw_body: null })
    .where('booking_uid', 'in', uids).where('raw_body', 'is not', null).executeTakeFirst()
  // Answers are personal through and through: nothing of them is worth keeping for statistics.
  await trx.deleteFrom('form_responses').where('booking_uid', 'in', uids).execute()
  return { bookings: Number(bookings.numUpdatedRows), deliveries: Number(deliveries.numUpdatedRows) }
}

