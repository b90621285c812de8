import type { z } from 'zod'
import { CalError } from './errors.js'
import { CalErrorBody } from './schemas.js'

export interface TransportOptions {
  /** API v2 base, e.g. https://api.cal.com/v2 */
  apiUrl: string
  fetch?: typeof fetch | undefined
  /** Budget for one call, retries included. */
  timeoutMs?: number | undefined
  /** Extra attempts after a 429 or 5xx. */
  retries?: number | undefined
  retryBaseMs?: number | undefined
  /** A longer wait than this (Retry-After or X-RateLimit-Reset) is not waited out: the caller gets 503 with it instead. */
  retryAfterCapMs?: number | undefined
}

export interface CallOptions {
  /** Absolute time (Date.now() ms) after which the call gives up, when sooner than the timeout. */
  deadline?: number | undefined
}

/** What Cal.com's throttler said about the caller's budget (X-RateLimit-*-<Name>, docs/connecting-cal-com.md, "The Cal.com facts this relies on"). */
export interface RateLimitInfo { limit?: number; remaining?: number; resetSeconds?: number }

export interface RequestOptions extends CallOptions {
  body?: unknown
  /** `Authorization: Bearer …`: an API key, an OAuth or a managed-user access token. */
  bearer?: string | undefined
  /** The Platform client's secret (x-cal-secret-key), for managed-user calls. */
  clientSecret?: string | undefined
  /** cal-api-version: routes without a handler for the default version answer 404 or the old shape. */
  apiVersion?: string | undefined
  /** The OAuth token endpoint answers bare JSON, not `{status, data}`. */
  bare?: boolean
}

export interface CalAnswer<T> { data: T; body: Record<string, unknown>; rateLimit: RateLimitInfo }

export const DEFAULT_TIMEOUT_MS = 5_000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** One HTTP call to Cal.com API v2 with timeouts, bounded retries of 429/5xx, and Cal.com's envelopes. */
export class CalTransport {
  readonly timeoutMs: number
  readonly apiUrl: string
  readonly #fetch: typeof fetch
  readonly #retries: number
  readonly #retryBaseMs: number
  readonly #retryAfterCapMs: number

  constructor(options: TransportOptions) {
    this.apiUrl = options.apiUrl
    this.#fetch = options.fetch ?? fetch
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.#retries = options.retries ?? 2
    this.#retryBaseMs = options.retryBaseMs ?? 100
    this.#retryAfterCapMs = options.retryAfterCapMs ?? 1_000
  }

  async request<T extends z.ZodType>(operation: string, method: string, path: string, schema: T, options: RequestOptions = {}): Promise<CalAnswer<z.output<T>>> {
    const deadline = Math.min(Date.now() + this.timeoutMs, options.deadline ?? Infinity)
    const headers: Record<string, string> = { accept: 'application/json' }
    if (options.bearer) headers.authorization = `Bearer ${options.bearer}`
    else if (options.clientSecret) headers['x-cal-secret-key'] = options.clientSecret
    if (options.apiVersion) headers['cal-api-version'] = options.apiVersion
    if (options.body !== undefined) headers['content-type'] = 'application/json'

    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - Date.now()
      if (remaining <= 0) throw CalError.timeout(operation)
      const signal = AbortSignal.timeout(remaining)
      let status: number
      let text: string
      let responseHeaders: Headers
      try {
        const res = await this.#fetch(`${this.apiUrl}${path}`, {
          method, headers, signal, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        })
        status = res.status
        responseHeaders = res.headers
        text = await res.text()
      } catch {
        throw signal.aborted ? CalError.timeout(operation) : CalError.unreachable(operation)
      }
      const rateLimit = readRateLimit(responseHeaders)

      if (status === 429 || status >= 500) {
        // Cal.com's throttler sends no Retry-After; its X-RateLimit-Reset says when the window opens.
        const askedMs = parseRetryAfter(responseHeaders.get('retry-after')) ?? (status === 429 && rateLimit.resetSeconds !== undefined ? rateLimit.resetSeconds * 1000 : undefined)
        const waitMs = Math.max(askedMs ?? 0, this.#retryBaseMs * 2 ** attempt * (0.5 + Math.random() / 2))
        const canWait = attempt < this.#retries && (askedMs ?? 0) <= this.#retryAfterCapMs && Date.now() + waitMs < deadline
        if (canWait) { await sleep(waitMs); continue }
        if (status === 429) throw CalError.rateLimited(operation, Math.max(1, Math.ceil((askedMs ?? 5_000) / 1000)))
        throw CalError.http(operation, status, errorMessage(text))
      }
      if (status < 200 || status >= 300) throw CalError.http(operation, status, errorMessage(text))

      const json = safeJson(text)
      const parsed = schema.safeParse(options.bare ? json : (json as { status?: unknown; data?: unknown } | undefined)?.status === 'success' ? (json as { data: unknown }).data : undefined)
      if (!parsed.success) throw CalError.badResponse(operation, status)
      return { data: parsed.data as z.output<T>, body: json as Record<string, unknown>, rateLimit }
    }
  }
}

/** Seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

/** `X-RateLimit-{Limit,Remaining,Reset}-<Name>`; with several limits named, the tightest. */
export function readRateLimit(headers: Headers): RateLimitInfo {
  const info: RateLimitInfo = {}
  headers.forEach((value, name) => {
    const m = /^x-ratelimit-(limit|remaining|reset)(?:-.+)?$/.exec(name.toLowerCase())
    const n = Number(value)
    if (!m || !Number.isFinite(n)) return
    const key = m[1] === 'reset' ? 'resetSeconds' : (m[1] as 'limit' | 'remaining')
    info[key] = key === 'remaining' ? Math.min(info[key] ?? Infinity, n) : Math.max(info[key] ?? 0, n)
  })
  return info
}

function safeJson(text: string): unknown {
  try { return JSON.parse(text) } catch { return undefined }
}

/** Cal.com's reason: the envelope's `error.message`, or an OAuth error's `error_description`. */
function errorMessage(text: string): string | undefined {
  const json = safeJson(text)
  const parsed = CalErrorBody.safeParse(json)
  if (parsed.success) return parsed.data.error?.message
  const oauth = json as { error?: unknown; error_description?: unknown } | undefined
  return typeof oauth?.error_description === 'string' ? `${String(oauth.error)}: ${oauth.error_description}` : undefined
}
