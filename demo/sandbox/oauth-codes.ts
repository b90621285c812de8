import { randomBytes } from 'node:crypto'

/** The sandbox's OAuth client for "Continue with Cal.com" (a CONFIDENTIAL client: it has a secret). */
export const SANDBOX_OAUTH_CLIENT = { clientId: 'sandbox-oauth-client', clientSecret: 'sandbox-oauth-secret' }

interface Grant { username: string; clientId: string; redirectUri: string; expiresAt: number }

/** Authorization codes: single use, bound to the client and redirect_uri they were issued for (10 minutes here; Cal.com's lifetime is unconfirmed). */
export class OAuthCodes {
  #codes = new Map<string, Grant>()

  issue(grant: Omit<Grant, 'expiresAt'>, now: number): string {
    const code = randomBytes(16).toString('hex')
    this.#codes.set(code, { ...grant, expiresAt: now + 600_000 })
    return code
  }

  /** The grant, once; undefined when unknown, used, expired, or for another client or redirect_uri. */
  redeem(code: string, clientId: string, redirectUri: string, now: number): Grant | undefined {
    const grant = this.#codes.get(code)
    this.#codes.delete(code)
    if (!grant || grant.expiresAt <= now || grant.clientId !== clientId || grant.redirectUri !== redirectUri) return undefined
    return grant
  }
}
