import { type BookingDetail, init } from './events.js'

/**
 * A visitor booked. Reported by the booking page itself, so treat it as a hint: the server's
 * signed webhook is the record. A module of its own: only the booking report (a lazy chunk)
 * makes it, so the script a church site loads first does not carry it.
 */
export class ChurchhubBookingSuccessfulEvent extends CustomEvent<BookingDetail> {
  constructor(detail: BookingDetail) {
    super('churchhub-booking-successful', { ...init, detail })
  }
}
