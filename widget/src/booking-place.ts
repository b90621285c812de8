import { preconnect, startEmbedJs } from './cal-embed.js'
import { type FetchLike, type HostInfo, type MemberInfo, fetchHostInfo, fetchMember, scriptOrigin } from './host-info.js'
import { served } from './served-config.js'

/** Where the booking page lives: from the host answer, or from `cal-link` and what the server wrote into the script. */
export type BookingPlace = Pick<HostInfo, 'calLink' | 'calOrigin' | 'embedJsUrl'>

export interface PlaceInputs {
  username: string
  calLink: string
  memberToken: string
  api: string
  fetch: FetchLike
}

let started: Promise<boolean> | undefined

/** embed.js and the connection to the booking origin, as the serving server wrote them into this script: once a page. */
export function startServed() {
  if (served && !started) {
    preconnect(served.calOrigin)
    started = startEmbedJs(served.embedJsUrl)
  }
}

/**
 * Starts everything a booking page needs at the same moment: embed.js and the connection to the
 * booking origin (from what the serving server wrote into this script), the host answer (unless
 * the tag gave the link) and the signed-in member. None waits for another.
 */
export function findBookingPlace(el: PlaceInputs, signal: AbortSignal, onMemberError: (err: Error) => void) {
  startServed()
  const api = el.api || scriptOrigin
  return Promise.all([
    // `cal-link` needs what a serving server wrote (the booking origin); bundled from npm, the host is asked.
    el.calLink && served ? { ...served, calLink: el.calLink } : fetchHostInfo(el.fetch, api, el.username, signal),
    // Without the member the booking page still works, just not pre-filled: say so, carry on.
    el.memberToken && fetchMember(el.fetch, api, el.memberToken, signal).catch((err: Error) => {
      if (!signal.aborted) onMemberError(err)
    }),
  ]) as Promise<[BookingPlace, MemberInfo | undefined]>
}
