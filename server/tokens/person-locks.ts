import { type Kysely, sql, type Transaction } from 'kysely'
import type { DatabaseKind } from '../../db/open-database.js'
import type { Database } from '../../db/schema.js'
import type { Executor } from '../audit.js'
import { CalError } from '../cal/errors.js'

/**
 * Makes "one Cal.com call per person at a time" hold, across replicas, without letting a slow
 * Cal.com starve everyone else of the database.
 *
 * Postgres (any number of replicas): `work` runs in a transaction, where it takes the row lock
 * (or the email's advisory lock) and stores the result, so the database decides who calls Cal.com.
 * A transaction waiting on Cal.com holds a pool connection, so only `maxConcurrentCalls` of them
 * run at once per process; the rest of the pool keeps serving tokens from the database.
 *
 * PGlite: one process owns the database (PGlite cannot be shared), and it has one connection; a
 * transaction held across a Cal.com call would stop every other query. So the lock is this
 * process's, per person, and `work` runs on the database outside a transaction.
 *
 * Waiting for either counts against the caller's deadline: past it, 504 `cal_timeout`.
 */
export class PersonLocks {
  #chains: Map<string, Promise<void>>
  #freeSlots: number
  #slotWaiters: (() => void)[] = []

  constructor(private readonly db: Kysely<Database>, private readonly kind: DatabaseKind, maxConcurrentCalls = 4) {
    this.#freeSlots = maxConcurrentCalls
    // Per database, not per app: two apps in one process on one PGlite must share the lock.
    let chains = chainsByDatabase.get(db)
    if (!chains) chainsByDatabase.set(db, (chains = new Map()))
    this.#chains = chains
  }

  async run<T>(key: string, deadline: number, work: (executor: Executor) => Promise<T>): Promise<T> {
    if (this.kind === 'pglite') return this.#inProcess(key, deadline, () => work(this.db))
    await this.#takeSlot(deadline)
    try {
      return await this.db.transaction().execute(async (trx) => {
        // Waiting behind another replica's lock counts against this request's budget too.
        await sql`select set_config('lock_timeout', ${`${Math.max(1, deadline - Date.now())}ms`}, true)`.execute(trx)
        return work(trx)
      })
    } catch (error) {
      if ((error as { code?: string }).code === '55P03') throw waitedTooLong()
      throw error
    } finally {
      this.#releaseSlot()
    }
  }

  async #inProcess<T>(key: string, deadline: number, work: () => Promise<T>): Promise<T> {
    const previous = this.#chains.get(key) ?? Promise.resolve()
    let release!: () => void
    const mine = new Promise<void>((resolve) => { release = resolve })
    const tail = previous.then(() => mine)
    this.#chains.set(key, tail)
    try {
      if (!(await settlesBefore(previous, deadline))) throw waitedTooLong()
      return await work()
    } finally {
      release()
      if (this.#chains.get(key) === tail) this.#chains.delete(key)
    }
  }

  async #takeSlot(deadline: number) {
    if (this.#freeSlots > 0) { this.#freeSlots--; return }
    let granted!: () => void
    const turn = new Promise<void>((resolve) => { granted = resolve })
    this.#slotWaiters.push(granted)
    if (await settlesBefore(turn, deadline)) return
    // Gave up: leave the queue, or hand on a slot granted in the meantime.
    const index = this.#slotWaiters.indexOf(granted)
    if (index >= 0) this.#slotWaiters.splice(index, 1)
    else this.#releaseSlot()
    throw waitedTooLong()
  }

  #releaseSlot() {
    const next = this.#slotWaiters.shift()
    if (next) next()
    else this.#freeSlots++
  }
}

const chainsByDatabase = new WeakMap<Kysely<Database>, Map<string, Promise<void>>>()

/** Runs `work` in a transaction unless it already is in one. */
export function atomically<T>(executor: Executor, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return executor.isTransaction ? work(executor as Transaction<Database>) : executor.transaction().execute(work)
}

const waitedTooLong = () => CalError.timeout('token refresh (another request for this person is waiting on Cal.com)')

async function settlesBefore(promise: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now())) })
  try {
    return await Promise.race([promise.then(() => true as const), late])
  } finally {
    clearTimeout(timer)
  }
}
