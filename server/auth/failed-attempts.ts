import type { Clock } from '../clock.js'
import { AppError } from '../errors.js'

export interface FailedAttemptLimit { max: number; windowMs: number }

/** Ten wrong keys a minute is more than a mistyped configuration makes and far too few to guess one. */
export const DEFAULT_FAILED_ATTEMPT_LIMIT: FailedAttemptLimit = { max: 10, windowMs: 60_000 }
/** Beyond this many addresses the expired windows are swept, so a spray of addresses cannot grow it unbounded. */
const SWEEP_AT = 10_000

/**
 * Wrong admin or token keys counted per address: once an address has failed `max` times in a
 * window, every key attempt from it (right or wrong) is answered 429 until the window ends. Kept in
 * memory, per process: each replica counts its own.
 */
export class FailedAttempts {
  #windows = new Map<string, { count: number; endsAt: number }>()

  constructor(private readonly clock: Clock, readonly limit: FailedAttemptLimit = DEFAULT_FAILED_ATTEMPT_LIMIT) {}

  /** Throws 429 when the address has used up its failures for this window. */
  check(address: string): void {
    const window = this.#current(address)
    if (window && window.count >= this.limit.max) {
      const seconds = Math.max(1, Math.ceil((window.endsAt - this.clock.now().getTime()) / 1000))
      throw new AppError(429, 'rate_limited', `Too many wrong keys from this address; retry after ${seconds} s.`, { 'retry-after': String(seconds) })
    }
  }

  fail(address: string): void {
    const now = this.clock.now().getTime()
    const window = this.#current(address)
    if (window) window.count++
    else {
      if (this.#windows.size >= SWEEP_AT) this.#sweep(now)
      this.#windows.set(address, { count: 1, endsAt: now + this.limit.windowMs })
    }
  }

  #current(address: string) {
    const window = this.#windows.get(address)
    return window && window.endsAt > this.clock.now().getTime() ? window : undefined
  }

  #sweep(now: number) {
    for (const [address, window] of this.#windows) if (window.endsAt <= now) this.#windows.delete(address)
  }
}
