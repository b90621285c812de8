/** Time as the app sees it; tests hand in one they can move. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export class ManualClock implements Clock {
  #ms: number
  constructor(start: Date | string | number = '2026-01-05T15:00:00.000Z') {
    this.#ms = new Date(start).getTime()
  }
  now() { return new Date(this.#ms) }
  advance(ms: number) { this.#ms += ms }
  set(to: Date | string | number) { this.#ms = new Date(to).getTime() }
}
