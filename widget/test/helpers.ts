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
/** How many Cal.com managed users the sandbox holds for these emails. */
export const managedUserCount = (emails: string[]) => executeServerCommand<number, { emails: string[] }>('sandbox-managed-users', { emails })
export const clearFaults = () => executeServerCommand('sandbox-clear-faults')
export interface TrackedRequest { url: string; at: number }
/** From now on, every request this page makes is recorded (by the browser's automation, so nothing is missed). */
export const trackRequests = () => executeServerCommand('track-requests')
export const trackedRequests = async () => (await executeServerCommand<TrackedRequest[], undefined>('tracked-requests')).map((r) => r.url)
export const trackedRequestTimes = () => executeServerCommand<TrackedRequest[], undefined>('tracked-requests')
/** The server answers `/v1/hosts/...` only after `ms`; returns nothing. */
export const delayHostAnswers = (ms: number) => executeServerCommand('delay-host-answers', { ms })
/** When each host answer since `delayHostAnswers` left the server (ms since the epoch, the same clock as trackedRequestTimes). */
export const hostAnswers = () => executeServerCommand<number[], undefined>('host-answers')
/** The next `times` requests for the server's embed.js answer 500. */
export const failEmbedJs = (times: number) => executeServerCommand('fail-embed-js', { times })
/** The server's copy of Cal.com's embed.js, as the served widget loads it. */
export const EMBED_JS_PATH = '/widget/embed.js'
/** Requests for Cal.com's pages or for embed.js (wherever it is served from). */
export const calRequests = (urls: string[], calUrl: string) => urls.filter((u) => u.startsWith(calUrl) || new URL(u).pathname.endsWith('/embed.js'))
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
