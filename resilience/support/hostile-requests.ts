import { createHmac } from 'node:crypto'
import { sign } from '../../server/webhooks/signature.js'
import type { Random } from './random.js'

/**
 * Requests a hostile or broken caller sends, one family per function, every one of which the
 * server must refuse with a 4xx. None is authentic and well-formed at once: where a valid
 * signature or admin key is used, the body or query is what is wrong, so no row may change.
 */

export interface HostileRequest {
  family: string
  method: string
  path: string
  headers: Record<string, string | string[]>
  body?: string | Buffer
}

export interface HostileKeys {
  webhookSecret: string
  adminApiKey: string
  tokenApiKey: string
  memberAssertionSecret: string
}

const WEBHOOK_PATHS = ['/webhooks/cal', '/webhooks/cal/booking.created', '/webhooks/cal/booking.updated']

/** Strings that break naive code: SQL, unicode edge cases, control characters, very long. */
export const NASTY_STRINGS = [
  "' OR '1'='1",
  "'; DROP TABLE bookings; --",
  '1; DELETE FROM cal_users WHERE 1=1',
  "zack' UNION SELECT access_token_enc FROM cal_users --",
  '$1',
  '\u0000',
  'nul\u0000inside',
  '\ud800',
  '\udfff\ud800',
  '\u202eevil\u202c',
  'zero\u200bwidth\u200d',
  '👨‍👩‍👧‍👦🙏⛪',
  'Ω≈ç√∫˜µ≤≥÷',
  '\ufeffbom',
  'a'.repeat(5000),
  '../../etc/passwd',
  '%00%2e%2e%2f',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  'null',
  '',
  ' ',
]

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url')
/** encodeURIComponent refuses lone surrogates; send their raw (invalid) UTF-8 bytes instead. */
const encode = (value: string) => {
  try { return encodeURIComponent(value) } catch { return '%ED%A0%80' }
}

function bookingBody(uid: string) {
  return {
    triggerEvent: 'BOOKING_CREATED',
    createdAt: '2026-11-20T10:00:00.000Z',
    payload: {
      uid, type: '30min', title: '30 minute meeting', startTime: '2026-12-01T15:00:00Z', endTime: '2026-12-01T15:30:00Z',
      organizer: { name: 'Pastor Zack Miller', email: 'zack@gracechurch.example', username: 'zack' },
      attendees: [{ name: 'Hostile Visitor', email: 'hostile.visitor@example.org' }],
      status: 'ACCEPTED',
    },
  }
}

function deep(depth: number, leaf: string): string {
  return '['.repeat(depth) + leaf + ']'.repeat(depth)
}

function assertion(header: object, payload: object, secret: string, alg: 'sha256' | 'sha512' = 'sha256') {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`
  return `${input}.${b64url(createHmac(alg, secret).update(input).digest())}`
}

export function hostileFamilies(random: Random, keys: HostileKeys) {
  const now = () => Math.floor(Date.now() / 1000)
  const json = { 'content-type': 'application/json' }
  const admin = { authorization: `Bearer ${keys.adminApiKey}` }
  const tokenKey = { authorization: `Bearer ${keys.tokenApiKey}` }
  // 'null' is a valid username and slug, and a leading BOM is trimmed away like any white space,
  // so both are kept out of bodies that are otherwise valid.
  const invalid = NASTY_STRINGS.filter((v) => v !== 'null' && !v.startsWith('\ufeff'))
  const nasty = () => random.pick(invalid)
  const webhookPath = () => random.pick(WEBHOOK_PATHS)
  const signed = (body: string | Buffer) => ({ ...json, 'x-cal-signature-256': sign(keys.webhookSecret, body) })
  const validBody = () => JSON.stringify(bookingBody(random.uid()))
  const claims = () => ({ sub: `member-${random.int(1e6)}`, email: 'member@example.org', name: 'A Member', exp: now() + 300 })

  const families: Record<string, () => Omit<HostileRequest, 'family'>> = {
    // --- webhooks: forged or broken signatures (never reach the parser)
    'webhook without signature': () => ({ method: 'POST', path: webhookPath(), headers: json, body: validBody() }),
    'webhook empty signature': () => ({ method: 'POST', path: webhookPath(), headers: { ...json, 'x-cal-signature-256': '' }, body: validBody() }),
    'webhook no-secret-provided': () => ({ method: 'POST', path: webhookPath(), headers: { ...json, 'x-cal-signature-256': 'no-secret-provided' }, body: validBody() }),
    'webhook signed with another secret': () => {
      const body = validBody()
      return { method: 'POST', path: webhookPath(), headers: { ...json, 'x-cal-signature-256': sign(`not-${keys.webhookSecret}`, body) }, body }
    },
    'webhook sha256= prefix': () => {
      const body = validBody()
      return { method: 'POST', path: webhookPath(), headers: { ...json, 'x-cal-signature-256': `sha256=${sign(keys.webhookSecret, body)}` }, body }
    },
    'webhook signature upper-case': () => {
      const body = validBody()
      return { method: 'POST', path: webhookPath(), headers: { ...json, 'x-cal-signature-256': sign(keys.webhookSecret, body).toUpperCase() }, body }
    },
    'webhook one byte changed after signing': () => {
      const body = validBody()
      const tampered = body.replace('"ACCEPTED"', '"CANCELLED"')
      return { method: 'POST', path: webhookPath(), headers: signed(body), body: tampered }
    },
    'webhook signature of the body re-serialized': () => {
      const body = validBody()
      return { method: 'POST', path: webhookPath(), headers: signed(JSON.stringify(JSON.parse(body), null, 2)), body }
    },
    'webhook signature header twice': () => {
      const body = validBody()
      const sig = sign(keys.webhookSecret, body)
      return { method: 'POST', path: webhookPath(), headers: { ...json, 'x-cal-signature-256': [sig, sig] }, body }
    },
    'webhook signature of latin1 bytes': () => {
      const body = JSON.stringify(bookingBody(`uid-${random.uid()}-ñandú-✝`))
      return { method: 'POST', path: webhookPath(), headers: { ...json, 'x-cal-signature-256': sign(keys.webhookSecret, Buffer.from(body, 'latin1')) }, body }
    },
    'webhook forged with nasty strings': () => ({ method: 'POST', path: webhookPath(), headers: { ...json, 'x-cal-signature-256': nasty().slice(0, 200).replace(/[^\x20-\x7e]/g, '?') }, body: JSON.stringify(bookingBody(nasty())) }),

    // --- webhooks: authentic signature, broken body (reach the parser and the validator)
    'webhook truncated JSON, signed': () => {
      const full = validBody()
      const body = full.slice(0, 1 + random.int(full.length - 2))
      return { method: 'POST', path: webhookPath(), headers: signed(body), body }
    },
    'webhook empty body, signed': () => ({ method: 'POST', path: webhookPath(), headers: signed(''), body: '' }),
    'webhook not an object, signed': () => {
      const body = random.pick(['[]', '"BOOKING_CREATED"', '42', 'null', 'true', '[{"triggerEvent":"BOOKING_CREATED"}]'])
      return { method: 'POST', path: webhookPath(), headers: signed(body), body }
    },
    'webhook wrong types, signed': () => {
      const b = bookingBody(random.uid()) as any
      const breakage = random.int(8)
      if (breakage === 0) b.triggerEvent = 123
      if (breakage === 1) b.payload = 'payload'
      if (breakage === 2) b.payload.uid = { $ne: null }
      if (breakage === 3) b.payload.startTime = 'next tuesday'
      if (breakage === 4) b.payload.attendees = 'everyone'
      if (breakage === 5) b.payload.endTime = 17e300
      if (breakage === 6) b.payload.iCalSequence = '1; DROP TABLE bookings'
      if (breakage === 7) b.payload = [b.payload]
      const body = JSON.stringify(b)
      return { method: 'POST', path: webhookPath(), headers: signed(body), body }
    },
    'webhook missing uid or times with SQL, signed': () => {
      const b = bookingBody(nasty()) as any
      delete b.payload[random.pick(['startTime', 'endTime'])]
      b.payload.title = nasty()
      const body = JSON.stringify(b)
      return { method: 'POST', path: webhookPath(), headers: signed(body), body }
    },
    'webhook deep nesting, signed': () => {
      const body = `{"triggerEvent":"BOOKING_CREATED","payload":{"uid":${deep(1000 + random.int(100_000), '"x"')},"startTime":"2026-12-01T15:00:00Z","endTime":"2026-12-01T15:30:00Z"}}`
      return { method: 'POST', path: webhookPath(), headers: signed(body), body }
    },
    'webhook prototype keys, signed': () => {
      const body = random.pick([
        '{"__proto__":{"polluted":"yes"},"triggerEvent":"BOOKING_CREATED","payload":{"uid":7}}',
        '{"constructor":{"prototype":{"polluted":"yes"}},"triggerEvent":"BOOKING_CREATED","payload":"x"}',
        '{"triggerEvent":"BOOKING_CREATED","payload":{"__proto__":{"polluted":"yes"},"uid":{"__proto__":{"polluted":"yes"}},"startTime":"2026-12-01T15:00:00Z","endTime":"2026-12-01T15:30:00Z"}}',
        '{"triggerEvent":"BOOKING_CREATED","payload":{"constructor":{"prototype":{"polluted":"yes"}},"startTime":"x","endTime":"y","uid":"u"}}',
      ])
      return { method: 'POST', path: webhookPath(), headers: signed(body), body }
    },
    'webhook invalid UTF-8, signed': () => {
      const body = Buffer.concat([Buffer.from('{"triggerEvent":"BOOKING_CREATED","payload":{"uid":"'), Buffer.from([0xc0, 0xaf, 0xff, 0xfe]), Buffer.from('"')])
      return { method: 'POST', path: webhookPath(), headers: signed(body), body }
    },
    'webhook huge body': () => {
      const size = random.pick([1024 * 1024 + 1, 2 * 1024 * 1024, 5 * 1024 * 1024])
      const body = `{"triggerEvent":"BOOKING_CREATED","payload":{"uid":"${'x'.repeat(size)}"}}`
      return { method: 'POST', path: webhookPath(), headers: random.next() < 0.5 ? signed(body) : json, body }
    },
    'webhook wrong content type': () => {
      const body = validBody()
      const type = random.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', ''])
      return { method: 'POST', path: webhookPath(), headers: { ...(type ? { 'content-type': type } : {}), 'x-cal-signature-256': sign(keys.webhookSecret, body) }, body }
    },

    // --- token route: no or wrong credentials, bad bodies behind the right key, bad assertions
    'token mint without credentials': () => ({ method: 'POST', path: '/tokens/cal/managed-user', headers: json, body: JSON.stringify({ email: 'someone@example.org', name: 'Someone' }) }),
    'token mint wrong bearer': () => ({
      method: 'POST', path: '/tokens/cal/managed-user',
      headers: { ...json, authorization: random.pick(['Bearer', 'Bearer ', `Bearer ${keys.tokenApiKey}x`, `Bearer ${keys.adminApiKey}`, `Basic ${b64url(`admin:${random.uid()}`)}`, `bearer ${random.uid()}`, `Bearer ${'k'.repeat(8000)}`, `Bearer ${encode(nasty())}`]) },
      body: JSON.stringify({ email: 'someone@example.org', name: 'Someone' }),
    }),
    'token mint wrong types (token key)': () => {
      const body = random.pick<object>([
        { email: 123, name: 'A' }, { email: 'a@example.org', name: [] }, { email: 'a@example.org' }, { name: 'No Email' },
        { email: nasty(), name: 'A' }, { email: 'a@example.org', name: 'A', timeZone: 'Mars/Olympus_Mons' },
        { email: 'a@example.org', name: 'A', timeZone: nasty() }, { email: `${'a'.repeat(300)}@example.org`, name: 'A' },
        { email: ['a@example.org'], name: 'A' }, { email: { $gt: '' }, name: 'A' }, { email: 'a@example.org', name: '' },
      ])
      return { method: 'POST', path: '/tokens/cal/managed-user', headers: { ...json, ...tokenKey }, body: JSON.stringify(body) }
    },
    'token mint broken JSON (token key)': () => ({
      method: 'POST', path: '/tokens/cal/managed-user', headers: { ...json, ...tokenKey },
      body: random.pick(['{', '{"email":', '{"email":"a@example.org","name":"A"', 'nul\u0000l', '{"email":"a@example.org",,}', "{'email':'a'}"]),
    }),
    'token mint deep nesting (token key)': () => ({ method: 'POST', path: '/tokens/cal/managed-user', headers: { ...json, ...tokenKey }, body: `{"email":${deep(1000 + random.int(50_000), '1')},"name":"A"}` }),
    'token mint prototype keys (token key)': () => ({
      method: 'POST', path: '/tokens/cal/managed-user', headers: { ...json, ...tokenKey },
      body: random.pick(['{"__proto__":{"polluted":"yes"},"email":"a@example.org","name":"A"}', '{"constructor":{"prototype":{"polluted":"yes"}},"email":"a@example.org","name":"A"}']),
    }),
    'token mint huge body (token key)': () => ({ method: 'POST', path: '/tokens/cal/managed-user', headers: { ...json, ...tokenKey }, body: JSON.stringify({ email: 'a@example.org', name: 'n'.repeat(random.pick([1024 * 1024 + 1, 3 * 1024 * 1024])) }) }),
    'token mint bad member assertion': () => {
      const c = claims()
      const secret = keys.memberAssertionSecret
      const token = random.pick([
        () => `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify(c))}.`,
        () => `${b64url(JSON.stringify({ alg: 'none' }))}.${b64url(JSON.stringify(c))}.${b64url('x')}`,
        () => `${b64url(JSON.stringify({ alg: 'NONE' }))}.${b64url(JSON.stringify(c))}.`,
        () => assertion({ alg: 'HS512', typ: 'JWT' }, c, secret, 'sha512'),
        () => assertion({ alg: 'RS256', typ: 'JWT' }, c, secret),
        () => assertion({ alg: 'HS256', typ: 'JWT' }, c, `wrong-${secret}`),
        () => assertion({ alg: 'HS256' }, { ...c, exp: now() - 3600 }, secret),
        () => assertion({ alg: 'HS256' }, { ...c, exp: now() + 86_400 }, secret),
        () => assertion({ alg: 'HS256' }, { ...c, email: nasty() }, secret),
        () => assertion({ alg: 'HS256' }, { sub: c.sub, name: c.name, exp: c.exp }, secret),
        () => assertion({ alg: 'HS256' }, { ...c, exp: String(c.exp) }, secret),
        () => assertion({ alg: 'HS256' }, { ...c, name: '' }, secret),
        () => assertion({ alg: 'HS256', kid: "../../../../dev/null' OR 1=1 --" }, c, 'x'),
        () => { const good = assertion({ alg: 'HS256' }, c, secret).split('.'); return `${good[0]}.${b64url(JSON.stringify({ ...c, email: 'someone.else@example.org' }))}.${good[2]}` },
        () => 'not.a.jws',
        () => 'onlyonepart',
        () => '..',
        () => `${b64url('{"alg":"HS256"')}.${b64url('{')}.${b64url('sig')}`,
        () => 'x'.repeat(8000),
        () => encode(nasty()).slice(0, 2000) || '%',
      ])()
      return { method: 'POST', path: '/tokens/cal/managed-user', headers: { ...json, 'x-churchhub-member': token }, body: '{}' }
    },
    'token mint from a disallowed origin': () => ({ method: 'POST', path: '/tokens/cal/managed-user', headers: { ...json, origin: random.pick(['https://evil.example', 'null', 'http://gracechurch.example.evil.example']) }, body: '{}' }),
    'token refresh bad bearer': () => ({
      method: 'GET', path: '/tokens/cal/refresh',
      headers: random.next() < 0.2 ? {} as Record<string, string> : { authorization: `Bearer ${random.pick([random.uid(), `${b64url('{"alg":"HS256"}')}.${b64url('{"type":"access_token"}')}.sig`, "' OR 1=1 --", 't'.repeat(6000), 'null'])}` },
    }),

    // --- public and admin reads
    'host lookup nasty username': () => ({ method: 'GET', path: `/v1/hosts/${encode(nasty()).slice(0, 3000) || '%20'}`, headers: {} }),
    'host lookup unknown': () => ({ method: 'GET', path: `/v1/hosts/${random.pick(['nobody', 'ZACKK', 'admin', 'zack%2F..%2F..', '..%2Fadmin', 'zack%00'])}`, headers: {} }),
    'admin without key': () => ({
      method: random.pick(['GET', 'GET', 'POST']), path: random.pick(['/admin/bookings', '/admin/audit', '/admin/hosts']),
      headers: random.pick<Record<string, string>>([{}, { authorization: `Bearer ${random.uid()}` }, { authorization: "Bearer ' OR '1'='1" }, { authorization: keys.adminApiKey }]),
    }),
    'admin reads with bad query': () => {
      const paging = ['limit=0', 'limit=-1', 'limit=abc', 'limit=101', 'limit=1e309', 'cursor=%27%20OR%201%3D1--', `cursor=${b64url('v1:-5')}`, `cursor=${b64url('v1:1 OR 1=1')}`, 'limit=1&limit=2&limit=abc']
      // Filters only /admin/bookings has; the audit log's action/subject filters take any text.
      const filters = ['status=%27%3B%20DROP%20TABLE%20bookings%3B--', 'status=BOGUS', 'from=yesterday', 'to=%00']
      const bookings = random.next() < 0.5
      return { method: 'GET', path: bookings ? `/admin/bookings?${random.pick([...paging, ...filters])}` : `/admin/audit?${random.pick(paging)}`, headers: admin }
    },
    'admin host registration bad body': () => {
      const body = random.pick<object>([
        { username: nasty(), name: 'X', calLink: 'zack' }, { username: 'newhost', name: 'X', calLink: '../../admin' },
        { username: 'newhost', name: 'X', calLink: 'javascript:alert(1)' }, { username: 'newhost', name: 'X', calLink: 'zack', calOrigin: 'javascript:alert(1)' },
        { username: 'newhost', name: '', calLink: 'zack' }, { username: 'newhost', name: 'X' }, { username: 42, name: 'X', calLink: 'zack' },
        { username: 'newhost', name: 'X', calLink: 'zack', eventTypes: [{ slug: nasty(), title: 'x', length: 30 }] },
        { username: 'newhost', name: 'X', calLink: 'zack', eventTypes: [{ slug: '30min', title: 'x', length: -5 }] },
        { username: 'newhost', name: 'X', calLink: "zack'; DROP TABLE hosts; --" },
      ])
      return { method: 'POST', path: '/admin/hosts', headers: { ...json, ...admin }, body: JSON.stringify(body) }
    },
    'admin host registration prototype keys': () => ({
      method: 'POST', path: '/admin/hosts', headers: { ...json, ...admin },
      body: random.pick(['{"__proto__":{"polluted":"yes"},"username":"x"}', '{"username":"newhost","name":"X","calLink":"zack","constructor":{"prototype":{"polluted":"yes"}}}']),
    }),
    'wrong method or unknown route': () => ({
      method: random.pick(['PUT', 'DELETE', 'PATCH', 'POST']),
      path: random.pick(['/health', '/v1/hosts/zack', '/tokens/cal/refresh', '/admin/bookings', '/webhooks/cal/booking.deleted', `/v2/${encode(nasty()).slice(0, 200)}`, '/admin/../../etc/passwd']),
      headers: json, body: '{}',
    }),
  }
  return families
}

/**
 * The i-th request, cycling through every family so each is seen many times. Made on demand: a
 * run holds megabytes of bodies only while they are in flight, so the memory measured is the server's.
 */
export function hostileRequestMaker(random: Random, keys: HostileKeys) {
  const families = Object.entries(hostileFamilies(random, keys))
  return {
    familyCount: families.length,
    make(i: number): HostileRequest {
      const [family, make] = families[i % families.length]!
      return { family, ...make() }
    },
  }
}
