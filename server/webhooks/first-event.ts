import { type Kysely, sql } from 'kysely'
import { databaseKind } from '../../db/open-database.js'
import type { Database } from '../../db/schema.js'
import { Batcher } from '../batcher.js'
import type { BookingEvent } from '../bookings/bookings-repository.js'
import { digestOf, indexOf, seal, type Sealer } from '../privacy/sealed.js'

export interface FirstEventInput {
  key: string
  rawBody: string
  event: BookingEvent
}

/** `applied`: stored and audited. `duplicate`: the key was taken. `not_first`: nothing written; use the transactional path. */
export type FirstEventResult = { status: 'applied'; deliveryId: number } | { status: 'duplicate' } | { status: 'not_first' }

const UNIQUE_VIOLATION = '23505'

export interface FirstEventRecorder {
  call(input: FirstEventInput): Promise<FirstEventResult>
}

/**
 * The common case, the first event of a booking nobody is waiting on, in one statement of one
 * transaction: the delivery row, the booking row and the audit row. Personal fields
 * are sealed here, in the application, before the statement is sent. It writes nothing when the
 * booking exists, a successor names it, or a no-show waits for it; a concurrent first insert of
 * the same uid makes it fail whole, and the caller takes the transactional path.
 */
export async function recordFirstEvent(db: Kysely<Database>, ring: Sealer, input: FirstEventInput): Promise<FirstEventResult> {
  try {
    return (await recordTogether(db, ring, [input]))[0]!
  } catch (err) {
    if ((err as { code?: unknown }).code === UNIQUE_VIOLATION) return { status: 'not_first' }
    throw err
  }
}

/**
 * First events arriving together, recorded by one statement, so they share a round trip and a
 * commit while each still writes its three rows or none. When the statement fails (a concurrent
 * first insert of a uid, a value Postgres refuses), it has written nothing, and each delivery is
 * recorded on its own, so one bad delivery never fails the others.
 */
export function batchedFirstEvents(db: Kysely<Database>, ring: Sealer, options: { maxInFlight?: number; maxBatch?: number } = {}): FirstEventRecorder {
  const batcher = new Batcher<FirstEventInput, FirstEventResult | { status: 'failed'; error: unknown }>(async (inputs) => {
    if (inputs.length > 1) {
      try {
        return await recordTogether(db, ring, inputs)
      } catch {
        // The statement wrote nothing: each delivery on its own, below.
      }
    }
    return Promise.all(inputs.map((input) => recordFirstEvent(db, ring, input).catch((error: unknown) => ({ status: 'failed' as const, error }))))
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

/**
 * One statement for the batch. A uid's second event in the same batch is not sent (it is
 * `not_first`: the transactional path applies it on top of the first). Rows go in uid order, so
 * two replicas' batches take their locks in the same order.
 */
async function recordTogether(db: Kysely<Database>, ring: Sealer, inputs: FirstEventInput[]): Promise<FirstEventResult[]> {
  const seen = new Set<string>()
  const records = inputs.map(({ key, rawBody, event: e }, i) => {
    if (seen.has(e.uid)) return undefined
    seen.add(e.uid)
    const f = e.facts
    return {
      i, key, trigger: e.trigger, uid: e.uid, raw_body: ring.encrypt(rawBody), raw_digest: digestOf(rawBody), status: e.status,
      title: seal(ring, f.title), event_type: f.eventType, start_time: e.startTime, end_time: e.endTime, host_username: f.hostUsername,
      host_email: f.hostEmail, attendee_name: seal(ring, f.attendeeName), attendee_email: seal(ring, f.attendeeEmail),
      attendee_email_index: indexOf(ring, f.attendeeEmail), notes: seal(ring, f.notes), rescheduled_from_uid: f.rescheduledFromUid,
      event_at: e.order.at, sequence: e.order.sequence, rank: e.order.rank, payload: ring.encrypt(JSON.stringify(e.payload)), received_at: e.receivedAt,
    }
  }).filter((r) => r !== undefined).sort((a, b) => (a.uid < b.uid ? -1 : 1))
  const statement = sql<{ i: number; delivery_id: number | null }>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as d(
        i integer, key text, trigger text, uid text, raw_body text, raw_digest text, status text, title text, event_type text,
        start_time timestamptz, end_time timestamptz, host_username text, host_email text, attendee_name text,
        attendee_email text, attendee_email_index text, notes text, rescheduled_from_uid text, event_at timestamptz,
        sequence integer, rank integer, payload text, received_at timestamptz)
    ), first as (
      select * from input d
      where not exists (select 1 from bookings b where b.uid = d.uid)
        and not exists (select 1 from bookings b where b.rescheduled_from_uid = d.uid)
        and not exists (select 1 from webhook_deliveries w where w.booking_uid = d.uid and w.outcome = 'deferred')
    ), delivery as (
      insert into webhook_deliveries (delivery_key, trigger_event, booking_uid, raw_body, raw_digest, outcome, received_at)
      select key, trigger, uid, raw_body, raw_digest, 'created', received_at from first order by uid
      on conflict (delivery_key) do nothing
      returning id, booking_uid
    ), booking as (
      insert into bookings (uid, status, title, event_type, start_time, end_time, host_username, host_email,
        attendee_name, attendee_email, attendee_email_index, notes, rescheduled_from_uid, last_trigger, last_event_at,
        last_sequence, last_rank, last_payload, updated_at)
      select f.uid, f.status, f.title, f.event_type, f.start_time, f.end_time, f.host_username, f.host_email,
        f.attendee_name, f.attendee_email, f.attendee_email_index, f.notes, f.rescheduled_from_uid, f.trigger, f.event_at,
        f.sequence, f.rank, f.payload, f.received_at
      from first f join delivery on delivery.booking_uid = f.uid order by f.uid
    ), audit as (
      insert into audit_log (actor, action, subject, detail)
      select 'cal.com', 'webhook.accepted', 'booking:' || f.uid,
        jsonb_build_object('trigger', f.trigger, 'outcome', 'created', 'deliveryId', delivery.id)
      from first f join delivery on delivery.booking_uid = f.uid order by f.uid
    )
    select f.i, delivery.id as delivery_id from first f left join delivery on delivery.booking_uid = f.uid`
  // Postgres: the statement on its own. One statement is atomic, and one round trip instead of four
  // (begin, set, the statement, commit) lets the next batch start sooner (webhook benchmark on
  // Postgres: ratio 0.48 with the four). PGlite has no autovacuum to renew statistics taken while
  // the tables were tiny, so its planner would pick whole-table scans that grow with the tables:
  // there every lookup here is made to use its index, which takes a transaction.
  const { rows } = databaseKind(db) === 'postgres'
    ? await statement.execute(db)
    : await db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx)
      return statement.execute(trx)
    })
  const byInput = new Map(rows.map((row) => [row.i, row.delivery_id]))
  return inputs.map((_, i): FirstEventResult => {
    if (!byInput.has(i)) return { status: 'not_first' }
    const id = byInput.get(i)
    return id === null || id === undefined ? { status: 'duplicate' } : { status: 'applied', deliveryId: id }
  })
}
