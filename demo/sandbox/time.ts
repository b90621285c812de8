/** Minutes east of UTC that `timeZone` observes at `at` (Cal.com's `utcOffset`). */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(at)
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000)
}

/** The instant at which the wall clock in `timeZone` reads the given local date and minute of day. */
export function zonedTimeToUtc(timeZone: string, year: number, month: number, day: number, minuteOfDay: number): Date {
  const wall = Date.UTC(year, month - 1, day) + minuteOfDay * 60_000
  // Two passes settle the offset even on a DST changeover day.
  let guess = wall - utcOffsetMinutes(timeZone, new Date(wall)) * 60_000
  guess = wall - utcOffsetMinutes(timeZone, new Date(guess)) * 60_000
  return new Date(guess)
}

/** The local calendar date, weekday (0 = Sunday) and minute of day of `at` in `timeZone`. */
export function localParts(timeZone: string, at: Date) {
  const shifted = new Date(at.getTime() + utcOffsetMinutes(timeZone, at) * 60_000)
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    weekday: shifted.getUTCDay(),
    minuteOfDay: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
  }
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}

/** `2025-06-05T14:00:00Z`: UTC without milliseconds, as Cal.com writes booking times in webhooks. */
export function calTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z')
}
