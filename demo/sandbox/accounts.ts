import { createHash, randomBytes } from 'node:crypto'
import type { SandboxHost } from './types.js'

/** The seeded users' API keys: public development values, printed at start and in the README. */
export const sandboxApiKey = (username: string) => `cal_sandbox_${username}`

export type Caller = { host: SandboxHost; kind: 'api_key' | 'oauth'; tracker: string; limit: number }

/** Default limits per 60 s (docs/connecting-cal-com.md, "The Cal.com facts this relies on"): 120 for an API key, 500 for other bearers. */
export const API_KEY_LIMIT = 120
export const TOKEN_LIMIT = 500
export const RATE_WINDOW_MS = 60_000

const sha = (s: string) => createHash('sha256').update(s).digest('hex')

/**
 * The seeded users' own credentials: their API keys and the OAuth tokens issued to them through the
 * sandbox's "Continue with Cal.com" (access 1800 s, refresh 30 days; each refresh kills the previous pair).
 */
export class Accounts {
  #tokens = new Map<string, { username: string; expiresAt: number }>()
  #refresh = new Map<string, { username: string; clientId: string; expiresAt: number }>()

  constructor(private readonly hosts: SandboxHost[]) {}

  byApiKey(key: string): SandboxHost | undefined {
    return this.hosts.find((h) => sandboxApiKey(h.username) === key)
  }

  /** 'unknown' for a token never issued (or replaced); 'expired' past its 1800 s. */
  byAccessToken(token: string, now: number): SandboxHost | 'unknown' | 'expired' {
    const t = this.#tokens.get(token)
    if (!t) return 'unknown'
    if (t.expiresAt <= now) return 'expired'
    return this.hosts.find((h) => h.username === t.username) ?? 'unknown'
  }

  issue(username: string, clientId: string, now: number) {
    // One refresh token per (client, user): the store deletes older ones.
    for (const [token, r] of this.#refresh) if (r.username === username && r.clientId === clientId) this.#refresh.delete(token)
    const access = `sbx_at_${randomBytes(16).toString('hex')}`
    const refresh = `sbx_rt_${randomBytes(16).toString('hex')}`
    this.#tokens.set(access, { username, expiresAt: now + 1800_000 })
    this.#refresh.set(refresh, { username, clientId, expiresAt: now + 30 * 86_400_000 })
    return { access_token: access, token_type: 'bearer', refresh_token: refresh, expires_in: 1800 }
  }

  /** Single use: the presented refresh token dies whatever happens next. */
  refresh(token: string, clientId: string, now: number) {
    const r = this.#refresh.get(token)
    if (!r || r.clientId !== clientId || r.expiresAt <= now) return undefined
    this.#refresh.delete(token)
    return this.issue(r.username, clientId, now)
  }

  /** The throttler's tracker for a bearer (`api_key_<sha256>` / `access_token_<sha256>`). */
  static tracker(bearer: string) {
    return bearer.startsWith('cal_') ? { tracker: `api_key_${sha(bearer)}`, limit: API_KEY_LIMIT } : { tracker: `access_token_${sha(bearer)}`, limit: TOKEN_LIMIT }
  }
}

/** Fixed 60-second windows per tracker, blocked for the rest of the window once over (CustomThrottlerGuard). */
export class RateLimiter {
  #windows = new Map<string, { start: number; hits: number }>()

  hit(tracker: string, limit: number, now: number): { allowed: boolean; remaining: number; resetSeconds: number } {
    let w = this.#windows.get(tracker)
    if (!w || now - w.start >= RATE_WINDOW_MS) this.#windows.set(tracker, (w = { start: now, hits: 0 }))
    w.hits++
    const resetSeconds = Math.max(1, Math.ceil((w.start + RATE_WINDOW_MS - now) / 1000))
    return { allowed: w.hits <= limit, remaining: Math.max(0, limit - w.hits), resetSeconds }
  }

  reset() { this.#windows.clear() }
}
