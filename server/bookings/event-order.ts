/**
 * Cal.com gives no ordering guarantee and re-stamps `createdAt` on every send, so a retried old
 * event can carry a newer time than the event that superseded it. An event's place is therefore
 * decided by, in turn: Cal.com's `iCalSequence` (it goes up on each reschedule and cancel) when
 * both sides carry one, then how far along the booking's life the trigger is, then `createdAt`.
 */
export interface EventOrder {
  sequence: number | null
  rank: number
  at: Date
}

/** How far along a booking's life a trigger puts it; a later stage is never undone by an earlier one. */
export const TRIGGER_RANK: Record<string, number> = {
  BOOKING_REQUESTED: 10,
  BOOKING_PAYMENT_INITIATED: 20,
  BOOKING_CREATED: 30,
  BOOKING_RESCHEDULED: 30,
  BOOKING_PAID: 40,
  MEETING_STARTED: 50,
  MEETING_ENDED: 60,
  BOOKING_REJECTED: 90,
  BOOKING_CANCELLED: 90,
}
/** The old booking of a reschedule: replaced for good. */
export const RESCHEDULED_AWAY_RANK = 95

/** Positive when `a` is newer than `b`, negative when older, 0 when neither can be told apart. */
export function compareOrder(a: EventOrder, b: EventOrder): number {
  if (a.sequence !== null && b.sequence !== null && a.sequence !== b.sequence) return a.sequence - b.sequence
  if (a.rank !== b.rank) return a.rank - b.rank
  return a.at.getTime() - b.at.getTime()
}
