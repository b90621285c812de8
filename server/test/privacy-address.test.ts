import t from 'tap'
import { ipActor, memberActor, truncateAddress } from '../privacy/address.js'
import { testRing } from './privacy-kit.js'
import { build } from './helpers.js'
import { deliver } from './webhook-factory.js'

t.test('addresses are kept truncated: IPv4 to /24, IPv6 to /48', async (t) => {
  t.equal(truncateAddress('203.0.113.77'), '203.0.113.0/24')
  t.equal(truncateAddress('::ffff:198.51.100.9'), '198.51.100.0/24')
  t.equal(truncateAddress('2001:db8:42:7:1::9'), '2001:db8:42::/48')
  t.equal(truncateAddress('2001:0db8::1'), '2001:db8:0::/48')
  t.equal(truncateAddress('::1'), '0:0:0::/48')
  t.equal(truncateAddress('not an address'), 'unknown')
  t.equal(truncateAddress(undefined), 'unknown')
  t.equal(ipActor('192.0.2.200'), 'ip:192.0.2.0/24')
})

t.test('a refused webhook is counted with the truncated address, and nothing of it enters the audit log', async (t) => {
  const { app, db } = await build(t)
  const res = await deliver(app, '{}', { headers: { 'x-cal-signature-256': 'f'.repeat(64) } })
  t.equal(res.statusCode, 401)
  await app.refusals.flush()
  t.same(await db.selectFrom('audit_refusals').select(['address', 'reason', 'count']).execute(), [{ address: '127.0.0.0/24', reason: 'signature_mismatch', count: 1 }])
  t.same(await db.selectFrom('audit_log').select(['actor', 'action']).execute(), [])
})

t.test('a member whose sub is an email is audited by its keyed hash', async (t) => {
  t.equal(memberActor(testRing, 'm-42'), 'member:m-42')
  t.equal(memberActor(testRing, 'Ruth@Example.org'), `member:hash:${testRing.blindIndex('ruth@example.org')}`)
})
