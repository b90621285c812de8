import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Config } from '../config.js'

const VERSION = 'v1'
const IV_BYTES = 12

export interface TokenCipher {
  encrypt(plain: string): string
  /** Throws when the ciphertext was not made with this key or was altered. */
  decrypt(sealed: string): string
  /** A keyed fingerprint of a token, to find its owner without storing it in clear. */
  fingerprint(token: string): string
}

const b64 = (b: Buffer) => b.toString('base64url')

/** AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
export function createTokenCipher(key: Buffer): TokenCipher {
  if (key.length !== 32) throw new Error('The token encryption key must be 32 bytes.')
  // Separate keys for separate jobs, derived so one variable still configures both.
  const encKey = createHmac('sha256', key).update('churchhub token encryption').digest()
  const macKey = createHmac('sha256', key).update('churchhub token fingerprint').digest()
  return {
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', encKey, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return [VERSION, b64(iv), b64(cipher.getAuthTag()), b64(body)].join('.')
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split('.')
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Not a sealed token.')
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
    },
    fingerprint(token) {
      return createHmac('sha256', macKey).update(token).digest('hex')
    },
  }
}

// One per process for `memory://` data: two apps built in one test process share their database, so
// they must share this key as two replicas share TOKEN_ENCRYPTION_KEY.
let memoryKey: Buffer | undefined

/**
 * TOKEN_ENCRYPTION_KEY when set. In sandbox mode without it, a key made once and kept at
 * `<DATA_DIR>/token-encryption.key` (mode 0600), so tokens survive a restart.
 */
export function resolveTokenKey(config: Pick<Config, 'tokenEncryptionKey' | 'sandbox' | 'dataDir'>): Buffer {
  if (config.tokenEncryptionKey) return config.tokenEncryptionKey
  if (!config.sandbox) throw new Error('TOKEN_ENCRYPTION_KEY: required when CAL_API_URL points at a real Cal.com')
  if (config.dataDir.startsWith('memory://')) return (memoryKey ??= randomBytes(32))
  mkdirSync(config.dataDir, { recursive: true })
  const file = join(config.dataDir, 'token-encryption.key')
  try {
    // `wx` fails when the file exists, so two processes starting together end up with one key.
    writeFileSync(file, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  chmodSync(file, 0o600)
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key; delete it to make a new one (stored tokens are then re-minted).`)
  return key
}
