import fp from 'fastify-plugin'
import { purgeUnlinkedResponses } from '../forms/purge-unlinked-job.js'
import { purgeRawDeliveries } from '../privacy/raw-delivery-job.js'
import { runRetention } from '../privacy/retention-job.js'
import { Reconciler } from '../reconcile/reconciler.js'
import { type Job, Scheduler } from './scheduler.js'

declare module 'fastify' {
  interface FastifyInstance {
    reconciler: Reconciler
    scheduler: Scheduler
    /** The scheduled jobs by name: other features add theirs as `{ name, everyMs, run }`. */
    jobs: Map<string, Job>
  }
}

export const RECONCILE_JOB = 'reconcile-bookings'
const DAY_MS = 24 * 60 * 60 * 1000

/**
 * The reconciler and the background scheduler. Jobs start once the app is ready when `start` is
 * true (the entry points say so; tests build apps without timers) and stop before the database closes.
 */
export const jobServices = fp<{ start?: boolean | undefined; extraJobs?: Job[] | undefined }>(async (app, options) => {
  const reconciler = new Reconciler({ db: app.db, ring: app.keyRing, cal: app.calAccount, connections: app.hostConnections, clock: app.clock })
  const { db, clock, config } = app
  const jobs = new Map<string, Job>([
    [RECONCILE_JOB, { name: RECONCILE_JOB, everyMs: config.reconcileIntervalMs, run: () => reconciler.run() }],
    // Privacy: personal fields go RETENTION_DAYS after a booking ends, raw bodies after RAW_DELIVERY_DAYS.
    ['retention', { name: 'retention', everyMs: DAY_MS, run: () => runRetention({ db, clock, retentionDays: config.retentionDays }) }],
    ['raw-deliveries', { name: 'raw-deliveries', everyMs: DAY_MS, run: () => purgeRawDeliveries({ db, clock, rawDeliveryDays: config.rawDeliveryDays }) }],
    // Answers never tied to a booking go after 24 hours; hourly keeps them from lingering much longer.
    ['unlinked-responses', { name: 'unlinked-responses', everyMs: 60 * 60 * 1000, run: () => purgeUnlinkedResponses({ db, clock }) }],
  ])
  for (const job of options.extraJobs ?? []) jobs.set(job.name, job)
  const scheduler = new Scheduler({ db: app.db, log: app.log, jobs: [...jobs.values()] })
  app.decorate('reconciler', reconciler)
  app.decorate('scheduler', scheduler)
  app.decorate('jobs', jobs)
  if (options.start) app.addHook('onReady', async () => { scheduler.start() })
  app.addHook('preClose', async () => { await scheduler.stop() })
}, { name: 'job-services', dependencies: ['connection-services'] })
