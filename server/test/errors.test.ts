import t from 'tap'
import { z } from 'zod'
import { build } from './helpers.js'
import { AppError } from '../errors.js'

async function appWithProbeRoutes(t: Parameters<typeof build>[0]) {
  const { app } = await build(t)
  app.post('/probe/validated', { schema: { body: z.object({ name: z.string().min(1), age: z.number().int() }) } }, async () => ({ ok: true }))
  app.get('/probe/broken', async () => { throw new Error('database password is hunter2') })
  app.get('/probe/upstream', async () => { throw new AppError(503, 'cal_unavailable', 'Cal.com is rate-limiting us; try again shortly.', { 'retry-after': '30' }) })
  await app.ready()
  return app
}

t.test('a body that fails validation is a 400 naming each field', async (t) => {
  const app = await appWithProbeRoutes(t)
  const res = await app.inject({ method: 'POST', url: '/probe/validated', payload: { name: '', age: 'old' } })
  t.equal(res.statusCode, 400)
  const body = res.json()
  t.equal(body.error.code, 'invalid_request')
  t.match(body.error.message, /^body\./)
  t.same(body.error.issues.map((i: { path: string }) => i.path).sort(), ['body.age', 'body.name'])
})

t.test('invalid JSON and other media types are refused with the error shape', async (t) => {
  const app = await appWithProbeRoutes(t)
  const bad = await app.inject({ method: 'POST', url: '/probe/validated', headers: { 'content-type': 'application/json' }, payload: '{"name":' })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().error.code, 'invalid_json')
  const xml = await app.inject({ method: 'POST', url: '/probe/validated', headers: { 'content-type': 'application/xml' }, payload: '<a/>' })
  t.equal(xml.statusCode, 415)
  t.equal(xml.json().error.code, 'unsupported_media_type')
})

t.test('an unknown route is a JSON 404', async (t) => {
  const app = await appWithProbeRoutes(t)
  const res = await app.inject({ method: 'GET', url: '/nowhere?x=1' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), { error: { code: 'not_found', message: 'No route for GET /nowhere.' } })
})

t.test('an unexpected error is a 500 that reveals nothing', async (t) => {
  const app = await appWithProbeRoutes(t)
  const res = await app.inject({ method: 'GET', url: '/probe/broken' })
  t.equal(res.statusCode, 500)
  t.same(res.json(), { error: { code: 'internal_error', message: 'Something went wrong on our side; try again later.' } })
  t.notMatch(res.body, /hunter2|stack|at /)
})

t.test('an AppError keeps its status, code and headers', async (t) => {
  const app = await appWithProbeRoutes(t)
  const res = await app.inject({ method: 'GET', url: '/probe/upstream' })
  t.equal(res.statusCode, 503)
  t.equal(res.headers['retry-after'], '30')
  t.equal(res.json().error.code, 'cal_unavailable')
})
