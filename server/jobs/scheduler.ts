import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import { releaseLease, takeLease } from './job-lock.js'

/** A job the scheduler runs every `everyMs` (plus jitter), once across replicas. */
export interface Job {
  name: string
  everyMs: number
  run: () => Promise<unknown>
  /** How long one run may hold the lock (default 10 minutes, or 2 × everyMs when longer). */
  leaseMs?: number
}

export interface SchedulerOptions {
  db: Kysely<Database>
  log: FastifyBaseLogger
  jobs: Job[]
  /** Up to this share of everyMs is added at random to each wait, so replicas do not wake together (default 0.1). */
  jitter?: number
  /** First run after this long (default: at once, plus jitter): "on start". */
  firstDelayMs?: number
  random?: () => number
}

/**
 * Runs jobs in the background: never awaited by a request, each run in its own promise, so a slow
 * or failing job (Cal.com down) holds nothing else up. A job runs on one replica per interval:
 * the database lease in job_locks decides which.
 */
export class Scheduler {
  readonly holder = randomUUID()
  #timers = new Map<string, NodeJS.Timeout>()
  #running = new Set<Promise<unknown>>()
  #stopped = false

  constructor(private readonly options: SchedulerOptions) {}

  start() {
    // The first run comes soon after start, spread over a few seconds rather than a tenth of the interval.
    for (const job of this.options.jobs) this.#schedule(job, this.options.firstDelayMs ?? 0, Math.min(5_000, job.everyMs))
  }

  /** Runs a job now on this replica if no one else holds it; false when another run holds the lease. */
  async runNow(job: Job, force = true): Promise<boolean> {
    const { db, log } = this.options
    const leaseMs = job.leaseMs ?? Math.max(10 * 60_000, 2 * job.everyMs)
    let mine = false
    try {
      mine = await takeLease(db, job.name, this.holder, job.everyMs, leaseMs, force)
      if (!mine) return false
      await job.run()
      return true
    } catch (err) {
      log.warn({ err, job: job.name }, 'scheduled job failed; it runs again at its next turn')
      return mine
    } finally {
      if (mine) await releaseLease(db, job.name, this.holder).catch((err: unknown) => log.warn({ err, job: job.name }, 'could not release a job lease; it expires by itself'))
    }
  }

  /** Stops the timers and waits for runs in progress. */
  async stop() {
    this.#stopped = true
    for (const timer of this.#timers.values()) clearTimeout(timer)
    this.#timers.clear()
    await Promise.allSettled([...this.#running])
  }

  #schedule(job: Job, baseMs: number, spreadMs = (this.options.jitter ?? 0.1) * job.everyMs) {
    if (this.#stopped) return
    const random = this.options.random ?? Math.random
    const wait = baseMs + random() * spreadMs
    const timer = setTimeout(() => {
      const run = this.runNow(job, false).finally(() => {
        this.#running.delete(run)
        this.#schedule(job, job.everyMs)
      })
      this.#running.add(run)
    }, wait)
    timer.unref()
    this.#timers.set(job.name, timer)
  }
}
