interface Waiting<V> {
  resolve: (value: V | undefined) => void
  reject: (error: unknown) => void
}

/**
 * Answers reads of many keys made at about the same time with one lookup.
 *
 * A query's round trip (the pool, the driver, a socket write each way) costs the server more than
 * the row it brings back, and a busy server is asked for many rows at once. So a read waits for
 * the end of the current turn of the event loop, and while `maxInFlight` lookups are already
 * running, for one of them to finish; then one lookup answers every key asked for meanwhile. A
 * caller's lookup always starts after they asked, so no answer is older than its request.
 */
export class BatchedReads<K, V> {
  #pending = new Map<K, Waiting<V>[]>()
  #scheduled = false
  #inFlight = 0
  readonly #maxInFlight: number
  readonly #maxBatch: number

  constructor(private readonly lookup: (keys: K[]) => Promise<Map<K, V>>, options: { maxInFlight?: number; maxBatch?: number } = {}) {
    this.#maxInFlight = options.maxInFlight ?? 4
    this.#maxBatch = options.maxBatch ?? 100
  }

  read(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.#pending.get(key)
      if (waiting) waiting.push({ resolve, reject })
      else this.#pending.set(key, [{ resolve, reject }])
      this.#schedule()
    })
  }

  #schedule() {
    if (this.#scheduled || this.#pending.size === 0 || this.#inFlight >= this.#maxInFlight) return
    this.#scheduled = true
    setImmediate(() => {
      this.#scheduled = false
      this.#dispatch()
    })
  }

  #dispatch() {
    while (this.#pending.size > 0 && this.#inFlight < this.#maxInFlight) {
      const batch = new Map<K, Waiting<V>[]>()
      for (const [key, waiting] of this.#pending) {
        if (batch.size === this.#maxBatch) break
        batch.set(key, waiting)
        this.#pending.delete(key)
      }
      this.#inFlight++
      void this.#run(batch)
    }
  }

  async #run(batch: Map<K, Waiting<V>[]>) {
    let found: Map<K, V>
    try {
      found = await this.lookup([...batch.keys()])
    } catch (error) {
      this.#done()
      for (const waiting of batch.values()) for (const w of waiting) w.reject(error)
      return
    }
    this.#done()
    for (const [key, waiting] of batch) for (const w of waiting) w.resolve(found.get(key))
  }

  /** The slot is free as soon as the answer is in, so what gathered meanwhile goes out next. */
  #done() {
    this.#inFlight--
    this.#schedule()
  }
}
