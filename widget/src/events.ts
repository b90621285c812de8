import type { ChurchhubBookingSuccessfulEvent } from './booking-successful-event.js'

/** What `churchhub-booking-successful` carries: the booking as Cal.com's page reported it (no attendee data). */
export interface BookingDetail {
  uid: string
  /** ISO start and end times. */
  start: string
  end: string
  eventTypeId: number | undefined
  /** The event type's slug when Cal.com's page reported it (or the element's `event`). */
  eventType: string | undefined
  /** Cal.com's booking status, e.g. `ACCEPTED` or `PENDING` (awaiting the host's confirmation). */
  status: string | undefined
  paymentRequired: boolean
}

export type ErrorCode =
  | 'host-unavailable'
  | 'member-unavailable'
  | 'embed-unavailable'
  | 'link-failed'
  | 'timeout'

export interface ErrorDetail {
  code: ErrorCode
  message: string
  /** The plain booking-page link offered instead, when the host is known. */
  bookingUrl: string | undefined
}

export interface ReadyDetail {
  calLink: string
  mode: 'inline' | 'popup' | 'floating'
}

/** Every event of the element crosses shadow roots and bubbles to the page. */
export const init = { bubbles: true, composed: true }

/** The booking page is showing (inline), or opened in the popup and showing. */
export class ChurchhubReadyEvent extends CustomEvent<ReadyDetail> {
  constructor(detail: ReadyDetail) {
    super('churchhub-ready', { ...init, detail })
  }
}

/** The booking page could not be shown; the element now shows a message and a plain link instead. */
export class ChurchhubErrorEvent extends CustomEvent<ErrorDetail> {
  constructor(detail: ErrorDetail) {
    super('churchhub-error', { ...init, detail })
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'churchhub-ready': ChurchhubReadyEvent
    'churchhub-booking-successful': ChurchhubBookingSuccessfulEvent
    'churchhub-error': ChurchhubErrorEvent
  }
}
