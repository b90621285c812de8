import { startServed } from './booking-place.js'
import { near } from './loading-control.js'

// A calendar on the first screen asks for embed.js before the element is defined: upgrading it
// (Lit's first setup of the class, the shadow root, the styles) takes tens of milliseconds on a
// phone. The element's own rules, read from the markup: inline, no consent, no questions first,
// near the viewport (whether lazy or not: a lazy="false" element further down starts at its
// upgrade anyway). An element given properties by a script before its upgrade may have been told
// otherwise, so it is left to decide for itself.
for (const el of document.getElementsByTagName('churchhub-booking')) {
  if ((el.getAttribute('mode') ?? 'inline') == 'inline' && !el.hasAttribute('consent') && !el.getAttribute('form') && !Object.keys(el)[0] && near(el)) startServed()
}
