import { randomBytes } from 'node:crypto'
import t from 'tap'
import { checkDeliveriesOnce, checkFinalStates } from './support/booking-checks.js'
import { logFile, namedSecrets, scenarioSecrets, serverEnv } from './support/environment.js'
import { OutputLog } from './support/output-log.js'
import { seededRandom } from './support/random.js'
import { scratchDatabase } from './support/scratch-database.js'
import { leakedSecrets } from './support/secrets.js'
import { inPool, postDeliveryForAnswer, tally } from './support/send.js'
import { startServer } from './support/server-process.js'
import { buildStorm } from './support/storm.js'

const BOOKINGS = Number(process.env.CRASH_BOOKINGS ?? 400)
const CONCURRENCY = 32
/** Share of the deliveries answered before one server is killed. */
const KILL_AFTER = 0.3

if (!process.env.DATABASE_URL) {
  t.plan(0, 'crash needs two server processes on one Postgres: set DATABASE_URL (PGlite is single-process)')
} else {
  t.test('a server killed mid-storm loses nothing: the sender retries on the survivor', async (t) => {
    const seed = Number(process.env.STORM_SEED ?? randomBytes(4).readUInt32LE())
    t.comment(`seed ${seed}`)
    const secrets = scenarioSecrets()
    const runId = randomBytes(5).toString('hex')
    const storm = buildStorm(seededRandom(seed), { bookings: BOOKINGS, duplicateShare: 0.3, secret: secrets.webhookSecret, runId })
    const log = new OutputLog()
    t.teardown(() => log.writeTo(logFile('crash')))

    const database = await scratchDatabase(t, process.env.DATABASE_URL!)
    const env = serverEnv(secrets, { DATABASE_URL: database.url })
    const survivor = await startServer('survivor', env, log)
    t.teardown(() => survivor.stop())
    const victim = await startServer('victim', env, log)
    t.teardown(() => victim.stop())

    let answered = 0
    let armed = false
    let killed = false
    let retries = 0
    let storedBeforeDeath = 0
    const acknowledged = new Set<string>()
    const failures: string[] = []
    const statuses: (number | string)[] = []
    await inPool(storm.deliveries, CONCURRENCY, async (delivery, i) => {
      // Alternate while both live; a failed send is retried on the other server, as a load
      // balancer with retries (or Cal.com's own task queue) would.
      let target = !killed && i % 2 === 1 ? victim : survivor
      for (let attempt = 1; ; attempt++) {
        try {
          const sending = postDeliveryForAnswer(target.url, delivery, 15_000)
          // The kill lands, in the same tick, right after this delivery set off for the victim,
          // which cannot have answered it yet. Killing on an answer, or a tick later, could fall
          // between two of its batches with nothing of its own outstanding (seen under CI load).
          if (armed && !killed && target === victim) {
            killed = true
            victim.child.kill('SIGKILL')
          }
          const { status, text } = await sending
          if (status >= 500) throw new Error(`status ${status}`)
          statuses.push(status)
          // A retry the survivor calls a duplicate, with no copy of it acknowledged before: the
          // victim had committed it, then died before answering.
          if (attempt > 1 && text.includes('"duplicate"') && !acknowledged.has(delivery.key)) storedBeforeDeath++
          acknowledged.add(delivery.key)
          break
        } catch (error) {
          if (attempt >= 5) { failures.push(`${delivery.key}: ${(error as Error).message}`); break }
          retries++
          target = survivor
        }
      }
      if (++answered === Math.round(storm.deliveries.length * KILL_AFTER)) armed = true
    })
    t.equal(await victim.exited, 'SIGKILL', 'the victim died by SIGKILL mid-storm')
    t.comment(`${storm.deliveries.length} deliveries, ${retries} retried on the survivor (${storedBeforeDeath} of them already stored by the victim before it died); statuses ${JSON.stringify(tally(statuses))}`)
    t.same(failures, [], 'every delivery acknowledged in the end')
    t.ok(retries > 0, 'some deliveries were cut off by the kill and retried')
    await checkDeliveriesOnce(t, database.db, storm)
    await checkFinalStates(t, database.db, storm, secrets.tokenEncryptionKey)

    await survivor.stop()
    t.same(leakedSecrets(log.text(), {
      ...namedSecrets(secrets),
      'attendee emails (run marker)': runId,
    }), [], 'no secret or attendee email in the servers\' output')
  })
}
