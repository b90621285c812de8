/** The element's own words. Cal.com's booking page picks its language from the visitor's browser. */
export const en = {
  book: 'Book a time',
  loading: 'Loading the booking calendar…',
  iframeTitle: 'Booking calendar',
  failed: 'The booking calendar could not be loaded.',
  openLink: 'Open the booking page',
  hostFailed: 'The booking calendar is unavailable right now. Please try again later.',
  consent: 'This calendar is provided by Cal.com. Loading it shares your visit with Cal.com.',
  consentButton: 'Load the booking calendar',
}

export type Strings = typeof en
