// The helpers other tests build their apps with hand every option on: a test that asks for a
// rate limit, a Cal.com client or no sandbox gets it, rather than a default in its place.
import t from 'tap'
import { buildDemo } from '../../demo/test/helpers.js'
import type { CalClient } from '../cal/client.js'
import { ManualClock } from '../clock.js'
import { build, testConfig } from './helpers.js'

t.test('build() passes every option through to the product', async (t) => {
  const calClient = { marker: 'the test\'s own client', managedUsers: true } as unknown as CalClient
  const clock = new ManualClock('2030-01-07T12:00:00Z')
  const config = testConfig({ ADMIN_API_KEY: 'the-test-admin-key-0123' })
  const { app, db } = await build(t, { calClient, clock, config, tokenRateLimit: { max: 1, timeWindowMs: 60_000 } })
  t.equal(app.calClient, calClient, 'calClient')
  t.equal(app.clock, clock, 'clock')
  t.equal(app.config, config, 'config')
  t.equal(app.db, db, 'db')
  const refresh = () => app.inject({ url: '/tokens/cal/refresh' })
  t.same([(await refresh()).statusCode, (await refresh()).statusCode], [401, 429], 'tokenRateLimit: the second call is over the limit of 1')
})

t.test('buildDemo() passes `sandbox` through to the demo composition', async (t) => {
  const mounted = await buildDemo(t)
  t.equal((await mounted.app.inject({ url: '/sandbox/cal/zack' })).statusCode, 200, 'by default the sandbox is mounted')
  const { app } = await buildDemo(t, { sandbox: false, db: mounted.db })
  t.equal((await app.inject({ url: '/sandbox/cal/zack' })).statusCode, 404, 'sandbox: false leaves it out')
  t.equal((await app.inject({ url: '/' })).statusCode, 200, 'while the demo pages are there')
})
