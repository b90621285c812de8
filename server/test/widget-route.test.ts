import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import Fastify from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import t, { type Test } from 'tap'
import { registerErrorHandlers } from '../error-handler.js'
import { type WidgetRouteOptions, widgetRoutes } from '../routes/widget.js'
import { SERVED_CONFIG_MARKER } from '../routes/widget-config.js'
import { build, testConfig } from './helpers.js'

async function serve(t: Test, file: string, options: Omit<WidgetRouteOptions, 'file'> = {}) {
  const app = Fastify({ logger: false })
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  registerErrorHandlers(app)
  await app.register(widgetRoutes, { file, ...options })
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

async function buildDir(t: Test, files: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'widget-build-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await mkdir(join(dir, 'chunks'))
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text)
  return join(dir, 'churchhub-booking.js')
}

// What the widget does with the text (widget/src/served-config.ts).
const readServed = (text: string) => text.split(' ').map(decodeURIComponent)

t.test('writes the served configuration over the marker, percent-encoded so no quote can break out', async (t) => {
  const file = await bundleFile(t, `const a='${SERVED_CONFIG_MARKER}',b="${SERVED_CONFIG_MARKER}",c=\`${SERVED_CONFIG_MARKER}\`;`)
  const origin = "https://cal.example.org/it's \"quoted\" `${x}` \\ line\nbreak"
  const app = await serve(t, file, { served: { calOrigin: origin, embedJsUrl: 'https://cdn.example.org/embed.js?v=1 2' } })
  const body = (await app.inject({ method: 'GET', url: '/widget/churchhub-booking.js' })).body
  const values = [...body.matchAll(/=(['"`])(.*?)\1[,;]/g)].map((m) => readServed(m[2]!))
  const given = [origin, 'https://cdn.example.org/embed.js?v=1 2']
  t.same(values, [given, given, given], 'each literal holds both values, whole')
  t.notMatch(body, SERVED_CONFIG_MARKER)
  t.notMatch(body, /\n/, 'no line break written')
})

t.test('this server\'s own embed.js is the default and is not written', async (t) => {
  const file = await bundleFile(t, `const a='${SERVED_CONFIG_MARKER}';`)
  const app = await serve(t, file, { served: { calOrigin: 'https://app.cal.com', embedJsUrl: 'embed.js' } })
  const body = (await app.inject({ method: 'GET', url: '/widget/churchhub-booking.js' })).body
  t.equal(body, "const a='https://app.cal.com';")
})

t.test('the app tells the bundle its Cal.com origin and its own copy of embed.js', async (t) => {
  const { app } = await build(t, { config: testConfig({ PORT: '4123' }) })
  const res = await app.inject({ method: 'GET', url: '/widget/churchhub-booking.js' })
  t.equal(res.statusCode, 200, 'needs the built widget (npm run build:widget)')
  t.match(res.body, /(["'`])http:\/\/127\.0\.0\.1:4123\/sandbox\/cal\1/, 'the origin alone: embed.js is this server\'s own')
  t.notMatch(res.body, SERVED_CONFIG_MARKER)
})

t.test('gzips for browsers that take it, once, with the same ETag', async (t) => {
  const text = 'export const greeting = "hello";\n'.repeat(50)
  const app = await serve(t, await bundleFile(t, text))
  const plain = await app.inject({ method: 'GET', url: '/widget/churchhub-booking.js' })
  const zipped = await app.inject({ method: 'GET', url: '/widget/churchhub-booking.js', headers: { 'accept-encoding': 'gzip, deflate, br' } })
  t.equal(plain.headers['content-encoding'], undefined)
  t.equal(zipped.headers['content-encoding'], 'gzip')
  t.equal(zipped.headers.vary, 'accept-encoding')
  t.equal(gunzipSync(zipped.rawPayload).toString(), text)
  t.ok(zipped.rawPayload.length < text.length / 10)
  t.equal(zipped.headers.etag, plain.headers.etag)
})

t.test('serves lazily imported chunks beside the bundle: JavaScript, to any site, kept for a year', async (t) => {
  const file = await buildDir(t, { 'churchhub-booking.js': 'import("./chunks/form-AbC123.js")', 'chunks/form-AbC123.js': 'export const form = 1\n' })
  const app = await serve(t, file)
  const res = await app.inject({ method: 'GET', url: '/widget/chunks/form-AbC123.js', headers: { origin: 'https://church.example' } })
  t.equal(res.statusCode, 200)
  t.equal(res.body, 'export const form = 1\n')
  t.equal(res.headers['content-type'], 'application/javascript; charset=utf-8')
  t.equal(res.headers['access-control-allow-origin'], '*')
  t.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable')
  const missing = await app.inject({ method: 'GET', url: '/widget/chunks/form-Zzz999.js' })
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().error.code, 'chunk_not_found')
  for (const url of ['/widget/chunks/..%2Fchurchhub-booking.js', '/widget/chunks/form.css', '/widget/chunks/.hidden.js']) {
    t.equal((await app.inject({ method: 'GET', url })).statusCode, 400, url)
  }
})
