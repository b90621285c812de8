/** Human dates and times for the booking pages, always in the host's zone (the page says which). */

const dayFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' })
const monthFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'long', year: 'numeric' })

function noonUtc(date: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d, 12))
}

/** `2030-01-07` → `Monday, January 7, 2030`. */
export function longDay(date: string): string {
  return dayFormat.format(noonUtc(date))
}

/** `2030-01-07` → `January 2030`. */
export function monthName(date: string): string {
  return monthFormat.format(noonUtc(date))
}

// Building an Intl.DateTimeFormat costs about 0.1 ms and a month of 15-minute slots formats
// thousands of times, so each distinct one is built once.
const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify(options)
  let f = formatters.get(key)
  if (!f) formatters.set(key, f = new Intl.DateTimeFormat('en-US', options))
  return f
}

export function timeOfDay(at: Date, timeZone: string, timeFormat: 12 | 24 = 12): string {
  return formatter({ timeZone, hour: 'numeric', minute: '2-digit', hourCycle: timeFormat === 24 ? 'h23' : 'h12' }).format(at)
}

/** `Monday, January 7, 2030, 9:00 AM – 9:30 AM`. */
export function whenText(start: Date, end: Date, timeZone: string, timeFormat: 12 | 24 = 12): string {
  const day = formatter({ timeZone, weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }).format(start)
  return `${day}, ${timeOfDay(start, timeZone, timeFormat)} – ${timeOfDay(end, timeZone, timeFormat)}`
}

/** `YYYY-MM-DD` of the instant in the zone. */
export function isoDateIn(timeZone: string, at: Date): string {
  const parts = formatter({ timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at)
  const get = (type: string) => parts.find((p) => p.type === type)!.value
  return `${get('year')}-${get('month')}-${get('day')}`
}
