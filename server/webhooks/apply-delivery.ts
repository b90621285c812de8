import { type Kysely, sql, type Transaction } from 'kysely'
import type { Database } from '../../db/schema.js'
import { type Executor, recordAudit } from '../audit.js'
import { type ApplyResult, applyBookingEvent, findSuccessor, markRescheduled, setNoShow } from '../bookings/bookings-repository.js'
import { RESCHEDULED_AWAY_RANK } from '../bookings/event-order.js'
import { digestOf, type Sealer, unseal } from '../privacy/sealed.js'
import { bookingUidOf, toBookingEvent } from './booking-event.js'
import { deliveryKey } from './delivery-key.js'
import { type FirstEventRecorder, recordFirstEvent } from './first-event.js'
import { NoShowDelivery, type ParsedDelivery } from './schemas.js'

/** What a stored delivery did: see ApplyResult; `deferred` waits for its booking; `ping`/`ignored` change nothing. */
export type DeliveryOutcome = ApplyResult | 'deferred' | 'ping' | 'ignored'

export interface ReceivedDelivery {
  /** The exact body as received (already verified). */
  rawBody: string
  parsed: ParsedDelivery
  receivedAt: Date
}

export interface DeliveryHooks {
  /** Runs inside the transaction right after the delivery row is written (tests inject failures here). */
  afterDeliveryInsert?: (trx: Transaction<Database>) => unknown
  /** Records a first event; by default on its own (the route hands in batchedFirstEvents). */
  firstEvents?: FirstEventRecorder
}

export type DeliveryResult =
  | { status: 'duplicate' }
  | { status: 'accepted'; outcome: DeliveryOutcome; deliveryId: number }

/** Triggers that usually open a booking: worth trying the one-statement path for. */
const STARTING_TRIGGERS = new Set(['BOOKING_CREATED', 'BOOKING_REQUESTED', 'BOOKING_PAYMENT_INITIATED'])

// A deadlock or serialization failure is Postgres asking us to try again; nothing was committed.
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001'])
const MAX_ATTEMPTS = 3

/**
 * Stores a verified delivery once and applies it, in one transaction: the delivery row, the
 * booking change and the audit row commit together or not at all. The unique delivery key makes
 * a redelivery (or the same delivery reaching two replicas at once) a no-op. The first event of a
 * booking takes one atomic statement (first-event.ts; the route batches those arriving together
 * into one); everything else a transaction here. Personal data is sealed with `ring`; the raw
 * body of a delivery for an erased booking is not kept, only its digest.
 */
export async function applyDelivery(db: Kysely<Database>, ring: Sealer, delivery: ReceivedDelivery, hooks: DeliveryHooks = {}): Promise<DeliveryResult> {
  const { parsed, receivedAt } = delivery
  const trigger = parsed.body.triggerEvent
  const uid = bookingUidOf(parsed)
  const key = deliveryKey(trigger, uid, parsed.body)
  const subject = uid ? `booking:${uid}` : null
  if (parsed.kind === 'booking' && STARTING_TRIGGERS.has(trigger) && !hooks.afterDeliveryInsert) {
    const { event, rescheduledAway } = toBookingEvent(parsed, receivedAt)
    const input = { key, rawBody: delivery.rawBody, event }
    const first = rescheduledAway ? undefined : await (hooks.firstEvents ? hooks.firstEvents.call(input) : recordFirstEvent(db, ring, input))
    if (first?.status === 'applied') return { status: 'accepted', outcome: 'created', deliveryId: first.deliveryId }
    if (first?.status === 'duplicate') {
      await recordAudit(db, { actor: 'cal.com', action: 'webhook.duplicate', subject, detail: { trigger } })
      return { status: 'duplicate' }
    }
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx): Promise<DeliveryResult> => {
        const inserted = await trx
          .insertInto('webhook_deliveries')
          .values({
            delivery_key: key, trigger_event: trigger, booking_uid: uid, raw_body: ring.encrypt(delivery.rawBody),
            raw_digest: digestOf(delivery.rawBody), outcome: 'received', received_at: receivedAt,
          })
          .onConflict((oc) => oc.column('delivery_key').doNothing())
          .returning('id')
          .executeTakeFirst()
        if (!inserted) {
          await recordAudit(trx, { actor: 'cal.com', action: 'webhook.duplicate', subject, detail: { trigger } })
          return { status: 'duplicate' }
        }
        await hooks.afterDeliveryInsert?.(trx)
        const outcome = await applyToBookings(trx, ring, parsed, receivedAt)
        // The outcome and the audit row in one round trip (the audit row as recordAudit writes it);
        // the raw body of a delivery for an erased booking is not kept, only its digest.
        const detail = JSON.stringify({ trigger, outcome, deliveryId: inserted.id })
        await sql`with delivery as (update webhook_deliveries set outcome = ${outcome},
            raw_body = case when exists (select 1 from erased_bookings e where e.uid = ${uid}) then null else raw_body end
          where id = ${inserted.id})
          insert into audit_log (actor, action, subject, detail) values ('cal.com', 'webhook.accepted', ${subject}, ${detail}::jsonb)`.execute(trx)
        return { status: 'accepted', outcome, deliveryId: inserted.id }
      })
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !RETRYABLE_SQLSTATES.has(String((err as { code?: unknown }).code))) throw err
    }
  }
}

async function applyToBookings(trx: Executor, ring: Sealer, parsed: ParsedDelivery, receivedAt: Date): Promise<DeliveryOutcome> {
  if (parsed.kind === 'ping') return 'ping'
  if (parsed.kind === 'unknown') return 'ignored'
  if (parsed.kind === 'no_show') {
    const { bookingUid, attendees } = parsed.body.payload
    return (await setNoShow(trx, bookingUid, attendees.some((a) => a.noShow), receivedAt)) ? 'updated' : 'deferred'
  }
  const { event, rescheduledAway } = toBookingEvent(parsed, receivedAt)
  const steps: { uid: string; run: () => Promise<ApplyResult | 'deferred'> }[] = [{ uid: event.uid, run: () => applyBookingEvent(trx, ring, event) }]
  if (rescheduledAway) steps.push({ uid: rescheduledAway.oldUid, run: () => markRescheduled(trx, ring, rescheduledAway) })
  // Rows are locked in uid order, so two deliveries touching the same pair of bookings never deadlock.
  steps.sort((a, b) => (a.uid < b.uid ? -1 : 1))
  let outcome: DeliveryOutcome = 'stale'
  for (const step of steps) {
    const result = await step.run()
    if (step.uid === event.uid) outcome = result
    if (result === 'created') await replayDeferred(trx, ring, step.uid, receivedAt)
  }
  if (outcome === 'created') {
    // Its successor's reschedule came first and could not record this booking then (no old times).
    const successor = await findSuccessor(trx, event.uid)
    if (successor) {
      const order = { sequence: null, rank: RESCHEDULED_AWAY_RANK, at: event.order.at }
      await markRescheduled(trx, ring, { oldUid: event.uid, newUid: successor, oldStart: null, oldEnd: null, order, payload: event.payload, receivedAt })
    }
  }
  return outcome
}

/** Applies the no-show marks that arrived before their booking did. */
async function replayDeferred(trx: Executor, ring: Sealer, uid: string, receivedAt: Date): Promise<void> {
  const waiting = await trx.selectFrom('webhook_deliveries').select(['id', 'raw_body'])
    .where('booking_uid', '=', uid).where('outcome', '=', 'deferred').orderBy('id').execute()
  for (const delivery of waiting) {
    const raw = unseal(ring, delivery.raw_body)
    if (raw === null) continue
    const parsed = NoShowDelivery.safeParse(JSON.parse(raw))
    if (!parsed.success) continue
    await setNoShow(trx, uid, parsed.data.payload.attendees.some((a) => a.noShow), receivedAt)
    await trx.updateTable('webhook_deliveries').set({ outcome: 'updated' }).where('id', '=', delivery.id).execute()
  }
}
