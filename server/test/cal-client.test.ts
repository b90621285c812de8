import t from 'tap'
import { CalClient, parseRetryAfter } from '../cal/client.js'
import { CalError } from '../cal/errors.js'
import { CREATE, startCal } from './cal-helpers.js'

/** A Cal.com that answers whatever the test says, for shapes the sandbox never sends. */
const fake = (answer: () => Response) => {
  const seen: { url: string; headers: Headers }[] = []
  const client = new CalClient({
    apiUrl: 'http://cal.invalid/v2', clientId: 'cid', clientSecret: 'csecret', retryBaseMs: 1,
    fetch: async (input, init) => { seen.push({ url: String(input), headers: new Headers(init?.headers) }); return answer() },
  })
  return { client, seen }
}
const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error)
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

t.test('an answer that does not match the documented shape is an upstream error, not a crash', async (t) => {
  const { client } = fake(() => json(200, { status: 'success', data: { accessToken: 42 } }))
  t.match(await failureOf(client.forceRefresh(1)), { statusCode: 502, code: 'cal_error', failure: 'bad_response' })
  const html = fake(() => new Response('<html>gateway</html>', { status: 200 }))
  t.match(await failureOf(html.client.getManagedUser(1)), { statusCode: 502, failure: 'bad_response' })
})

t.test('client credentials and emails go out as Cal.com expects', async (t) => {
  const { client, seen } = fake(() => json(200, { status: 'success', data: [] }))
  await client.listManagedUsers(['a+b@example.org', 'c@example.org'])
  const url = new URL(seen[0]!.url)
  t.equal(url.pathname, '/v2/oauth-clients/cid/users')
  t.equal(url.searchParams.get('emails'), 'a+b@example.org,c@example.org')
  t.match(seen[0]!.url, /emails=a%2Bb%40example\.org%2Cc%40example\.org/, '+ sent as %2B')
  t.equal(seen[0]!.headers.get('x-cal-secret-key'), 'csecret')
  t.ok(await failureOf(fake(() => json(200, {})).client.me('user-token')))
})

t.test('a Retry-After longer than the cap is not waited out: 503 with it at once', async (t) => {
  let calls = 0
  const { client } = fake(() => { calls++; return json(429, { status: 'error' }, { 'retry-after': '120' }) })
  const error = await client.getManagedUser(1).catch((e: unknown) => e)
  t.ok(error instanceof CalError)
  t.match(error, { statusCode: 503, code: 'cal_rate_limited', headers: { 'retry-after': '120' } })
  t.equal(calls, 1)
})

t.test('retries are bounded', async (t) => {
  let calls = 0
  const { client } = fake(() => { calls++; return json(503, { status: 'error' }) })
  t.match(await failureOf(client.getManagedUser(1)), { statusCode: 502, calStatus: 503 })
  t.equal(calls, 3, 'one call and two retries')
})

t.test('Retry-After is read as seconds or an HTTP date', async (t) => {
  t.equal(parseRetryAfter('3'), 3000)
  t.equal(parseRetryAfter(null), undefined)
  t.equal(parseRetryAfter('soon'), undefined)
  const at = parseRetryAfter(new Date(Date.now() + 60_000).toUTCString())!
  t.ok(at > 50_000 && at <= 60_000)
})

t.test('against the sandbox: a hang gives up at the timeout, a drop is "unreachable", 401 keeps its status', async (t) => {
  const cal = await startCal(t)
  const client = cal.client({ timeoutMs: 250 })
  cal.sandbox.faults.add({ path: '/v2/oauth-clients/*', fault: 'hang', times: 1 })
  t.match(await failureOf(client.createManagedUser({ email: 'a@example.org', name: 'A' })), { statusCode: 504, code: 'cal_timeout' })
  cal.sandbox.faults.add({ path: '/v2/oauth-clients/*', fault: 'drop', times: 1 })
  t.match(await failureOf(client.createManagedUser({ email: 'a@example.org', name: 'A' })), { statusCode: 502, code: 'cal_unreachable' })
  t.equal(cal.count(CREATE), 2, 'neither is retried')
  t.match(await failureOf(cal.client({ clientSecret: 'wrong' }).listManagedUsers(['a@example.org'])), { statusCode: 502, calStatus: 401 })
  t.match(await failureOf(client.me('not-a-token')), { calStatus: 401 })
})
