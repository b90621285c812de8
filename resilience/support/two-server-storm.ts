import { randomBytes } from 'node:crypto'
import type { Test } from 'tap'
import { checkDeliveriesOnce, checkFinalStates } from './booking-checks.js'
import { logFile, namedSecrets, scenarioSecrets, serverEnv } from './environment.js'
import { OutputLog } from './output-log.js'
import { seededRandom } from './random.js'
import { scratchDatabase } from './scratch-database.js'
import { leakedSecrets } from './secrets.js'
import { startServer } from './server-process.js'
import { buildStorm } from './storm.js'

/**
 * What `storm` and `crash` share: a seeded storm of deliveries (30% redelivered), a scratch schema
 * on DATABASE_URL, and two server processes on it whose output is kept in `resilience/.logs/`.
 */
export async function twoServerStorm(t: Test, scenario: string, bookings: number, names: [string, string]) {
  const seed = Number(process.env.STORM_SEED ?? randomBytes(4).readUInt32LE())
  t.comment(`seed ${seed} (STORM_SEED=${seed} replays this run)`)
  const secrets = scenarioSecrets()
  const runId = randomBytes(5).toString('hex')
  const storm = buildStorm(seededRandom(seed), { bookings, duplicateShare: 0.3, secret: secrets.webhookSecret, runId })
  const log = new OutputLog()
  t.teardown(() => log.writeTo(logFile(scenario)))

  const database = await scratchDatabase(t, process.env.DATABASE_URL!)
  const env = serverEnv(secrets, { DATABASE_URL: database.url })
  const first = await startServer(names[0], env, log)
  t.teardown(() => first.stop())
  const second = await startServer(names[1], env, log)
  t.teardown(() => second.stop())

  /** Every delivery stored once, every booking in its final state, and no secret in the output. */
  async function checkOutcome() {
    await checkDeliveriesOnce(t, database.db, storm)
    await checkFinalStates(t, database.db, storm, secrets.tokenEncryptionKey)
    await first.stop()
    await second.stop()
    t.same(leakedSecrets(log.text(), {
      ...namedSecrets(secrets),
      'attendee emails (run marker)': runId,
    }), [], 'no secret or attendee email in the servers\' output')
  }
  return { storm, servers: [first, second] as const, checkOutcome }
}
