import { Validator } from '@seriousme/openapi-schema-validator'
import t from 'tap'
import { build } from './helpers.js'

/** `METHOD /url` as Fastify registers it, in the document's terms: `:name` → `{name}`. */
const asDocumented = (route: string) => route.replace(/:(\w+)/g, '{$1}')

t.test('GET /openapi.json is a valid OpenAPI 3.1 document with every product route in it', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ url: '/openapi.json' })
  t.equal(res.statusCode, 200)
  const doc = res.json()
  t.equal(doc.openapi, '3.1.0')

  const validator = new Validator()
  const result = await validator.validate(doc)
  t.same(result.errors ?? [], [], 'no schema errors')
  t.equal(result.valid, true)
  t.equal(validator.version, '3.1')

  const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`)).sort()
  t.same(documented, [...new Set(app.registeredRoutes.map(asDocumented))].sort(), 'exactly the registered routes')
  t.ok(documented.length >= 13, `${documented.length} operations`)
})

t.test('the document names its security schemes on the routes, and shares one error schema', async (t) => {
  const { app } = await build(t)
  const doc = (await app.inject({ url: '/openapi.json' })).json()
  t.same(Object.keys(doc.components.securitySchemes).sort(), ['accessToken', 'adminKey', 'memberAssertion', 'tokenKey', 'webhookSignature'])
  const op = (method: string, path: string) => doc.paths[path][method]
  t.same(op('post', '/tokens/cal/managed-user').security, [{ tokenKey: [] }, { memberAssertion: [] }])
  t.same(op('get', '/v1/member').security, [{ memberAssertion: [] }])
  t.same(op('get', '/tokens/cal/refresh').security, [{ accessToken: [] }])
  t.same(op('post', '/webhooks/cal').security, [{ webhookSignature: [] }])
  for (const path of ['/admin/bookings', '/admin/audit', '/admin/refusals']) t.same(op('get', path).security, [{ adminKey: [] }], path)
  t.same(op('post', '/admin/hosts').security, [{ adminKey: [] }])

  t.same(doc.components.schemas.Error.required, ['error'])
  t.same(Object.keys(doc.components.schemas.Error.properties.error.properties), ['code', 'message', 'issues'])
  const errorRefs = new Set<string>()
  type Operation = { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }
  for (const [path, methods] of Object.entries(doc.paths) as [string, Record<string, Operation>][]) {
    for (const [method, operation] of Object.entries(methods)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        // /health's 503 is its own degraded report, for load balancers, not a refusal.
        if (Number(status) >= 400 && path !== '/health') errorRefs.add(response.content?.['application/json']?.schema.$ref ?? `${method} ${path} ${status} inline`)
      }
    }
  }
  t.same([...errorRefs], ['#/components/schemas/Error'], 'every error answer refers to the one error schema')
  const member = op('get', '/v1/member').responses['200'].content['application/json'].schema
  t.same(member.required, ['email', 'name'], 'request and response shapes come from the zod schemas')
})

t.test('the demo\'s pages and the sandbox are never in it', async (t) => {
  const { buildDemoApp } = await import('../../demo/app.js')
  const { buildWith } = await import('./helpers.js')
  const { app } = await buildWith(t, {}, buildDemoApp)
  const paths = Object.keys((await app.inject({ url: '/openapi.json' })).json().paths)
  t.same(paths.filter((p) => p === '/' || p.startsWith('/demo') || p.startsWith('/sandbox')), [])
})
