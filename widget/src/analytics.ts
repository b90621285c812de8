import type { BookingDetail } from './events.js'

/**
 * With `analytics="datalayer"`: tells the site's tag manager that a booking happened and how long
 * the meeting is, nothing more. A booking uid or a host's name would let a tag manager tie a visit
 * to a pastoral conversation, so neither is pushed, nor any of the visitor's details.
 */
export function pushBookingAnalytics(analytics: string, detail: BookingDetail) {
  if (analytics !== 'datalayer') return
  const minutes = (Date.parse(detail.end) - Date.parse(detail.start)) / 60_000
  const w = window as unknown as { dataLayer?: unknown[] }
  ;(w.dataLayer ??= []).push(minutes > 0 ? { event: 'churchhub_booking', churchhub_event_length: minutes } : { event: 'churchhub_booking' })
}
