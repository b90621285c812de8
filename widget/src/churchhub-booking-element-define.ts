import { ChurchhubBookingElement } from './churchhub-booking-element.js'
import './early-start.js'

// A second script tag (or a second copy of the bundle) must be harmless: the first definition stays.
// Past that check define() refuses only when this class is already defined under another name
// (through element.js): that must not fail the import either.
try {
  if (!customElements.get('churchhub-booking')) customElements.define('churchhub-booking', ChurchhubBookingElement)
} catch {
  // Nothing to do: the tag stays another definition's, or none.
}

declare global {
  interface HTMLElementTagNameMap {
    'churchhub-booking': ChurchhubBookingElement
  }
}

export { ChurchhubBookingElement }
