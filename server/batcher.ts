interface Call<I, O> {
  input: I
  resolve: (output: O) => void
  reject: (error: unknown) => void
}

/**
 * Answers calls made at about the same time with one run over all their inputs.
 *
 * A database round trip (the pool, the driver, a socket write each way, and for a write its
 * commit) costs more than the row it reads or writes, and a busy server makes many at once. So a
 * call waits for the end of the current turn of the event loop, and while `maxInFlight` runs are
 * going, for one of them to finish; then one run takes every call made meanwhile, at most
 * `maxBatch` of them. A call's run always starts after the call was made.
 */
export class Batcher<I, O> {
  #pending: Call<I, O>[] = []
  #scheduled = false
  #inFlight = 0
  readonly #maxInFlight: number
  readonly #maxBatch: number

  /** `run` answers its inputs in their order, one output each. */
  constructor(private readonly run: (inputs: I[]) => Promise<O[]>, options: { maxInFlight?: number; maxBatch?: number } = {}) {
    this.#maxInFlight = options.maxInFlight ?? 4
    this.#maxBatch = options.maxBatch ?? 100
  }

  call(input: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ input, resolve, reject })
      this.#schedule()
    })
  }

  #schedule() {
    if (this.#scheduled || this.#pending.length === 0 || this.#inFlight >= this.#maxInFlight) return
    this.#scheduled = true
    setImmediate(() => {
      this.#scheduled = false
      while (this.#pending.length > 0 && this.#inFlight < this.#maxInFlight) {
        this.#inFlight++
        void this.#runBatch(this.#pending.splice(0, this.#maxBatch))
      }
    })
  }

  async #runBatch(batch: Call<I, O>[]) {
    let outputs: O[]
    try {
      outputs = await this.run(batch.map((c) => c.input))
      if (outputs.length !== batch.length) throw new Error(`A batch of ${batch.length} calls was answered with ${outputs.length} outputs.`)
    } catch (error) {
      this.#done()
      for (const c of batch) c.reject(error)
      return
    }
    this.#done()
    batch.forEach((c, i) => c.resolve(outputs[i]!))
  }

  /** The slot is free as soon as the answer is in, so what gathered meanwhile goes out next. */
  #done() {
    this.#inFlight--
    this.#schedule()
  }
}
