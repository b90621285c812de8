import { ChurchhubBookingElement } from './churchhub-booking-element.js'

// A second script tag (or a second copy of the bundle) must be harmless: the first definition stays.
try {
  if (!customElements.get('churchhub-booking')) customElements.define('churchhub-booking', ChurchhubBookingElement)
} catch (err) {
  if (!(err instanceof DOMException && err.name === 'NotSupportedError')) throw err
}

declare global {
  interface HTMLElementTagNameMap {
    'churchhub-booking': ChurchhubBookingElement
  }
}

export { ChurchhubBookingElement }
