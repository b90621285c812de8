import { z } from 'zod'
import { type CreateManagedUserInput, CreatedManagedUser, ManagedUser, Me, TokenPair } from './schemas.js'
import { type CallOptions, CalTransport, DEFAULT_TIMEOUT_MS, type RequestOptions, type TransportOptions } from './transport.js'

export interface CalClientOptions extends TransportOptions {
  /** The Platform OAuth client, for the managed-user calls only (deprecated by Cal.com; optional). */
  clientId?: string | undefined
  clientSecret?: string | undefined
}

export type { CallOptions }
export { DEFAULT_TIMEOUT_MS }

/** The Platform managed-user endpoints of Cal.com API v2 (docs/calcom.md, "Managed users"). */
export class CalClient {
  readonly timeoutMs: number
  readonly transport: CalTransport

  constructor(private readonly options: CalClientOptions) {
    this.transport = new CalTransport(options)
    this.timeoutMs = this.transport.timeoutMs
  }

  /** False without a Platform client: the managed-user calls then have nothing to authenticate with. */
  get managedUsers(): boolean {
    return Boolean(this.options.clientId && this.options.clientSecret)
  }

  createManagedUser(input: CreateManagedUserInput, call?: CallOptions) {
    const body = { email: input.email, name: input.name, ...(input.timeZone ? { timeZone: input.timeZone } : {}) }
    return this.#platform('create managed user', 'POST', this.#users(), CreatedManagedUser, { body, ...call })
  }

  listManagedUsers(emails: string[], call?: CallOptions) {
    // One comma-separated parameter; URLSearchParams encodes `+` as %2B as Cal.com requires.
    const query = new URLSearchParams({ emails: emails.join(','), limit: '250' })
    return this.#platform('list managed users', 'GET', `${this.#users()}?${query}`, ManagedUser.array(), call)
  }

  getManagedUser(userId: number, call?: CallOptions) {
    return this.#platform('get managed user', 'GET', `${this.#users()}/${userId}`, ManagedUser, call)
  }

  /** Deletes a managed user at Cal.com (an erasure: docs/privacy.md). */
  deleteManagedUser(userId: number, call?: CallOptions) {
    return this.#platform('delete managed user', 'DELETE', `${this.#users()}/${userId}`, z.unknown(), call)
  }

  /** Revokes every token of the user and issues a new pair. */
  forceRefresh(userId: number, call?: CallOptions) {
    return this.#platform('force-refresh tokens', 'POST', `${this.#users()}/${userId}/force-refresh`, TokenPair, call)
  }

  /** Single use: the refresh token presented is dead afterwards, whatever happens to the answer. */
  refreshTokens(refreshToken: string, call?: CallOptions) {
    const path = `/oauth/${encodeURIComponent(this.#clientId())}/refresh`
    return this.#platform('refresh tokens', 'POST', path, TokenPair, { body: { refreshToken }, ...call })
  }

  /** Who a managed user's access token belongs to; 498 when expired, 401 when unknown. */
  async me(accessToken: string, call?: CallOptions) {
    return (await this.transport.request('read /me', 'GET', '/me', Me, { bearer: accessToken, ...call })).data
  }

  #clientId(): string {
    if (!this.options.clientId) throw new Error('No Platform OAuth client is configured (CAL_CLIENT_ID); managed-user calls are unavailable.')
    return this.options.clientId
  }

  #users() {
    return `/oauth-clients/${encodeURIComponent(this.#clientId())}/users`
  }

  async #platform<T extends z.ZodType>(operation: string, method: string, path: string, schema: T, options: RequestOptions = {}): Promise<z.output<T>> {
    return (await this.transport.request(operation, method, path, schema, { ...options, clientSecret: this.options.clientSecret })).data
  }
}

export function createCalClient(options: CalClientOptions) {
  return new CalClient(options)
}

export { parseRetryAfter } from './transport.js'
