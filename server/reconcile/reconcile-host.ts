import type { Kysely } from 'kysely'
import type { Database, HostConnectionRow } from '../../db/schema.js'
import type { BookingsPage, CalAccountClient } from '../cal/account-client.js'
import { isCalError } from '../cal/errors.js'
import type { BookingsQuery } from '../cal/v2-schemas.js'
import { applyPage } from './apply-page.js'
import type { Sealer } from '../privacy/sealed.js'

/** Largest page Cal.com serves. */
export const PAGE_SIZE = 250
/** How far before the watermark each sweep starts again: changes committed out of order, clock steps. */
export const OVERLAP_MS = 10 * 60_000
/** The longest wait for Cal.com's rate-limit window; longer, and the run stops here until next time. */
const MAX_RATE_WAIT_MS = 65_000

export interface HostSweep {
  fetched: number
  created: number
  updated: number
  unchanged: number
  requests: number
  updatedWatermark: Date | null
  createdWatermark: Date | null
}

export interface SweepDeps {
  db: Kysely<Database>
  /** Seals the personal facts a listed booking carries, as the webhook path does. */
  ring: Sealer
  cal: CalAccountClient
  now: () => Date
  sleep?: (ms: number) => Promise<void>
}

const later = (a: Date | null, b: string | null | undefined) => (b && (!a || Date.parse(b) > a.getTime()) ? new Date(b) : a)

/**
 * One host's sweep: bookings changed since the `updatedAt` watermark (minus the overlap), oldest
 * change first, and bookings created since the `createdAt` watermark, since Cal.com may leave
 * `updatedAt` null on a booking never changed (the first run lists everything by creation).
 * Each booking is applied once per run, however many sweeps list it.
 */
export async function sweepHost(deps: SweepDeps, connection: HostConnectionRow, bearer: string): Promise<HostSweep> {
  const sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
  const result: HostSweep = {
    fetched: 0, created: 0, updated: 0, unchanged: 0, requests: 0,
    updatedWatermark: connection.updated_watermark ? new Date(connection.updated_watermark) : null,
    createdWatermark: connection.created_watermark ? new Date(connection.created_watermark) : null,
  }
  const back = (d: Date) => new Date(d.getTime() - OVERLAP_MS).toISOString()
  const sweeps: BookingsQuery[] = []
  if (result.updatedWatermark) sweeps.push({ afterUpdatedAt: back(result.updatedWatermark), sortUpdatedAt: 'asc' })
  sweeps.push(result.createdWatermark ? { afterCreatedAt: back(result.createdWatermark), sortCreated: 'asc' } : { sortCreated: 'asc' })
  const seen = new Set<string>()

  const fetchPage = async (query: BookingsQuery): Promise<BookingsPage> => {
    for (let attempt = 0; ; attempt++) {
      result.requests++
      try {
        return await deps.cal.listBookings(bearer, query)
      } catch (error) {
        // 429: wait for the window Cal.com names (X-RateLimit-Reset), a few times at most. A broken
        // connection (a keep-alive socket closed under us) is worth one more try after a second.
        const retryAfter = !isCalError(error) ? undefined
          : error.failure === 'rate_limited' ? Number(error.headers['retry-after'] ?? 60) * 1000
            : error.failure === 'unreachable' ? 1000 : undefined
        if (retryAfter === undefined || attempt >= 2 || retryAfter > MAX_RATE_WAIT_MS) throw error
        await sleep(retryAfter)
      }
    }
  }

  for (const sweep of sweeps) {
    for (let skip = 0; ; skip += PAGE_SIZE) {
      const page = await fetchPage({ ...sweep, take: PAGE_SIZE, skip })
      const fresh = page.bookings.filter((b) => !seen.has(b.uid))
      for (const b of fresh) {
        seen.add(b.uid)
        result.updatedWatermark = later(result.updatedWatermark, b.updatedAt ?? b.createdAt)
        result.createdWatermark = later(result.createdWatermark, b.createdAt)
      }
      result.fetched += fresh.length
      const counts = await applyPage(deps.db, deps.ring, fresh, deps.now())
      result.created += counts.created
      result.updated += counts.updated
      result.unchanged += counts.unchanged
      if (!page.pagination.hasNextPage || page.bookings.length === 0) break
      // Spend the budget, never overdraw it: out of requests, wait for the window to open.
      const { remaining, resetSeconds } = page.rateLimit
      if (remaining !== undefined && remaining <= 0) await sleep(Math.min(MAX_RATE_WAIT_MS, (resetSeconds ?? 60) * 1000))
    }
  }
  return result
}
