import { type Kysely, sql } from 'kysely'
import type { Database } from '../../db/schema.js'
import { Batcher } from '../batcher.js'
import type { BookingEvent } from '../bookings/bookings-repository.js'

export interface FirstEventInput {
  key: string
  rawBody: string
  event: BookingEvent
}

/** `applied`: stored and audited. `duplicate`: the key was taken. `not_first`: nothing written; use the transactional path. */
export type FirstEventResult = { status: 'applied'; deliveryId: number } | { status: 'duplicate' } | { status: 'not_first' }

const UNIQUE_VIOLATION = '23505'

interface FirstEventRow { first: boolean | null; delivery_id: number | null }

export interface FirstEventRecorder {
  call(input: FirstEventInput): Promise<FirstEventResult>
}

const resultOf = (row: FirstEventRow | undefined): FirstEventResult => {
  if (!row?.first) return { status: 'not_first' }
  return row.delivery_id === null ? { status: 'duplicate' } : { status: 'applied', deliveryId: row.delivery_id }
}

/**
 * The common case, the first event of a booking nobody is waiting on, in one call (atomic on its
 * own, one round trip): the delivery row, the booking row and the audit row, written by the
 * database function `webhook_record_first_event` (migration 2026-11-24T11-40), whose plans Postgres
 * keeps. It writes nothing when the booking exists, a successor names it, or a no-show waits for
 * it; a concurrent first insert of the same uid makes the call fail whole, and the caller takes the
 * transactional path.
 */
export async function recordFirstEvent(db: Kysely<Database>, { key, rawBody, event: e }: FirstEventInput): Promise<FirstEventResult> {
  const f = e.facts
  try {
    const { rows } = await sql<FirstEventRow>`
      select first, delivery_id from webhook_record_first_event(
        ${key}, ${e.trigger}, ${e.uid}, ${rawBody}, ${e.status}, ${f.title}, ${f.eventType}, ${e.startTime}, ${e.endTime},
        ${f.hostUsername}, ${f.hostEmail}, ${f.attendeeName}, ${f.attendeeEmail}, ${f.notes}, ${f.rescheduledFromUid},
        ${e.order.at}, ${e.order.sequence}, ${e.order.rank}, ${JSON.stringify(e.payload)}::jsonb, ${e.receivedAt})`.execute(db)
    return resultOf(rows[0])
  } catch (err) {
    if ((err as { code?: unknown }).code === UNIQUE_VIOLATION) return { status: 'not_first' }
    throw err
  }
}

/**
 * First events arriving together, recorded by one statement: the function is called once per
 * delivery, in one transaction, so the deliveries share a round trip and a commit while each still
 * writes its three rows or none (each call sees the rows of the calls before it). They go in uid
 * order, so two replicas' batches take their locks in the same order. When the statement fails
 * (a concurrent first insert of a uid, a value Postgres refuses), it has written nothing, and each
 * delivery is recorded on its own, so one bad delivery never fails the others.
 */
export function batchedFirstEvents(db: Kysely<Database>, options: { maxInFlight?: number; maxBatch?: number } = {}): FirstEventRecorder {
  const batcher = new Batcher<FirstEventInput, FirstEventResult | { status: 'failed'; error: unknown }>(async (inputs) => {
    if (inputs.length > 1) {
      try {
        return await recordTogether(db, inputs)
      } catch {
        // The statement wrote nothing: each delivery on its own, below.
      }
    }
    return Promise.all(inputs.map((input) => recordFirstEvent(db, input).catch((error: unknown) => ({ status: 'failed' as const, error }))))
  }, {
    // One statement at a time: what arrives meanwhile waits for the next, so batches grow with the
    // load and commits stay few (webhook benchmark on Postgres: ratio 0.63–0.64 one at a time,
    // 0.55–0.62 two, 0.56 four).
    maxInFlight: options.maxInFlight ?? 1,
    maxBatch: options.maxBatch ?? 32,
  })
  return {
    async call(input) {
      const result = await batcher.call(input)
      if (result.status === 'failed') throw result.error
      return result
    },
  }
}

async function recordTogether(db: Kysely<Database>, inputs: FirstEventInput[]): Promise<FirstEventResult[]> {
  const records = inputs.map(({ key, rawBody, event: e }, i) => ({
    i, key, trigger: e.trigger, uid: e.uid, raw_body: rawBody, status: e.status, title: e.facts.title, event_type: e.facts.eventType,
    start_time: e.startTime, end_time: e.endTime, host_username: e.facts.hostUsername, host_email: e.facts.hostEmail,
    attendee_name: e.facts.attendeeName, attendee_email: e.facts.attendeeEmail, notes: e.facts.notes,
    rescheduled_from_uid: e.facts.rescheduledFromUid, event_at: e.order.at, sequence: e.order.sequence, rank: e.order.rank,
    payload: e.payload, received_at: e.receivedAt,
  })).sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : a.i - b.i))
  const { rows } = await sql<FirstEventRow & { i: number }>`
    select d.i, f.first, f.delivery_id
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as d(
      i integer, key text, trigger text, uid text, raw_body text, status text, title text, event_type text,
      start_time timestamptz, end_time timestamptz, host_username text, host_email text, attendee_name text,
      attendee_email text, notes text, rescheduled_from_uid text, event_at timestamptz, sequence integer, rank integer,
      payload jsonb, received_at timestamptz)
    cross join lateral webhook_record_first_event(
      d.key, d.trigger, d.uid, d.raw_body, d.status, d.title, d.event_type, d.start_time, d.end_time, d.host_username,
      d.host_email, d.attendee_name, d.attendee_email, d.notes, d.rescheduled_from_uid, d.event_at, d.sequence, d.rank,
      d.payload, d.received_at) as f
    order by d.i`.execute(db)
  const byInput = new Map(rows.map((row) => [row.i, row]))
  return inputs.map((_, i) => resultOf(byInput.get(i)))
}
