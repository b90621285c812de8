import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Config } from '../config.js'
import { KeyRing, type RingKey, TOKEN_KEY_ID } from '../privacy/key-ring.js'

export interface TokenCipher {
  encrypt(plain: string): string
  /** Throws when the ciphertext was not made with a key of the ring or was altered. */
  decrypt(sealed: string): string
  /** A keyed fingerprint of a token, to find its owner without storing it in clear. */
  fingerprint(token: string): string
  /** The blind index of an email (a keyed hash of its normalised form), to look people up without storing it in clear. */
  blindIndex(email: string): string
  /** True when `keys:rotate` should re-seal this value: another key than the current one sealed it, or none did. */
  needsRotation(sealed: string): boolean
}

/** A ring of one key: TOKEN_ENCRYPTION_KEY as it always was (its `v1.` ciphertexts still open). */
export function createTokenCipher(key: Buffer): TokenCipher {
  if (key.length !== 32) throw new Error('The token encryption key must be 32 bytes.')
  return new KeyRing([{ kid: TOKEN_KEY_ID, key }], key)
}

/**
 * The application's key ring: ENCRYPTION_KEYS in their order (the first seals), then
 * TOKEN_ENCRYPTION_KEY (or the sandbox's kept key) as key `token`. The fingerprints and blind
 * index are keyed by TOKEN_ENCRYPTION_KEY when there is one, else by the last ENCRYPTION_KEYS key.
 */
export function resolveKeyRing(config: Pick<Config, 'tokenEncryptionKey' | 'encryptionKeys' | 'sandbox' | 'dataDir'>): KeyRing {
  const ring: RingKey[] = [...(config.encryptionKeys ?? [])]
  const tokenKey = config.tokenEncryptionKey ?? (ring.length ? undefined : resolveTokenKey(config))
  if (tokenKey) ring.push({ kid: TOKEN_KEY_ID, key: tokenKey })
  return new KeyRing(ring, tokenKey ?? ring.at(-1)!.key)
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
  if (!config.sandbox) throw new Error('TOKEN_ENCRYPTION_KEY or ENCRYPTION_KEYS: required when CAL_API_URL points at a real Cal.com')
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
