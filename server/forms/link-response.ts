import { type Executor, recordAudit } from '../audit.js'
import type { ParsedDelivery } from '../webhooks/schemas.js'
import { RESPONSE_ID } from './responses-repository.js'

/** The metadata key the widget sets (`metadata[churchhubResponse]`) and Cal.com gives back in webhooks. */
export const RESPONSE_METADATA_KEY = 'churchhubResponse'

export type LinkOutcome = 'linked' | 'already' | 'moved' | 'unknown' | 'taken'

interface Booking { uid: string; metadata: unknown; rescheduleUid?: string | null | undefined }

/** The response id a booking's metadata carries, if any. */
export function responseIdOf(metadata: unknown): string | undefined {
  const value = (metadata as Record<string, unknown> | null | undefined)?.[RESPONSE_METADATA_KEY]
  return typeof value === 'string' && value ? value : undefined
}

/**
 * Ties the response a booking's metadata names to that booking, once. A redelivery of the same
 * booking changes nothing; a reschedule moves the link to the new booking; any other booking
 * naming a response already tied elsewhere, or a response we never issued (forged, or purged after
 * 24 hours), is refused and audited. Called by the webhook route and by reconciliation alike.
 */
export async function linkResponse(db: Executor, booking: Booking, at: Date): Promise<LinkOutcome | undefined> {
  const responseId = responseIdOf(booking.metadata)
  if (!responseId) return undefined
  const subject = `booking:${booking.uid}`
  // Shaped like none we issue: no lookup, and the audit row does not keep what was sent.
  const row = RESPONSE_ID.test(responseId)
    ? await db.selectFrom('form_responses').select(['id', 'booking_uid']).where('response_id', '=', responseId).executeTakeFirst()
    : undefined
  if (!row) {
    await recordAudit(db, { actor: 'cal.com', action: 'response.link_refused', subject, detail: { reason: 'unknown_response' } })
    return 'unknown'
  }
  if (row.booking_uid === booking.uid) return 'already'
  const moving = row.booking_uid !== null && booking.rescheduleUid === row.booking_uid
  if (row.booking_uid !== null && !moving) {
    await recordAudit(db, { actor: 'cal.com', action: 'response.link_refused', subject, detail: { reason: 'already_linked', response: row.id } })
    return 'taken'
  }
  // The old link's condition in the update: two deliveries racing for one response cannot both win.
  const updated = await db.updateTable('form_responses').set({ booking_uid: booking.uid, linked_at: at })
    .where('id', '=', row.id).where('booking_uid', row.booking_uid === null ? 'is' : '=', row.booking_uid).executeTakeFirst()
  if (updated.numUpdatedRows === 0n) return linkResponse(db, booking, at)
  await recordAudit(db, { actor: 'cal.com', action: moving ? 'response.link_moved' : 'response.linked', subject, detail: { response: row.id } })
  return moving ? 'moved' : 'linked'
}

/** The booking a verified delivery describes, for linking: booking-family payloads and MEETING_* rows. */
export function bookingOfDelivery(parsed: ParsedDelivery): Booking | undefined {
  if (parsed.kind === 'booking') return { uid: parsed.body.payload.uid, metadata: parsed.body.payload.metadata, rescheduleUid: parsed.body.payload.rescheduleUid }
  if (parsed.kind === 'meeting') return { uid: parsed.body.uid, metadata: (parsed.body as Record<string, unknown>).metadata }
  return undefined
}
