import { randomBytes } from 'node:crypto'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** A 22-character short UUID like Cal.com's booking uids (`Kq2vN8xWbPj3TfYhR6mLzA`). */
export function shortUid(): string {
  let n = BigInt('0x' + randomBytes(16).toString('hex'))
  let out = ''
  for (let i = 0; i < 22; i++) {
    out = BASE62[Number(n % 62n)] + out
    n /= 62n
  }
  return out
}

/** `alice@example.com` → `alice+<clientId>@example.com`, kept as is when already in that form (§2.7). */
export function managedEmail(email: string, clientId: string): string {
  const at = email.lastIndexOf('@')
  if (at < 1) return email
  if (email.includes(`+${clientId}@`)) return email
  return `${email.slice(0, at)}+${clientId}${email.slice(at)}`
}

/** Cal.com's slugify (packages/lib/slugify.ts), as the contract paraphrases it. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/[\s_#]+/g, '-')
    .replace(/[^\p{L}\p{N}\p{Extended_Pictographic}.-]+/gu, '-')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
}

/** `slugify("<local>+<clientId>-<domainName>-<tld>")` over the first two labels after `@` (§2.7). */
export function managedUsername(originalEmail: string, clientId: string): string {
  const at = originalEmail.lastIndexOf('@')
  const local = originalEmail.slice(0, at).replace(`+${clientId}`, '')
  const [domainName = '', tld = ''] = originalEmail.slice(at + 1).split('.')
  return slugify(`${local}+${clientId}-${domainName}-${tld}`)
}
