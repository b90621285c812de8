import { localParts, zonedTimeToUtc } from './time.js'
import type { SandboxBooking, SandboxEventType, SandboxHost } from './types.js'

/** True when [start, end) lies inside one of the host's working days and hours, in the host's time zone. */
export function withinHours(host: SandboxHost, start: Date, end: Date): boolean {
  const s = localParts(host.timeZone, start)
  const e = localParts(host.timeZone, new Date(end.getTime() - 1))
  return s.day === e.day && host.availability.days.includes(s.weekday)
    && s.minuteOfDay >= host.availability.startMinute && e.minuteOfDay < host.availability.endMinute
}

export function overlaps(bookings: Iterable<SandboxBooking>, username: string, start: Date, end: Date, exceptUid?: string): boolean {
  for (const b of bookings) {
    if (b.hostUsername === username && b.status === 'ACCEPTED' && b.uid !== exceptUid
      && Date.parse(b.startTime) < end.getTime() && Date.parse(b.endTime) > start.getTime()) return true
  }
  return false
}

/** Start times (ISO) in [from, to), one event length apart from the start of the working day, free and not before `now`. */
export function freeSlots(host: SandboxHost, eventType: SandboxEventType, bookings: SandboxBooking[], range: { from: Date; to: Date; now: Date }): string[] {
  const slots: string[] = []
  const first = localParts(host.timeZone, range.from)
  for (let d = 0; ; d++) {
    // Local noon of each day names the day unambiguously, whatever DST does at its edges.
    const noon = zonedTimeToUtc(host.timeZone, first.year, first.month, first.day + d, 12 * 60)
    if (noon.getTime() - 12 * 3600_000 > range.to.getTime()) break
    const day = localParts(host.timeZone, noon)
    if (!host.availability.days.includes(day.weekday)) continue
    for (let m = host.availability.startMinute; m + eventType.length <= host.availability.endMinute; m += eventType.length) {
      const start = zonedTimeToUtc(host.timeZone, day.year, day.month, day.day, m)
      const t = start.getTime()
      if (t < range.from.getTime() || t >= range.to.getTime() || t < range.now.getTime()) continue
      if (overlaps(bookings, host.username, start, new Date(t + eventType.length * 60_000))) continue
      slots.push(start.toISOString())
    }
  }
  return slots
}
