import { pushBookingAnalytics } from './analytics.js'
import { ChurchhubBookingSuccessfulEvent } from './booking-successful-event.js'

// A booking's uid comes from one element's own booking page only, so one set serves the page.
const reported = new Set<string>()

/**
 * Reports one booking a Cal.com page announced: `churchhub-booking-successful`, and the analytics
 * push when asked for. The page posts the deprecated `bookingSuccessful` and then
 * `bookingSuccessfulV2` for one booking (a recurring series: V2 only; older pages: the old one
 * only); both shapes map to the same detail, reported once per uid.
 *
 * A module of its own, loaded when the first booking is announced: neither the script a church
 * site loads first nor the way to the booking page carries it.
 */
export function reportBooking(element: HTMLElement & { event: string; analytics: string }, type: string, data: Record<string, any>) {
  const v1 = type === 'bookingSuccessful'
  const b = v1 ? data.booking ?? {} : data
  const uid = String(b.uid)
  if (reported.has(uid)) return
  reported.add(uid)
  const detail = {
    uid,
    start: b.startTime ?? data.date,
    end: b.endTime,
    eventTypeId: b.eventTypeId ?? data.eventType?.id,
    eventType: (v1 && data.eventType?.slug) || element.event || undefined,
    status: b.status,
    paymentRequired: Boolean(b.paymentRequired),
  }
  element.dispatchEvent(new ChurchhubBookingSuccessfulEvent(detail))
  pushBookingAnalytics(element.analytics, detail)
}
