import { createComponent, type EventName } from '@lit/react'
import * as React from 'react'
import { ChurchhubBookingElement } from './churchhub-booking-element-define.js'
import type { ChurchhubBookingSuccessfulEvent } from './booking-successful-event.js'
import type { ChurchhubErrorEvent, ChurchhubReadyEvent } from './events.js'

/**
 * `<ChurchhubBooking username="zack" onReady={…} onBookingSuccessful={…} onError={…} />`: the
 * element for React, its attributes as props and its events as callback props. Importing this
 * module defines `<churchhub-booking>`.
 */
export const ChurchhubBooking = createComponent({
  tagName: 'churchhub-booking',
  elementClass: ChurchhubBookingElement,
  react: React,
  events: {
    onReady: 'churchhub-ready' as EventName<ChurchhubReadyEvent>,
    onBookingSuccessful: 'churchhub-booking-successful' as EventName<ChurchhubBookingSuccessfulEvent>,
    onError: 'churchhub-error' as EventName<ChurchhubErrorEvent>,
  },
  displayName: 'ChurchhubBooking',
})
