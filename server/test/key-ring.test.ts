import { createCipheriv, createHmac, randomBytes } from 'node:crypto'
import t from 'tap'
import { ConfigError } from '../config.js'
import { KeyRing, parseEncryptionKeys } from '../privacy/key-ring.js'
import { createTokenCipher, resolveKeyRing } from '../tokens/crypto.js'
import { testConfig } from './helpers.js'

const oldKey = Buffer.alloc(32, 1)
const newKey = Buffer.alloc(32, 2)

/** A `v1.` token ciphertext exactly as the server sealed tokens before the key ring. */
function sealV1(key: Buffer, plain: string): string {
  const enc = createHmac('sha256', key).update('churchhub token encryption').digest()
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', enc, iv)
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.')
}

t.test('every ciphertext names its key; the first key seals, every key opens', async (t) => {
  const before = new KeyRing([{ kid: 'old', key: oldKey }])
  const sealedOld = before.encrypt('Bob Booker')
  t.equal(sealedOld.split('.').slice(0, 2).join('.'), 'v2.old', 'the key id is inside the ciphertext')
  const ring = new KeyRing([{ kid: 'new', key: newKey }, { kid: 'old', key: oldKey }], oldKey)
  const sealedNew = ring.encrypt('Bob Booker')
  t.equal(sealedNew.split('.')[1], 'new')
  t.equal(ring.decrypt(sealedOld), 'Bob Booker', 'an old ciphertext opens')
  t.equal(ring.decrypt(sealedNew), 'Bob Booker')
  t.equal(ring.needsRotation(sealedOld), true)
  t.equal(ring.needsRotation(sealedNew), false)
  t.equal(ring.needsRotation('plain text from before encryption'), true)
  t.throws(() => before.decrypt(sealedNew), /key "new", which is not in ENCRYPTION_KEYS/)
  const forged = sealedNew.replace('v2.new.', 'v2.old.')
  t.throws(() => ring.decrypt(forged), 'a ciphertext relabelled to another key does not open')
})

t.test('no two ciphertexts share a nonce, across refills of the nonce pool', async (t) => {
  const ring = new KeyRing([{ kid: 'k', key: newKey }])
  const count = 3_000 // about three pools' worth
  const ivs = new Set(Array.from({ length: count }, () => ring.encrypt('same words').split('.')[2]))
  t.equal(ivs.size, count)
  const sealed = Array.from({ length: 1_100 }, (_, i) => ring.encrypt(`note ${i}`))
  t.same(sealed.map((s) => ring.decrypt(s)), sealed.map((_, i) => `note ${i}`), 'each opens to its own words')
})

t.test('TOKEN_ENCRYPTION_KEY is a ring of one: tokens sealed before the ring still open', async (t) => {
  const legacy = sealV1(oldKey, 'eyJ.access.token')
  const cipher = createTokenCipher(oldKey)
  t.equal(cipher.decrypt(legacy), 'eyJ.access.token')
  t.equal(cipher.needsRotation(legacy), true, 'a v1 ciphertext names no key, so rotation re-seals it')
  const config = testConfig({ TOKEN_ENCRYPTION_KEY: oldKey.toString('base64'), ENCRYPTION_KEYS: `k2026:${newKey.toString('base64')}` })
  const ring = resolveKeyRing(config)
  t.equal(ring.currentKid, 'k2026', 'ENCRYPTION_KEYS seals')
  t.equal(ring.decrypt(legacy), 'eyJ.access.token', 'and TOKEN_ENCRYPTION_KEY still opens its old tokens')
  t.equal(ring.fingerprint('tok'), cipher.fingerprint('tok'), 'token fingerprints do not change when a sealing key is added')
  t.equal(ring.blindIndex(' Bob@Example.org '), cipher.blindIndex('bob@example.org'), 'nor does the blind index; emails are normalised')
  t.not(ring.blindIndex('bob@example.org'), createTokenCipher(newKey).blindIndex('bob@example.org'), 'the index is keyed')
  t.not(ring.blindIndex('bob@example.org'), ring.fingerprint('bob@example.org'), 'index and fingerprint use separate keys')
})

t.test('ENCRYPTION_KEYS alone: the oldest key keys the index', async (t) => {
  const config = testConfig({ ENCRYPTION_KEYS: `b:${newKey.toString('base64')},a:${oldKey.toString('base64')}` })
  const ring = resolveKeyRing(config)
  t.equal(ring.currentKid, 'b')
  t.equal(ring.blindIndex('x@y.z'), new KeyRing([{ kid: 'a', key: oldKey }]).blindIndex('x@y.z'))
})

t.test('ENCRYPTION_KEYS is checked at start, one message per bad entry', async (t) => {
  t.same(parseEncryptionKeys(`a:${oldKey.toString('base64')}`), [{ kid: 'a', key: oldKey }])
  t.throws(() => parseEncryptionKeys('nokey'), /needs an id/)
  t.throws(() => parseEncryptionKeys('a:c2hvcnQ='), /key "a" is not 32 bytes/)
  t.throws(() => parseEncryptionKeys(`a:${oldKey.toString('base64')},a:${newKey.toString('base64')}`), /appears twice/)
  t.throws(() => parseEncryptionKeys(`token:${oldKey.toString('base64')}`), /TOKEN_ENCRYPTION_KEY's/)
  t.throws(() => testConfig({ ENCRYPTION_KEYS: 'a:short' }), ConfigError)
  const production = { CAL_CLIENT_ID: 'id', CAL_CLIENT_SECRET: 'secret', CAL_WEBHOOK_SECRET: 'whsec', ADMIN_API_KEY: 'a'.repeat(20), PUBLIC_URL: 'https://b.example' }
  const { loadConfig } = await import('../config.js')
  t.throws(() => loadConfig(production), /TOKEN_ENCRYPTION_KEY: required/)
  t.equal(loadConfig({ ...production, ENCRYPTION_KEYS: `a:${oldKey.toString('base64')}` }).encryptionKeys?.[0]?.kid, 'a', 'ENCRYPTION_KEYS alone is enough')
  t.equal(loadConfig({ ...production, ENCRYPTION_KEYS: `a:${oldKey.toString('base64')}` }).retentionDays, 730)
  t.equal(loadConfig({ ...production, ENCRYPTION_KEYS: `a:${oldKey.toString('base64')}` }).rawDeliveryDays, 7)
})
