import type { FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import type { Clock } from './clock.js'
import { truncateAddress } from './privacy/address.js'

/** How often counts reach the database; a replica that stops loses at most this much (it flushes on close). */
export const FLUSH_EVERY_MS = 5_000
/** Distinct keys held before an early flush, so addresses sprayed from a large network stay bounded in memory. */
const MAX_PENDING = 5_000

interface Pending { minute: Date; address: string; route: string; reason: string; count: number }

/**
 * Refused anonymous calls — forged or unsigned webhooks, wrong keys, bad member assertions, unknown
 * refresh tokens — counted in memory and written as one row per address, route, reason and minute
 * (`audit_refusals`), added to the row another replica may have written. A flood of a hundred
 * thousand posts is a handful of rows, and costs the database a statement every few seconds.
 */
export class RefusalLog {
  #pending = new Map<string, Pending>()
  #timer: NodeJS.Timeout | undefined
  #flushing: Promise<void> = Promise.resolve()

  constructor(private readonly db: Kysely<Database>, private readonly clock: Clock) {}

  /** Counts one refusal of this request; `reason` is a code, never what was sent. */
  record(request: FastifyRequest, reason: string): void {
    const minute = new Date(Math.floor(this.clock.now().getTime() / 60_000) * 60_000)
    const route = request.routeOptions.url ?? request.url.split('?')[0]!.slice(0, 200)
    // Cut to its /24 or /48: enough to see abuse from a network, not to name a household.
    const address = truncateAddress(request.ip)
    const key = `${minute.getTime()} ${address} ${route} ${reason}`
    const pending = this.#pending.get(key)
    if (pending) pending.count++
    else this.#pending.set(key, { minute, address, route, reason, count: 1 })
    if (this.#pending.size >= MAX_PENDING) void this.flush()
    else this.#timer ??= setTimeout(() => { void this.flush() }, FLUSH_EVERY_MS).unref()
  }

  /** Writes what is counted so far; tests call it to read the rows at once. */
  flush(): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    const rows = [...this.#pending.values()]
    this.#pending.clear()
    this.#flushing = this.#flushing.then(() => this.#write(rows))
    return this.#flushing
  }

  async #write(rows: Pending[]) {
    // A few hundred rows a statement keeps each well under Postgres's 65,535 parameters.
    for (let i = 0; i < rows.length; i += 500) {
      await this.db.insertInto('audit_refusals').values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.columns(['minute', 'address', 'route', 'reason'])
          .doUpdateSet((eb) => ({ count: eb('audit_refusals.count', '+', eb.ref('excluded.count')) })))
        .execute()
        .catch(() => { /* an audit count lost is not worth failing a request or a shutdown over */ })
    }
  }
}
