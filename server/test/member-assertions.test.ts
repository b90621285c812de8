import { createHmac } from 'node:crypto'
import t from 'tap'
import { buildApp } from '../app.js'
import { AppError } from '../errors.js'
import { signMemberAssertion, verifyMemberAssertion } from '../tokens/member-assertion.js'
import { testConfig } from './helpers.js'
import { MINUTE, setup } from './token-kit.js'

const SECRET = 'sandbox-member-secret'
const NOW = new Date('2026-03-01T12:00:00Z')
const SECONDS = Math.floor(NOW.getTime() / 1000)
const member = { sub: 'm-9', email: 'ann@example.org', name: 'Ann' }

/** The refusal's message, or 'ok'. */
async function verdict(token: string, options: { audience?: string } = {}) {
  try {
    await verifyMemberAssertion(token, { secret: SECRET, now: NOW, ...options })
    return 'ok'
  } catch (error) {
    if (error instanceof AppError && error.code === 'invalid_member_assertion' && error.statusCode === 401) return error.message
    throw error
  }
}

/** An HS256 JWS over any claims set, as a hand-rolled client might send it. */
function jws(claims: object, header: object = { alg: 'HS256', typ: 'JWT' }) {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`
  return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`
}

t.test('exp: at most 10 minutes ahead (30 s of skew), and not past (30 s of skew)', async (t) => {
  t.equal(await verdict(signMemberAssertion(member, SECRET, { now: NOW, ttlSeconds: 630 })), 'ok', '10 min + 30 s')
  t.equal(await verdict(signMemberAssertion(member, SECRET, { now: NOW, ttlSeconds: 631 })), 'The member assertion expires too far ahead; exp must be at most 600 s from now.')
  t.equal(await verdict(signMemberAssertion(member, SECRET, { iat: SECONDS - 320, ttlSeconds: 300 })), 'ok', 'expired 20 s ago: within the skew')
  t.equal(await verdict(signMemberAssertion(member, SECRET, { iat: SECONDS - 340, ttlSeconds: 300 })), 'The member assertion has expired; sign a fresh one.')
  t.equal(await verdict(jws({ ...member, iat: SECONDS })), 'The member assertion has no exp claim; it needs sub, email, name and exp.', 'exp is required')
})

t.test('iat: not in the future beyond 30 s of skew', async (t) => {
  t.equal(await verdict(signMemberAssertion(member, SECRET, { iat: SECONDS + 25, ttlSeconds: 300 })), 'ok')
  t.equal(await verdict(signMemberAssertion(member, SECRET, { iat: SECONDS + 60, ttlSeconds: 300 })), 'The member assertion was issued in the future (iat); check the church site\'s clock.')
})

t.test('HS256 only, and the secret must match', async (t) => {
  const good = signMemberAssertion(member, SECRET, { now: NOW })
  const [, payload, signature] = good.split('.')
  const header = (obj: object) => Buffer.from(JSON.stringify(obj)).toString('base64url')
  t.equal(await verdict(`${header({ alg: 'none' })}.${payload}.`), 'The member assertion must be signed with HS256.')
  t.equal(await verdict(`${header({ alg: 'HS512', typ: 'JWT' })}.${payload}.${signature}`), 'The member assertion must be signed with HS256.')
  t.equal(await verdict(signMemberAssertion(member, 'a-different-secret-of-32-bytes-00', { now: NOW })), 'The member assertion signature does not match MEMBER_ASSERTION_SECRET.')
  t.equal(await verdict('hello'), 'The member assertion is not a compact JWS (header.payload.signature) with a JSON claims set.')
})

t.test('MEMBER_ASSERTION_AUDIENCE: when set, aud must name it', async (t) => {
  const audience = 'https://booking.gracechurch.org'
  t.equal(await verdict(signMemberAssertion({ ...member, aud: audience }, SECRET, { now: NOW }), { audience }), 'ok')
  const wrong = 'The member assertion\'s aud does not name this server (MEMBER_ASSERTION_AUDIENCE).'
  t.equal(await verdict(signMemberAssertion({ ...member, aud: 'https://other.example' }, SECRET, { now: NOW }), { audience }), wrong)
  t.equal(await verdict(signMemberAssertion(member, SECRET, { now: NOW }), { audience }), wrong, 'no aud at all')
  t.equal(await verdict(signMemberAssertion({ ...member, aud: 'https://other.example' }, SECRET, { now: NOW })), 'ok', 'unset: aud is not checked')
})

t.test('minting spends the jti: each assertion mints once, and one without a jti mints nothing', async (t) => {
  const { app, clock, db } = await setup(t)
  const mintWith = (assertion: string) => app.inject({ method: 'POST', url: '/tokens/cal/managed-user', headers: { 'x-churchhub-member': assertion }, payload: {} })
  const assertion = signMemberAssertion({ ...member, jti: 'jti-once' }, SECRET, { now: clock.now() })
  t.equal((await mintWith(assertion)).statusCode, 200)
  const replay = await mintWith(assertion)
  t.equal(replay.statusCode, 401)
  t.equal(replay.json().error.code, 'assertion_replayed')
  t.equal((await mintWith(signMemberAssertion({ ...member, jti: 'jti-twice' }, SECRET, { now: clock.now() }))).statusCode, 200, 'a fresh jti mints')

  const noJti = jws({ ...member, iat: Math.floor(clock.now().getTime() / 1000), exp: Math.floor(clock.now().getTime() / 1000) + 300 })
  const refused = await mintWith(noJti)
  t.equal(refused.statusCode, 401)
  t.match(refused.json().error.message, /needs a member assertion with a jti/)
  t.equal((await app.inject({ method: 'GET', url: '/v1/member', headers: { 'x-churchhub-member': noJti } })).statusCode, 200, 'pre-fill takes it')

  const kept = await db.selectFrom('member_assertion_uses').select(['jti', 'expires_at']).where('jti', 'in', ['jti-once', 'jti-twice']).orderBy('jti').execute()
  t.same(kept.map((r) => r.jti), ['jti-once', 'jti-twice'])
  t.equal(kept[0]!.expires_at.getTime(), (Math.floor(clock.now().getTime() / 1000) + 300) * 1000, 'kept until the assertion expires')
  clock.advance(11 * MINUTE)
  t.equal((await mintWith(signMemberAssertion({ ...member, jti: 'jti-later' }, SECRET, { now: clock.now() }))).statusCode, 200)
  t.same(await db.selectFrom('member_assertion_uses').select('jti').where('jti', 'in', ['jti-once', 'jti-twice']).execute(), [], 'expired ids are let go')
})

t.test('two replicas on one database: a jti spent on one is spent on the other', async (t) => {
  const { app, cal, clock, database } = await setup(t)
  const other = process.env.DATABASE_URL ? database.openAnother().db : database.db
  const app2 = await buildApp({ config: testConfig(), db: other, clock, calClient: cal.client() })
  t.teardown(() => app2.close())
  const assertion = signMemberAssertion({ ...member, jti: 'jti-replicas' }, SECRET, { now: clock.now() })
  const request = { method: 'POST' as const, url: '/tokens/cal/managed-user', headers: { 'x-churchhub-member': assertion }, payload: {} }
  const answers = await Promise.all([app.inject(request), app2.inject(request), app.inject(request), app2.inject(request)])
  t.same(answers.map((a) => a.statusCode).sort(), [200, 401, 401, 401])
})
