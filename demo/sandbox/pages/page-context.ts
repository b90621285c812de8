/**
 * What a booking-page request says about how to render: embedded or not, theme and layout,
 * the prefill the embed passed (docs/calcom.md, "Booking pages and prefill": every config key
 * arrives as a query parameter), and which parameters to carry to the next page of the same iframe.
 */

export type Theme = 'light' | 'dark' | undefined

export interface Prefill {
  name: string
  email: string
  notes: string
  guests: string[]
  metadata: Record<string, string>
}

export interface PageContext {
  /** Root-relative URL of the sandbox mount, e.g. `/sandbox/cal`. */
  base: string
  /** Opened by embed.js (an `embed` parameter or an `/embed` path); the script still checks it is framed. */
  embed: boolean
  theme: Theme
  layout: string | undefined
  query: URLSearchParams
  prefill: Prefill
}

/** Booker state that belongs to one page and must not follow the visitor to the next. */
const PAGE_ONLY = new Set(['date', 'slot', 'month', 'rescheduleUid', 'rescheduledBy', 'cancel', 'preload', 'prerender', 'isSuccessBookingPage'])
const LAYOUTS = new Set(['month_view', 'week_view', 'column_view'])

export function pageContext(base: string, rawUrl: string, pathIsEmbed: boolean): PageContext {
  const query = new URLSearchParams(rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?') + 1) : '')
  const theme = query.get('theme')
  const layout = query.get('layout') ?? undefined
  const metadata: Record<string, string> = {}
  for (const [key, value] of query) {
    const m = /^metadata\[([^\]]{1,40})\]$/.exec(key)
    if (m) metadata[m[1]!] = value
  }
  // embed.js copies `guests` to `guest` as well (§2); take both, once each.
  const guests = [...new Set([...query.getAll('guests'), ...query.getAll('guest')].flatMap(splitList))]
  return {
    base,
    embed: pathIsEmbed || query.has('embed'),
    theme: theme === 'dark' || theme === 'light' ? theme : undefined,
    layout: layout && LAYOUTS.has(layout) ? layout : undefined,
    query,
    prefill: { name: query.get('name') ?? '', email: query.get('email') ?? '', notes: query.get('notes') ?? '', guests, metadata },
  }
}

export function splitList(text: string): string[] {
  return text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean)
}

/** The query to carry onwards (embed namespace, theme, prefill…), with `extra` set on top. */
export function carriedQuery(ctx: PageContext, extra: Record<string, string | undefined> = {}): string {
  const next = new URLSearchParams()
  for (const [k, v] of ctx.query) if (!PAGE_ONLY.has(k) && !(k in extra)) next.append(k, v)
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) next.set(k, v)
  const s = next.toString()
  return s ? `?${s}` : ''
}

/** A link to another sandbox page, in its `/embed` form when this page is embedded. */
export function pageUrl(ctx: PageContext, path: string, extra: Record<string, string | undefined> = {}): string {
  return `${ctx.base}${path}${ctx.embed ? '/embed' : ''}${carriedQuery(ctx, extra)}`
}
