// The script a church site pastes (dist/churchhub-booking.js): it defines <churchhub-booking> and
// exports nothing, as every byte of it is in what each visitor loads first. Code that needs the
// class has `customElements.get('churchhub-booking')`, or the package (index.ts) with the event
// classes; the one event class only a booking needs travels in the booking report's lazy chunk.
import './churchhub-booking-element-define.js'
