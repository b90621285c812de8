/** What POST _control/webhook-drops armed: the next N, each with probability P %, or all. */
export type DropSpec = { times: number } | { percent: number } | Record<string, never>

/**
 * Lost deliveries on demand, as when Cal.com's single attempt fails and it never retries: a dropped
 * delivery is recorded (so a test can count it) but not sent.
 */
export class DeliveryDrops {
  #spec: DropSpec | undefined
  #random: () => number = Math.random
  dropped = 0

  arm(spec: DropSpec, random?: () => number) {
    this.#spec = 'times' in spec ? { times: spec.times } : spec
    if (random) this.#random = random
  }

  clear() { this.#spec = undefined }

  describe() { return this.#spec ?? null }

  /** Whether this delivery is lost; counts it against `times`. */
  take(): boolean {
    const spec = this.#spec
    if (!spec) return false
    let drop: boolean
    if ('times' in spec) {
      drop = spec.times > 0
      if (drop && --spec.times === 0) this.#spec = undefined
    } else if ('percent' in spec) {
      drop = this.#random() * 100 < spec.percent
    } else {
      drop = true
    }
    if (drop) this.dropped++
    return drop
  }
}
