import type { Updateable } from 'kysely'
import type { BookingRow, BookingsTable, NewBooking } from '../../db/schema.js'
import type { Executor } from '../audit.js'
import { indexOf, seal, type Sealer, unseal } from '../privacy/sealed.js'
import { compareOrder, type EventOrder, RESCHEDULED_AWAY_RANK } from './event-order.js'

/** What an event says about a booking besides its status and times; null = the event does not say. */
export interface BookingFacts {
  title: string | null
  eventType: string | null
  hostUsername: string | null
  hostEmail: string | null
  attendeeName: string | null
  attendeeEmail: string | null
  notes: string | null
  rescheduledFromUid: string | null
}

export interface BookingEvent {
  uid: string
  trigger: string
  status: string
  startTime: Date
  endTime: Date
  facts: BookingFacts
  order: EventOrder
  payload: unknown
  receivedAt: Date
}

/** `created`: first event seen for the uid. `updated`: newer than what was stored. `stale`: older; it only filled gaps. */
export type ApplyResult = 'created' | 'updated' | 'stale'

type FactColumn = 'title' | 'event_type' | 'host_username' | 'host_email' | 'attendee_name' | 'attendee_email' | 'notes' | 'rescheduled_from_uid' | 'rescheduled_to_uid'
type Facts = Partial<Record<FactColumn, string | null>>

interface Change {
  order: EventOrder
  status: string
  startTime?: Date
  endTime?: Date
  facts: Facts
  trigger: string
  payload: unknown
  receivedAt: Date
}

const factColumns = (f: BookingFacts): Facts => ({
  title: f.title, event_type: f.eventType, host_username: f.hostUsername, host_email: f.hostEmail,
  attendee_name: f.attendeeName, attendee_email: f.attendeeEmail, notes: f.notes, rescheduled_from_uid: f.rescheduledFromUid,
})

/** Facts that name or describe the attendee: sealed at rest, never stored for an erased booking. */
const PERSONAL: ReadonlySet<FactColumn> = new Set(['title', 'attendee_name', 'attendee_email', 'notes'])

/** A change for a booking whose personal data was erased: its state and times, none of its personal facts. */
function withoutPersonal(change: Change): Change {
  const facts = Object.fromEntries(Object.entries(change.facts).filter(([column]) => !PERSONAL.has(column as FactColumn)))
  return { ...change, facts, payload: undefined }
}

const sealedPayload = (ring: Sealer, payload: unknown) => (payload === undefined ? null : ring.encrypt(JSON.stringify(payload)))

/** The columns a fact writes: sealed when personal, with the email's blind index beside it. */
function factValues(ring: Sealer, column: FactColumn, value: string | null): Updateable<BookingsTable> {
  if (!PERSONAL.has(column)) return { [column]: value }
  if (column === 'attendee_email') return { attendee_email: seal(ring, value), attendee_email_index: indexOf(ring, value) }
  return { [column]: seal(ring, value) }
}

const orderOf = (row: BookingRow): EventOrder => ({ sequence: row.last_sequence, rank: row.last_rank, at: row.last_event_at })

export function newRow(ring: Sealer, uid: string, change: Change & { startTime: Date; endTime: Date }): NewBooking {
  const facts: Updateable<BookingsTable> = {}
  for (const [column, value] of Object.entries(change.facts) as [FactColumn, string | null][]) Object.assign(facts, factValues(ring, column, value ?? null))
  return {
    uid, ...facts, status: change.status, start_time: change.startTime, end_time: change.endTime,
    last_trigger: change.trigger, last_event_at: change.order.at, last_sequence: change.order.sequence,
    last_rank: change.order.rank, last_payload: sealedPayload(ring, change.payload), updated_at: change.receivedAt,
  }
}

export async function lockBooking(trx: Executor, uid: string): Promise<BookingRow | undefined> {
  return trx.selectFrom('bookings').selectAll().where('uid', '=', uid).forUpdate().executeTakeFirst()
}

/**
 * Returns the existing row locked, or inserts it when the uid is new (undefined is returned; the
 * new row is ours until commit). A concurrent first insert of the same uid makes this wait for it
 * and then lock the row it made.
 */
async function insertOrLock(trx: Executor, row: NewBooking): Promise<BookingRow | undefined> {
  const locked = await lockBooking(trx, row.uid)
  if (locked) return locked
  const inserted = await trx.insertInto('bookings').values(row).onConflict((oc) => oc.column('uid').doNothing()).returning('id').executeTakeFirst()
  if (inserted) return undefined
  const existing = await lockBooking(trx, row.uid)
  if (!existing) throw new Error(`booking ${row.uid} conflicted on insert but could not be read`)
  return existing
}

/**
 * A newer event replaces the state and overwrites the facts it carries; an older one changes no
 * state and only fills facts still unknown (an update that came before its create).
 */
async function merge(trx: Executor, ring: Sealer, row: BookingRow, given: Change): Promise<ApplyResult> {
  // An erased booking (retention or an erasure, which tombstone it too) keeps its state current
  // but takes no personal fact again. Erasure never deletes the row, so a uid without one was
  // never erased and its first insert stores what it carries.
  const change = row.erased_at ? withoutPersonal(given) : given
  const newer = compareOrder(change.order, orderOf(row)) > 0
  const update: Updateable<BookingsTable> = {}
  for (const [column, value] of Object.entries(change.facts) as [FactColumn, string | null][]) {
    if (value === null || value === undefined) continue
    const stored = PERSONAL.has(column) ? unseal(ring, row[column]) : row[column]
    if (value === stored) continue
    if (newer || stored === null) Object.assign(update, factValues(ring, column, value))
  }
  if (newer) {
    Object.assign(update, {
      status: change.status, last_trigger: change.trigger, last_event_at: change.order.at,
      last_sequence: change.order.sequence ?? row.last_sequence, last_rank: change.order.rank,
      last_payload: sealedPayload(ring, change.payload),
    })
    if (change.startTime) update.start_time = change.startTime
    if (change.endTime) update.end_time = change.endTime
  }
  if (Object.keys(update).length) {
    await trx.updateTable('bookings').set({ ...update, updated_at: change.receivedAt }).where('id', '=', row.id).execute()
  }
  return newer ? 'updated' : 'stale'
}

/**
 * Applies one booking event in any arrival order; the caller holds the transaction. Personal
 * fields are sealed with `ring`; for an erased booking they are not stored at all.
 */
export async function applyBookingEvent(trx: Executor, ring: Sealer, e: BookingEvent): Promise<ApplyResult> {
  const change = { ...e, facts: factColumns(e.facts) }
  const existing = await insertOrLock(trx, newRow(ring, e.uid, change))
  return existing ? merge(trx, ring, existing, change) : 'created'
}

export interface RescheduledAway {
  oldUid: string
  newUid: string
  /** The old booking's times (`rescheduleStartTime`/`EndTime`), so it can be recorded before its own create arrives. */
  oldStart: Date | null
  oldEnd: Date | null
  order: EventOrder
  payload: unknown
  receivedAt: Date
}

/**
 * Marks the old booking of a reschedule RESCHEDULED and links it to its successor (Cal.com itself
 * stores it as CANCELLED with `rescheduled: true` and sends no cancel for it). `deferred` when the
 * old booking is unknown and its times are not given: the link is made when it arrives.
 */
export async function markRescheduled(trx: Executor, ring: Sealer, r: RescheduledAway): Promise<ApplyResult | 'deferred'> {
  const change: Change = {
    order: { ...r.order, rank: RESCHEDULED_AWAY_RANK }, status: 'RESCHEDULED', facts: { rescheduled_to_uid: r.newUid },
    trigger: 'BOOKING_RESCHEDULED', payload: r.payload, receivedAt: r.receivedAt,
  }
  let existing: BookingRow | undefined
  if (r.oldStart && r.oldEnd) {
    existing = await insertOrLock(trx, newRow(ring, r.oldUid, { ...change, startTime: r.oldStart, endTime: r.oldEnd }))
    if (!existing) return 'created'
  } else {
    existing = await lockBooking(trx, r.oldUid)
    if (!existing) return 'deferred'
  }
  return merge(trx, ring, existing, change)
}

/** The booking that names `uid` as the one it replaced, if it arrived first. */
export async function findSuccessor(trx: Executor, uid: string): Promise<string | undefined> {
  const row = await trx.selectFrom('bookings').select('uid').where('rescheduled_from_uid', '=', uid).where('uid', '<>', uid).limit(1).executeTakeFirst()
  return row?.uid
}

/** Records Cal.com's no-show mark; false when the booking is not known yet. */
export async function setNoShow(trx: Executor, uid: string, noShow: boolean, at: Date): Promise<boolean> {
  const result = await trx.updateTable('bookings').set({ no_show: noShow, updated_at: at }).where('uid', '=', uid).executeTakeFirst()
  return result.numUpdatedRows > 0n
}
