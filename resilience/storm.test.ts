import t from 'tap'
import { inPool, postDelivery, tally } from './support/send.js'
import { twoServerStorm } from './support/two-server-storm.js'

const BOOKINGS = Number(process.env.STORM_BOOKINGS ?? 1000)
const CONCURRENCY = 32

if (!process.env.DATABASE_URL) {
  t.plan(0, 'storm needs two server processes on one Postgres: set DATABASE_URL (PGlite is single-process)')
} else {
  t.test('webhook storm across two server processes on one Postgres', async (t) => {
    const { storm, servers, checkOutcome } = await twoServerStorm(t, 'storm', BOOKINGS, ['server-1', 'server-2'])

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
    await checkOutcome()
  })
}
