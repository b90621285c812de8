import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import t, { type Test } from 'tap'
import { registerErrorHandlers } from '../error-handler.js'
import { widgetRoutes } from '../routes/widget.js'
import { build } from './helpers.js'

async function serve(t: Test, file: string) {
  const app = Fastify({ logger: false })
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  registerErrorHandlers(app)
  await app.register(widgetRoutes, { file })
  t.teardown(() => app.close())
  return app
}

async function bundleFile(t: Test, text: string) {
  const dir = await mkdtemp(join(tmpdir(), 'widget-route-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'churchhub-booking.js')
  await writeFile(file, text)
  return file
}

t.test('serves the bundle as JavaScript, cacheable, to any site', async (t) => {
  const app = await serve(t, await bundleFile(t, 'export class X {}\n'))
  const res = await app.inject({ method: 'GET', url: '/widget/churchhub-booking.js', headers: { origin: 'https://church.example' } })
  t.equal(res.statusCode, 200)
  t.equal(res.body, 'export class X {}\n')
  t.equal(res.headers['content-type'], 'application/javascript; charset=utf-8')
  t.equal(res.headers['access-control-allow-origin'], '*')
  t.match(res.headers['cache-control'], /^public, max-age=\d{5,}/)
  t.match(res.headers.etag, /^"[\w-]{20,}"$/)
})

t.test('answers 304 to a cache holding the same bundle, 200 once it changed', async (t) => {
  const file = await bundleFile(t, 'export const v = 1\n')
  const app = await serve(t, file)
  const first = await app.inject({ method: 'GET', url: '/widget/churchhub-booking.js' })
  const etag = String(first.headers.etag)
  const again = await app.inject({ method: 'GET', url: '/widget/churchhub-booking.js', headers: { 'if-none-match': etag } })
  t.equal(again.statusCode, 304)
  t.equal(again.body, '')

  await writeFile(file, 'export const v = 2\n')
  const later = new Date(Date.now() + 5_000)
  await utimes(file, later, later)
  const rebuilt = await app.inject({ method: 'GET', url: '/widget/churchhub-booking.js', headers: { 'if-none-match': etag } })
  t.equal(rebuilt.statusCode, 200)
  t.equal(rebuilt.body, 'export const v = 2\n')
  t.not(rebuilt.headers.etag, etag)
})

t.test('says how to build the widget when it is not built', async (t) => {
  const app = await serve(t, join(tmpdir(), 'no-such-dir', 'churchhub-booking.js'))
  const res = await app.inject({ method: 'GET', url: '/widget/churchhub-booking.js' })
  t.equal(res.statusCode, 503)
  t.equal(res.json().error.code, 'widget_not_built')
  t.match(res.json().error.message, /npm run build:widget/)
  t.ok(res.headers['retry-after'])
})

t.test('the app serves the route', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'GET', url: '/widget/churchhub-booking.js' })
  // Built or not, the route exists: the bundle, or the 503 that says how to build it.
  t.ok(res.statusCode === 200 || (res.statusCode === 503 && res.json().error.code === 'widget_not_built'), `status ${res.statusCode}`)
  t.not(res.statusCode, 404)
})
