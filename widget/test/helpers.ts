import { executeServerCommand } from '@web/test-runner-commands'
import { oneEvent, waitUntil } from '@open-wc/testing'
import type { ChurchhubBookingElement } from '../src/churchhub-booking-element.js'
import type { BookingDetail, ErrorDetail } from '../src/events.js'

// The page says which build is under test: the sources or dist/churchhub-booking.js.
await import((window as any).CHURCHHUB_UNDER_TEST)

export type Booking = ChurchhubBookingElement
export interface SandboxInfo { url: string; server: string }

export const sandbox = () => executeServerCommand<SandboxInfo, undefined>('sandbox-info')
export const addFault = (spec: { path: string; fault: number | 'hang' | 'drop'; method?: string; times?: number }) =>
  executeServerCommand('sandbox-fault', spec)
export const memberAssertion = (claims: { sub: string; email: string; name: string }) =>
  executeServerCommand<string, typeof claims>('member-assertion', claims)
export const clearFaults = () => executeServerCommand('sandbox-clear-faults')
export const trackRequests = () => executeServerCommand('track-requests')
export const trackedRequests = () => executeServerCommand<string[], undefined>('tracked-requests')
export const sandboxBooking = (uid: string) => executeServerCommand<any, { uid: string }>('sandbox-booking', { uid })
export const bookInFrame = (namespace: string, fields: { name?: string; email?: string } = {}) =>
  executeServerCommand<{ start: string }, object>('book-in-frame', { namespace, ...fields })
export const frameState = (namespace: string) =>
  executeServerCommand<{ url: string; theme: string | null; layout: string | null; brand: string; lang: string }, object>('frame-state', { namespace })

/** The element's booking-page iframe (inline: in its shadow root; popup: in Cal's modal). */
export function iframeOf(el: Booking): HTMLIFrameElement | null {
  return el.shadowRoot!.querySelector('iframe') ?? null
}

export const namespaceOf = (frame: HTMLIFrameElement) => frame.name.replace(/^cal-embed=/, '')

export function ready(el: Booking) {
  return oneEvent(el, 'churchhub-ready')
}

export async function failed(el: Booking): Promise<ErrorDetail> {
  return (await oneEvent(el, 'churchhub-error')).detail
}

export async function booked(el: Booking): Promise<BookingDetail> {
  return (await oneEvent(el, 'churchhub-booking-successful')).detail
}

/** Lets pending work run: a few frames and tasks (used only to show that something did NOT happen). */
export async function settle(ms = 400) {
  await new Promise((r) => setTimeout(r, ms))
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
}

export function modalBoxes(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('cal-modal-box')]
}

export { waitUntil }
