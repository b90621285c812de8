import t from 'tap'
import { build } from './helpers.js'

t.test('URLs the router itself refuses still get our error shape', async (t) => {
  const { app } = await build(t)
  const badUrl = await app.inject({ url: '/v1/hosts/%ED%A0%80' })
  t.equal(badUrl.statusCode, 400)
  t.same(badUrl.json(), { error: { code: 'invalid_url', message: 'The URL path is not valid percent-encoded UTF-8.' } })

  const longParam = await app.inject({ url: `/v1/hosts/${'a'.repeat(500)}` })
  t.equal(longParam.statusCode, 414)
  t.equal(longParam.json().error.code, 'uri_too_long')
})
