import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import Fastify from 'fastify'
import t, { type Test } from 'tap'
import { startSandbox } from '../../demo/sandbox/standalone.js'
import { ManualClock } from '../clock.js'
import { embedJsRoutes } from '../routes/embed-js.js'
import { build, testConfig } from './helpers.js'

const require = createRequire(import.meta.url)
const installed = readFile(require.resolve('@calcom/embed-core/dist/embed/embed.js'))

/** The whole app, its embed.js copy taken from a sandbox of its own (CAL_EMBED_JS_URL). */
async function appAgainstSandbox(t: Test) {
  const sandbox = await startSandbox()
  t.teardown(() => sandbox.close())
  const { app } = await build(t, { config: testConfig({ CAL_EMBED_JS_URL: `${sandbox.url}/embed/embed.js` }) })
  return { app, sandbox }
}

t.test('serves Cal.com\'s embed.js byte for byte from its copy, cacheable, to any site', async (t) => {
  const { app } = await appAgainstSandbox(t)
  const res = await app.inject({ method: 'GET', url: '/widget/embed.js' })
  t.equal(res.statusCode, 200)
  t.ok(res.rawPayload.equals(await installed), 'the installed @calcom/embed-core build, unchanged')
  t.equal(res.headers['content-type'], 'application/javascript; charset=utf-8')
  t.equal(res.headers['cache-control'], 'public, max-age=3600, stale-while-revalidate=86400')
  t.equal(res.headers['access-control-allow-origin'], '*')
  const again = await app.inject({ method: 'GET', url: '/widget/embed.js', headers: { 'if-none-match': String(res.headers.etag) } })
  t.equal(again.statusCode, 304)
})

t.test('revalidates its copy against Cal.com with the ETag, in the background, after the interval', async (t) => {
  const sandbox = await startSandbox()
  t.teardown(() => sandbox.close())
  const exchanges: { ifNoneMatch: string | undefined; status: number }[] = []
  const recording: typeof fetch = async (input, init) => {
    const response = await fetch(input, init)
    exchanges.push({ ifNoneMatch: (init?.headers as Record<string, string>)['if-none-match'], status: response.status })
    return response
  }
  const clock = new ManualClock()
  const app = Fastify({ logger: false })
  app.decorate('clock', clock)
  await app.register(embedJsRoutes, { upstream: `${sandbox.url}/embed/embed.js`, fetch: recording, revalidateAfterMs: 60_000 })
  t.teardown(() => app.close())

  const get = () => app.inject({ method: 'GET', url: '/widget/embed.js' })
  t.equal((await get()).statusCode, 200)
  t.equal((await get()).statusCode, 200)
  t.equal(exchanges.length, 1, 'one fetch for two visitors within the interval')
  t.equal(exchanges[0]!.ifNoneMatch, undefined)
  const etag = (await fetch(`${sandbox.url}/embed/embed.js`)).headers.get('etag')

  clock.advance(60_000)
  const afterInterval = await get()
  t.equal(afterInterval.statusCode, 200, 'served from the copy at once')
  await t.resolves(waitFor(() => exchanges.length === 2))
  t.same(exchanges[1], { ifNoneMatch: etag, status: 304 }, 'revalidated with the ETag; Cal.com says unchanged')

  sandbox.faults.add({ path: '/embed/embed.js', fault: 500 })
  clock.advance(60_000)
  const duringOutage = await get()
  t.equal(duringOutage.statusCode, 200, 'Cal.com answering 500 leaves the last copy in service')
  t.ok(duringOutage.rawPayload.equals(await installed))
  await t.resolves(waitFor(() => exchanges.length === 3))
  t.equal(exchanges[2]!.status, 500)
  await get()
  t.equal(exchanges.length, 3, 'no new attempt on every request while Cal.com is away')
})

t.test('without any copy, an unreachable Cal.com is a 502 that says what failed', async (t) => {
  const { app, sandbox } = await appAgainstSandbox(t)
  sandbox.faults.add({ path: '/embed/embed.js', fault: 503 })
  const res = await app.inject({ method: 'GET', url: '/widget/embed.js' })
  t.equal(res.statusCode, 502)
  t.equal(res.json().error.code, 'embed_js_unavailable')
  t.match(res.json().error.message, /embed\.js could not be fetched from http:\/\/127\.0\.0\.1:\d+\/sandbox\/cal\/embed\/embed\.js/)
  t.equal(res.headers['retry-after'], '30')
})

async function waitFor(check: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}
