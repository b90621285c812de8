import { z } from 'zod'
import { CalError } from './errors.js'
import { type CreateManagedUserInput, CreatedManagedUser, CalErrorBody, ManagedUser, Me, TokenPair, envelope } from './schemas.js'

export interface CalClientOptions {
  /** API v2 base, e.g. https://api.cal.com/v2 */
  apiUrl: string
  clientId: string
  clientSecret: string
  fetch?: typeof fetch
  /** Budget for one call, retries included. */
  timeoutMs?: number
  /** Extra attempts after a 429 or 5xx. */
  retries?: number
  retryBaseMs?: number
  /** A longer Retry-After is not waited out: the caller gets 503 with it instead. */
  retryAfterCapMs?: number
}

export interface CallOptions {
  /** Absolute time (Date.now() ms) after which the call gives up, when sooner than the timeout. */
  deadline?: number | undefined
}

export const DEFAULT_TIMEOUT_MS = 5_000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The Platform managed-user endpoints of Cal.com API v2 (calcom-contract §2). */
export class CalClient {
  readonly timeoutMs: number
  readonly #fetch: typeof fetch
  readonly #retries: number
  readonly #retryBaseMs: number
  readonly #retryAfterCapMs: number

  constructor(private readonly options: CalClientOptions) {
    this.#fetch = options.fetch ?? fetch
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.#retries = options.retries ?? 2
    this.#retryBaseMs = options.retryBaseMs ?? 100
    this.#retryAfterCapMs = options.retryAfterCapMs ?? 1_000
  }

  createManagedUser(input: CreateManagedUserInput, call?: CallOptions) {
    const body = { email: input.email, name: input.name, ...(input.timeZone ? { timeZone: input.timeZone } : {}) }
    return this.#request('create managed user', 'POST', this.#users(), CreatedManagedUser, { body, ...call })
  }

  listManagedUsers(emails: string[], call?: CallOptions) {
    // One comma-separated parameter; URLSearchParams encodes `+` as %2B as Cal.com requires.
    const query = new URLSearchParams({ emails: emails.join(','), limit: '250' })
    return this.#request('list managed users', 'GET', `${this.#users()}?${query}`, ManagedUser.array(), call)
  }

  getManagedUser(userId: number, call?: CallOptions) {
    return this.#request('get managed user', 'GET', `${this.#users()}/${userId}`, ManagedUser, call)
  }

  /** Deletes a managed user at Cal.com (an erasure: docs/privacy.md). */
  deleteManagedUser(userId: number, call?: CallOptions) {
    return this.#request('delete managed user', 'DELETE', `${this.#users()}/${userId}`, z.unknown(), call)
  }

  /** Revokes every token of the user and issues a new pair. */
  forceRefresh(userId: number, call?: CallOptions) {
    return this.#request('force-refresh tokens', 'POST', `${this.#users()}/${userId}/force-refresh`, TokenPair, call)
  }

  /** Single use: the refresh token presented is dead afterwards, whatever happens to the answer. */
  refreshTokens(refreshToken: string, call?: CallOptions) {
    const path = `/oauth/${encodeURIComponent(this.options.clientId)}/refresh`
    return this.#request('refresh tokens', 'POST', path, TokenPair, { body: { refreshToken }, ...call })
  }

  /** Who a managed user's access token belongs to; 498 when expired, 401 when unknown. */
  me(accessToken: string, call?: CallOptions) {
    return this.#request('read /me', 'GET', '/me', Me, { bearer: accessToken, ...call })
  }

  #users() {
    return `/oauth-clients/${encodeURIComponent(this.options.clientId)}/users`
  }

  async #request<T extends z.ZodType>(
    operation: string, method: string, path: string, schema: T,
    options: CallOptions & { body?: unknown; bearer?: string } = {},
  ): Promise<z.output<T>> {
    const deadline = Math.min(Date.now() + this.timeoutMs, options.deadline ?? Infinity)
    const headers: Record<string, string> = { accept: 'application/json' }
    if (options.bearer) headers.authorization = `Bearer ${options.bearer}`
    else headers['x-cal-secret-key'] = this.options.clientSecret
    if (options.body !== undefined) headers['content-type'] = 'application/json'

    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - Date.now()
      if (remaining <= 0) throw CalError.timeout(operation)
      const signal = AbortSignal.timeout(remaining)
      let status: number
      let text: string
      let retryAfter: string | null
      try {
        const res = await this.#fetch(`${this.options.apiUrl}${path}`, {
          method, headers, signal, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        })
        status = res.status
        retryAfter = res.headers.get('retry-after')
        text = await res.text()
      } catch {
        throw signal.aborted ? CalError.timeout(operation) : CalError.unreachable(operation)
      }

      if (status === 429 || status >= 500) {
        const askedMs = parseRetryAfter(retryAfter)
        const waitMs = Math.max(askedMs ?? 0, this.#retryBaseMs * 2 ** attempt * (0.5 + Math.random() / 2))
        const canWait = attempt < this.#retries && (askedMs ?? 0) <= this.#retryAfterCapMs && Date.now() + waitMs < deadline
        if (canWait) { await sleep(waitMs); continue }
        if (status === 429) throw CalError.rateLimited(operation, Math.max(1, Math.ceil((askedMs ?? 5_000) / 1000)))
        throw CalError.http(operation, status, errorMessage(text))
      }
      if (status < 200 || status >= 300) throw CalError.http(operation, status, errorMessage(text))

      const parsed = envelope(schema).safeParse(safeJson(text))
      if (!parsed.success) throw CalError.badResponse(operation, status)
      return (parsed.data as { data: z.output<T> }).data
    }
  }
}

export function createCalClient(options: CalClientOptions) {
  return new CalClient(options)
}

/** Seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

function safeJson(text: string): unknown {
  try { return JSON.parse(text) } catch { return undefined }
}

function errorMessage(text: string): string | undefined {
  const parsed = CalErrorBody.safeParse(safeJson(text))
  return parsed.success ? parsed.data.error?.message : undefined
}
