import t from 'tap'
import pino from 'pino'
import { testDatabase } from '../../db/testing.js'
import { Scheduler } from '../jobs/scheduler.js'

const quiet = pino({ level: 'silent' })

t.test('a job runs once across replicas: two schedulers on one database, one run per interval', async (t) => {
  const { db } = await testDatabase(t)
  let runs = 0
  let release!: () => void
  const gate = new Promise<void>((resolve) => { release = resolve })
  const job = { name: 'count', everyMs: 60_000, run: async () => { runs++; await gate } }
  const a = new Scheduler({ db, log: quiet, jobs: [job] })
  const b = new Scheduler({ db, log: quiet, jobs: [job] })
  const first = a.runNow(job, false)
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(await b.runNow(job, false), false, 'the other replica finds the lease taken')
  release()
  t.equal(await first, true)
  t.equal(await b.runNow(job, false), false, 'and, once it is free, the job is not due again within the interval')
  t.equal(runs, 1)
  t.equal(await b.runNow(job, true), true, 'on demand it runs regardless of the interval')
  t.equal(runs, 2)
})

t.test('a failing job is logged and leaves the lease free; start() runs jobs soon and stop() waits for them', async (t) => {
  const { db } = await testDatabase(t)
  const job = { name: 'fails', everyMs: 60_000, run: async () => { throw new Error('Cal.com is down') } }
  const s = new Scheduler({ db, log: quiet, jobs: [job] })
  t.equal(await s.runNow(job), true)
  const lock = await db.selectFrom('job_locks').selectAll().where('name', '=', 'fails').executeTakeFirstOrThrow()
  t.same([lock.holder, lock.lease_until], [null, null])

  let ran = 0
  const quick = new Scheduler({ db, log: quiet, jobs: [{ name: 'quick', everyMs: 60_000, run: async () => { ran++ } }], random: () => 0 })
  quick.start()
  await new Promise((resolve) => setTimeout(resolve, 200))
  await quick.stop()
  t.equal(ran, 1, 'ran on start')
})

t.test('the product schedules reconciliation, retention and the raw-body purge, each once across replicas', async (t) => {
  const { build } = await import('./helpers.js')
  const { app } = await build(t)
  t.same([...app.jobs.keys()].sort(), ['raw-deliveries', 'reconcile-bookings', 'retention', 'unlinked-responses'])
  t.equal(app.jobs.get('retention')!.everyMs, 24 * 60 * 60 * 1000, 'retention runs daily')
  t.same(await app.jobs.get('retention')!.run(), { status: 'done', bookings: 0, deliveries: 0 }, 'the retention job runs against the app\'s database')
})
