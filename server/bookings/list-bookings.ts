import type { BookingRow } from '../../db/schema.js'
import type { Executor } from '../audit.js'
import { type Sealer, unseal } from '../privacy/sealed.js'

/** A booking row as the admin views read it: every column but `last_payload`. */
export type ListedBooking = Omit<BookingRow, 'last_payload'>

// Every column the admin views show. Not `last_payload`: no list shows it, and it is the largest
// sealed value of a row, which each of 50 rows a page would fetch, open and parse for nothing.
const LISTED_COLUMNS = [
  'id', 'uid', 'status', 'title', 'event_type', 'start_time', 'end_time', 'host_username', 'host_email', 'attendee_name',
  'attendee_email', 'attendee_email_index', 'notes', 'rescheduled_from_uid', 'rescheduled_to_uid', 'last_trigger',
  'last_event_at', 'last_sequence', 'last_rank', 'no_show', 'erased_at', 'created_at', 'updated_at',
] as const satisfies readonly (keyof ListedBooking)[]

export interface BookingFilters {
  status?: string | undefined
  host?: string | undefined
  /** The blind index of the attendee's email (never the email itself). */
  attendeeIndex?: string | undefined
  /** Bookings starting at or after this time. */
  from?: Date | undefined
  /** Bookings starting before this time. */
  to?: Date | undefined
  /** Only rows older (lower id) than this one: the page cursor. */
  beforeId?: number | undefined
  limit: number
}

/** Newest first (most recently received booking first). Fetches `limit` rows as asked; callers ask one extra to know there is more. */
export async function listBookings(db: Executor, f: BookingFilters): Promise<ListedBooking[]> {
  let query = db.selectFrom('bookings').select(LISTED_COLUMNS)
  if (f.status) query = query.where('status', '=', f.status)
  if (f.host) query = query.where('host_username', '=', f.host)
  if (f.attendeeIndex) query = query.where('attendee_email_index', '=', f.attendeeIndex)
  if (f.from) query = query.where('start_time', '>=', f.from)
  if (f.to) query = query.where('start_time', '<', f.to)
  if (f.beforeId) query = query.where('id', '<', f.beforeId)
  return query.orderBy('id', 'desc').limit(f.limit).execute()
}

/** The admin view of a booking, opened: with the export, the only place attendee emails and notes leave the database. */
export function toAdminBooking(ring: Sealer, row: ListedBooking) {
  return {
    uid: row.uid,
    status: row.status,
    title: unseal(ring, row.title),
    eventType: row.event_type,
    startTime: row.start_time.toISOString(),
    endTime: row.end_time.toISOString(),
    host: { username: row.host_username, email: row.host_email },
    attendee: { name: unseal(ring, row.attendee_name), email: unseal(ring, row.attendee_email) },
    notes: unseal(ring, row.notes),
    noShow: row.no_show,
    rescheduledFromUid: row.rescheduled_from_uid,
    rescheduledToUid: row.rescheduled_to_uid,
    lastTrigger: row.last_trigger,
    lastEventAt: row.last_event_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    erasedAt: row.erased_at ? row.erased_at.toISOString() : null,
  }
}
