import t from 'tap'
import { NO_SECRET_SIGNATURE, sign, verify, WebhookSignatureError } from '../webhooks/signature.js'
import { build } from './helpers.js'
import { refusalCounts } from './token-kit.js'
import { bookingPayload, deliver, envelope, WEBHOOK_SECRET } from './webhook-factory.js'

// A test vector: this secret and body, signed as docs/calcom.md ("Webhooks") says, give GOOD.
const SECRET = 'test-secret'
const BODY = '{"triggerEvent":"PING","createdAt":"2025-06-01T12:00:00.000Z","payload":{"type":"Test","title":"Test trigger event"}}'
const GOOD = '95d3503cb09bf9894e3d8fafabb7ebef5a8538748fb53e565225b3c72a4bcff5'

/** Verifies a correctly signed case with exactly one thing changed; returns the failure reason or 'ok'. */
function attempt(change: { secret?: string; body?: string | Buffer; signature?: string | string[] | undefined } = {}) {
  try {
    verify(change.secret ?? SECRET, change.body ?? BODY, 'signature' in change ? change.signature : GOOD)
    return 'ok'
  } catch (err) {
    if (err instanceof WebhookSignatureError) return err.reason
    throw err
  }
}

const flipChar = (s: string, i: number) => s.slice(0, i) + (s[i] === 'a' ? 'b' : 'a') + s.slice(i + 1)

t.test('sign() matches the contract test vector', async (t) => {
  t.equal(sign(SECRET, BODY), GOOD)
  t.equal(sign(SECRET, Buffer.from(BODY)), GOOD, 'bytes and string agree')
})

t.test('verify() accepts exactly the signed bytes and refuses one change at a time', async (t) => {
  t.equal(attempt(), 'ok')
  t.equal(attempt({ body: Buffer.from(BODY) }), 'ok', 'raw bytes')
  t.equal(attempt({ signature: [GOOD] }), 'ok', 'a single repeated-header value')
  t.equal(attempt({ signature: undefined }), 'missing')
  t.equal(attempt({ signature: '' }), 'missing')
  t.equal(attempt({ signature: [GOOD, GOOD] }), 'missing', 'two headers are not one signature')
  t.equal(attempt({ signature: NO_SECRET_SIGNATURE }), 'no_secret_provided')
  t.equal(attempt({ signature: NO_SECRET_SIGNATURE, secret: NO_SECRET_SIGNATURE }), 'no_secret_provided', 'refused whatever the secret')
  t.equal(attempt({ secret: 'other-secret' }), 'mismatch', 'wrong secret')
  t.equal(attempt({ body: BODY.replace('PING', 'PONG') }), 'mismatch', 'one changed word')
  t.equal(attempt({ body: BODY.slice(0, -1) + ' }' }), 'mismatch', 'whitespace counts: no re-serializing')
  const bytes = Buffer.from(BODY)
  bytes[10] = bytes[10]! ^ 1
  t.equal(attempt({ body: bytes }), 'mismatch', 'one flipped bit')
  t.equal(attempt({ signature: flipChar(GOOD, 63) }), 'mismatch', 'one changed hex digit')
  t.equal(attempt({ signature: `sha256=${GOOD}` }), 'malformed', 'GitHub-style prefix')
  t.equal(attempt({ signature: Buffer.from(GOOD, 'hex').toString('base64') }), 'malformed', 'base64 encoding')
  t.equal(attempt({ signature: GOOD.toUpperCase() }), 'malformed', 'upper-case hex')
  t.equal(attempt({ signature: GOOD.slice(0, 62) }), 'malformed', 'truncated')
})

t.test('the route refuses every bad signature with 401, counted by reason, and nothing stored', async (t) => {
  const { app, db } = await build(t)
  const body = envelope('BOOKING_CREATED', bookingPayload())
  const good = sign(WEBHOOK_SECRET, body)
  const cases: [string, Record<string, string | undefined>, string | Buffer][] = [
    ['missing', { 'x-cal-signature-256': undefined }, body],
    ['no-secret-provided', { 'x-cal-signature-256': NO_SECRET_SIGNATURE }, body],
    ['wrong secret', { 'x-cal-signature-256': sign('not-the-secret', body) }, body],
    ['one changed byte', { 'x-cal-signature-256': good }, body.replace('Bob Booker', 'Rob Booker')],
    ['sha256= prefix', { 'x-cal-signature-256': `sha256=${good}` }, body],
    ['base64', { 'x-cal-signature-256': Buffer.from(good, 'hex').toString('base64') }, body],
  ]
  for (const [name, headers, sent] of cases) {
    const res = await deliver(app, sent, { headers })
    t.equal(res.statusCode, 401, name)
    t.equal(res.json().error.code, 'invalid_signature', name)
  }
  t.same(await refusalCounts(app, db), {
    '/webhooks/cal signature_missing': 1,
    '/webhooks/cal signature_no_secret_provided': 1,
    '/webhooks/cal signature_mismatch': 2,
    '/webhooks/cal signature_malformed': 2,
  }, 'one count per refusal, by reason')
  t.same(await db.selectFrom('audit_log').selectAll().execute(), [], 'nothing in the append-only log')
  t.same(await db.selectFrom('webhook_deliveries').selectAll().execute(), [], 'no delivery stored')
  t.same(await db.selectFrom('bookings').selectAll().execute(), [], 'no booking stored')
  t.equal((await deliver(app, body)).statusCode, 200, 'the same body, correctly signed, is taken')
})
