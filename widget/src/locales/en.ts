/** The element's own words. Cal.com's booking page picks its language from the visitor's browser. */
export const en = {
  book: 'Book a time',
  loading: 'Loading the booking calendar…',
  iframeTitle: 'Booking calendar',
  failed: 'The booking calendar could not be loaded.',
  openLink: 'Open the booking page',
  consent: 'This booking calendar comes from Cal.com, which will see your visit.',
  consentButton: 'Load the booking calendar',
}

export type Strings = typeof en
