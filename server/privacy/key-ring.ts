import { createCipheriv, createDecipheriv, createHmac, randomFillSync } from 'node:crypto'

/** One key of the ring: an id written into every ciphertext it seals, and 32 bytes. */
export interface RingKey {
  kid: string
  key: Buffer
}

export const KID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/
/** The id TOKEN_ENCRYPTION_KEY carries in the ring, so its `v1.` ciphertexts and `v2.token.` ones both open. */
export const TOKEN_KEY_ID = 'token'

const IV_BYTES = 12
// Nonces are cut from a pool filled 1,024 at a time: one randomBytes(12) per value was about a ninth of
// the webhook path's CPU (they stay random, never counted, so replicas need no coordination).
const IV_POOL = Buffer.alloc(IV_BYTES * 1024)
let ivOffset = IV_POOL.length
function nextIv(): Buffer {
  if (ivOffset === IV_POOL.length) {
    randomFillSync(IV_POOL)
    ivOffset = 0
  }
  // A copy: the pool is overwritten on the next refill.
  return Buffer.from(IV_POOL.subarray(ivOffset, (ivOffset += IV_BYTES)))
}
const b64 = (b: Buffer) => b.toString('base64url')
// `v1.<iv>.<tag>.<body>`: the token ciphertexts made before the ring, under TOKEN_ENCRYPTION_KEY.
const V1 = /^v1\.([\w-]+)\.([\w-]+)\.([\w-]*)$/
// `v2.<kid>.<iv>.<tag>.<body>`: the ring's own, naming the key that sealed it.
const V2 = /^v2\.([A-Za-z0-9_-]{1,32})\.([\w-]+)\.([\w-]+)\.([\w-]*)$/

interface Derived { kid: string; enc: Buffer }

// Separate keys for separate jobs, derived so one secret still configures them all (the same
// derivation as before the ring, so `v1.` ciphertexts and token fingerprints stay valid).
const derive = (key: Buffer, purpose: string) => createHmac('sha256', key).update(purpose).digest()

export class KeyRing {
  readonly #keys: Derived[]
  readonly #byKid: Map<string, Derived>
  readonly #macKey: Buffer
  readonly #indexKey: Buffer

  /**
   * `keys[0]` seals, every key opens. `indexKey` keys the fingerprints and the blind index, which
   * must not change when the sealing key does (a lookup by a hash made under another key would
   * find nothing): TOKEN_ENCRYPTION_KEY when set, else the last (oldest) key of the ring.
   */
  constructor(keys: RingKey[], indexKey: Buffer = keys.at(-1)?.key ?? Buffer.alloc(0)) {
    if (keys.length === 0) throw new Error('The key ring needs at least one key.')
    for (const { kid, key } of keys) {
      if (!KID_PATTERN.test(kid)) throw new Error(`Key id "${kid}" must be 1–32 letters, digits, _ or -.`)
      if (key.length !== 32) throw new Error(`Key "${kid}" must be 32 bytes (openssl rand -base64 32).`)
    }
    if (new Set(keys.map((k) => k.kid)).size !== keys.length) throw new Error('Each key id may appear once in the ring.')
    if (indexKey.length !== 32) throw new Error('The index key must be 32 bytes.')
    this.#keys = keys.map(({ kid, key }) => ({ kid, enc: derive(key, 'churchhub token encryption') }))
    this.#byKid = new Map(this.#keys.map((k) => [k.kid, k]))
    this.#macKey = derive(indexKey, 'churchhub token fingerprint')
    this.#indexKey = derive(indexKey, 'churchhub blind index')
  }

  /** The id of the key new ciphertexts are sealed with. */
  get currentKid(): string {
    return this.#keys[0]!.kid
  }

  /** AES-256-GCM under the first key: `v2.<kid>.<iv>.<tag>.<ciphertext>`, base64url parts. */
  encrypt(plain: string): string {
    const { kid, enc } = this.#keys[0]!
    const iv = nextIv()
    const cipher = createCipheriv('aes-256-gcm', enc, iv)
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    return ['v2', kid, b64(iv), b64(cipher.getAuthTag()), b64(body)].join('.')
  }

  /** Throws when no key of the ring sealed it, or it was altered. */
  decrypt(sealed: string): string {
    const v2 = V2.exec(sealed)
    if (v2) {
      const key = this.#byKid.get(v2[1]!)
      if (!key) throw new Error(`Sealed under key "${v2[1]}", which is not in ENCRYPTION_KEYS: add it back (last) until keys:rotate has moved every row.`)
      return open(key.enc, v2[2]!, v2[3]!, v2[4]!)
    }
    const v1 = V1.exec(sealed)
    if (!v1) throw new Error('Not a sealed value.')
    // v1 names no key: it was TOKEN_ENCRYPTION_KEY's, else try each (GCM refuses a wrong key).
    const token = this.#byKid.get(TOKEN_KEY_ID)
    for (const key of token ? [token] : this.#keys) {
      try {
        return open(key.enc, v1[1]!, v1[2]!, v1[3]!)
      } catch { /* the next key */ }
    }
    throw new Error('No key of the ring opens this value.')
  }

  /** True for a value sealed under another key than the current one, or not sealed at all. */
  needsRotation(sealed: string): boolean {
    const v2 = V2.exec(sealed)
    return !v2 || v2[1] !== this.currentKid
  }

  /** A keyed fingerprint of a token, to find its owner without storing it in clear. */
  fingerprint(token: string): string {
    return createHmac('sha256', this.#macKey).update(token).digest('hex')
  }

  /** The blind index of an email: a keyed hash of its trimmed, lower-cased form. */
  blindIndex(email: string): string {
    return createHmac('sha256', this.#indexKey).update(normaliseEmail(email)).digest('hex')
  }
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase()

/** True for a value the ring made (or a `v1.` token ciphertext), false for plain text kept from before encryption. */
export const isSealed = (value: string) => V2.test(value) || V1.test(value)

function open(enc: Buffer, iv: string, tag: string, body: string): string {
  const decipher = createDecipheriv('aes-256-gcm', enc, Buffer.from(iv, 'base64url'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
}

/**
 * Parses ENCRYPTION_KEYS (`kid:base64key,kid:base64key`, the first seals). Throws with one
 * message per bad entry.
 */
export function parseEncryptionKeys(value: string): RingKey[] {
  const problems: string[] = []
  const keys: RingKey[] = []
  for (const entry of value.split(',').map((e) => e.trim()).filter(Boolean)) {
    const at = entry.indexOf(':')
    const kid = at > 0 ? entry.slice(0, at) : ''
    const key = Buffer.from(entry.slice(at + 1), 'base64')
    if (!KID_PATTERN.test(kid)) problems.push(`"${entry.slice(0, 12)}…" needs an id: kid:base64key with an id of 1–32 letters, digits, _ or -`)
    else if (kid === TOKEN_KEY_ID) problems.push(`the id "${TOKEN_KEY_ID}" is TOKEN_ENCRYPTION_KEY's; pick another`)
    else if (key.length !== 32) problems.push(`key "${kid}" is not 32 bytes in base64 (openssl rand -base64 32)`)
    else if (keys.some((k) => k.kid === kid)) problems.push(`key id "${kid}" appears twice`)
    else keys.push({ kid, key })
  }
  if (!problems.length && !keys.length) problems.push('expected kid:base64key[,kid:base64key…]')
  if (problems.length) throw new Error(problems.join('; '))
  return keys
}
