import fp from 'fastify-plugin'
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

/**
 * The reconciler and the background scheduler. Jobs start once the app is ready when `start` is
 * true (the entry points say so; tests build apps without timers) and stop before the database closes.
 */
export const jobServices = fp<{ start?: boolean | undefined; extraJobs?: Job[] | undefined }>(async (app, options) => {
  const reconciler = new Reconciler({ db: app.db, cal: app.calAccount, connections: app.hostConnections, clock: app.clock })
  const jobs = new Map<string, Job>([[RECONCILE_JOB, { name: RECONCILE_JOB, everyMs: app.config.reconcileIntervalMs, run: () => reconciler.run() }]])
  for (const job of options.extraJobs ?? []) jobs.set(job.name, job)
  const scheduler = new Scheduler({ db: app.db, log: app.log, jobs: [...jobs.values()] })
  app.decorate('reconciler', reconciler)
  app.decorate('scheduler', scheduler)
  app.decorate('jobs', jobs)
  if (options.start) app.addHook('onReady', async () => { scheduler.start() })
  app.addHook('preClose', async () => { await scheduler.stop() })
}, { name: 'job-services', dependencies: ['connection-services'] })
