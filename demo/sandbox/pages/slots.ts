import type { SandboxState } from '../state.js'
import { localParts, zonedTimeToUtc } from '../time.js'
import { isoDateIn } from './format.js'

export interface Slot { start: Date; end: Date }
/** One calendar day in the host's zone: `date` is `YYYY-MM-DD`, `weekday` 0 = Sunday. */
export interface Day { date: string; weekday: number; slots: Slot[] }

/** How far ahead the booking page offers times: a month, as Cal.com's month view does. */
export const DAYS_SHOWN = 31

const pad = (n: number) => String(n).padStart(2, '0')

/** Today and the following days in the host's zone, each with the slots still free on it (possibly none). */
export function monthOfSlots(state: SandboxState, username: string, slug: string): Day[] {
  const host = state.findHost(username)
  const eventType = state.findEventType(username, slug)
  if (!host || !eventType) return []
  const now = state.clock.now()
  const today = localParts(host.timeZone, now)
  const days: Day[] = []
  for (let i = 0; i < DAYS_SHOWN; i++) {
    // Calendar arithmetic at noon UTC never crosses a date line.
    const cal = new Date(Date.UTC(today.year, today.month - 1, today.day + i, 12))
    days.push({ date: `${cal.getUTCFullYear()}-${pad(cal.getUTCMonth() + 1)}-${pad(cal.getUTCDate())}`, weekday: cal.getUTCDay(), slots: [] })
  }
  const last = days[days.length - 1]!.date.split('-').map(Number) as [number, number, number]
  const to = zonedTimeToUtc(host.timeZone, last[0], last[1], last[2] + 1, 0)
  const byDate = new Map(days.map((d) => [d.date, d]))
  for (const iso of state.availableSlots(username, slug, { from: now, to })) {
    const start = new Date(iso)
    byDate.get(isoDateIn(host.timeZone, start))?.slots.push({ start, end: new Date(start.getTime() + eventType.length * 60_000) })
  }
  return days
}
