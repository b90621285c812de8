import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { createTokenCipher, resolveTokenKey } from '../tokens/crypto.js'

const key = Buffer.alloc(32, 1)

t.test('tokens are sealed with AES-256-GCM and open only with the same key, unaltered', async (t) => {
  const cipher = createTokenCipher(key)
  const sealed = cipher.encrypt('eyJ.secret.token')
  t.notOk(sealed.includes('secret'))
  t.not(cipher.encrypt('eyJ.secret.token'), sealed, 'a fresh IV every time')
  t.equal(cipher.decrypt(sealed), 'eyJ.secret.token')
  t.throws(() => createTokenCipher(Buffer.alloc(32, 2)).decrypt(sealed), 'another key')
  const parts = sealed.split('.')
  const body = Buffer.from(parts[4]!, 'base64url')
  body[0]! ^= 1
  t.throws(() => cipher.decrypt([...parts.slice(0, 4), body.toString('base64url')].join('.')), 'an altered ciphertext')
  t.equal(cipher.fingerprint('a'), createTokenCipher(key).fingerprint('a'), 'fingerprints are stable for one key')
  t.not(cipher.fingerprint('a'), createTokenCipher(Buffer.alloc(32, 2)).fingerprint('a'))
  t.throws(() => createTokenCipher(Buffer.alloc(16)))
})

t.test('the key: TOKEN_ENCRYPTION_KEY, or in sandbox mode one kept under DATA_DIR with mode 0600', async (t) => {
  t.equal(resolveTokenKey({ tokenEncryptionKey: key, sandbox: false, dataDir: '/nonexistent' }), key)
  t.throws(() => resolveTokenKey({ tokenEncryptionKey: undefined, sandbox: false, dataDir: '/tmp' }), /TOKEN_ENCRYPTION_KEY/)

  const dir = mkdtempSync(join(tmpdir(), 'churchhub-key-'))
  const made = resolveTokenKey({ tokenEncryptionKey: undefined, sandbox: true, dataDir: dir })
  t.equal(made.length, 32)
  const file = join(dir, 'token-encryption.key')
  t.equal(statSync(file).mode & 0o777, 0o600)
  t.same(Buffer.from(readFileSync(file, 'utf8'), 'base64'), made)
  t.same(resolveTokenKey({ tokenEncryptionKey: undefined, sandbox: true, dataDir: dir }), made, 'the same key after a restart')

  const memory = resolveTokenKey({ tokenEncryptionKey: undefined, sandbox: true, dataDir: 'memory://' })
  t.same(resolveTokenKey({ tokenEncryptionKey: undefined, sandbox: true, dataDir: 'memory://' }), memory, 'one in-memory key per process')
})
