import { randomBytes } from 'node:crypto'
import t from 'tap'
import { checkDeliveriesOnce, checkFinalStates } from './support/booking-checks.js'
import { logFile, namedSecrets, scenarioSecrets, serverEnv } from './support/environment.js'
import { OutputLog } from './support/output-log.js'
import { seededRandom } from './support/random.js'
import { scratchDatabase } from './support/scratch-database.js'
import { leakedSecrets } from './support/secrets.js'
import { inPool, postDelivery, tally } from './support/send.js'
import { startServer } from './support/server-process.js'
import { buildStorm } from './support/storm.js'

const BOOKINGS = Number(process.env.STORM_BOOKINGS ?? 1000)
const CONCURRENCY = 32

if (!process.env.DATABASE_URL) {
  t.plan(0, 'storm needs two server processes on one Postgres: set DATABASE_URL (PGlite is single-process)')
} else {
  t.test('webhook storm across two server processes on one Postgres', async (t) => {
    const seed = Number(process.env.STORM_SEED ?? randomBytes(4).readUInt32LE())
    t.comment(`seed ${seed} (STORM_SEED=${seed} replays this run)`)
    const secrets = scenarioSecrets()
    const runId = randomBytes(5).toString('hex')
    const storm = buildStorm(seededRandom(seed), { bookings: BOOKINGS, duplicateShare: 0.3, secret: secrets.webhookSecret, runId })
    const log = new OutputLog()
    t.teardown(() => log.writeTo(logFile('storm')))

    const database = await scratchDatabase(t, process.env.DATABASE_URL!)
    const env = serverEnv(secrets, { DATABASE_URL: database.url })
    const first = await startServer('server-1', env, log)
    t.teardown(() => first.stop())
    const second = await startServer('server-2', env, log)
    t.teardown(() => second.stop())
    const servers = [first, second]

    const statuses: (number | string)[] = []
    const started = performance.now()
    await inPool(storm.deliveries, CONCURRENCY, async (delivery, i) => {
      const status = await postDelivery(servers[i % 2]!.url, delivery).catch((e: Error) => `network:${e.name}`)
      statuses.push(status)
    })
    const seconds = (performance.now() - started) / 1000
    t.comment(`${storm.deliveries.length} deliveries (${storm.distinct} distinct) in ${seconds.toFixed(1)} s, ${(storm.deliveries.length / seconds).toFixed(0)}/s; statuses ${JSON.stringify(tally(statuses))}`)

    t.equal(statuses.filter((s) => typeof s !== 'number' || s >= 500).length, 0, '0 responses ≥ 500 and no dropped connection')
    t.equal(statuses.filter((s) => typeof s === 'number' && s >= 200 && s < 300).length, storm.deliveries.length, 'every delivery acknowledged with a 2xx')
    await checkDeliveriesOnce(t, database.db, storm)
    await checkFinalStates(t, database.db, storm, secrets.tokenEncryptionKey)

    await first.stop()
    await second.stop()
    const leaks = leakedSecrets(log.text(), {
      ...namedSecrets(secrets),
      'attendee emails (run marker)': runId,
    })
    t.same(leaks, [], 'no secret or attendee email in the servers\' output')
  })
}
