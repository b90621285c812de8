import type { Kysely } from 'kysely'
import type { DatabaseKind } from '../../db/open-database.js'
import type { Database, HostConnectionRow, HostRow } from '../../db/schema.js'
import { recordAudit } from '../audit.js'
import type { CalAccountClient } from '../cal/account-client.js'
import { isCalError } from '../cal/errors.js'
import type { OAuthTokens, Profile } from '../cal/v2-schemas.js'
import type { Clock } from '../clock.js'
import type { Config } from '../config.js'
import { AppError } from '../errors.js'
import { type EventTypeInfo, findHost, upsertHost } from '../hosts/hosts-repository.js'
import type { TokenCipher } from '../tokens/crypto.js'
import { PersonLocks } from '../tokens/person-locks.js'
import { REFRESH_AHEAD_MS } from '../tokens/token-store.js'
import { deleteConnection, findConnection, saveConnection } from './connections-repository.js'
import { newWebhookSecret } from './secrets.js'

export interface ConnectResult { connected: true; calUsername: string; webhookId: string | null; eventTypes: EventTypeInfo[] }

type Credential = { method: 'api_key'; apiKey: string } | { method: 'oauth'; tokens: OAuthTokens }

export interface HostConnectionsDeps {
  db: Kysely<Database>
  kind: DatabaseKind
  cal: CalAccountClient
  cipher: TokenCipher
  clock: Clock
  config: Pick<Config, 'publicUrl' | 'cal'>
}

/**
 * Hosts' own Cal.com accounts: connect (check the credential with /v2/me, read the event types,
 * subscribe a webhook with a secret of the host's own), disconnect, and the bearer to call Cal.com
 * with, an OAuth token refreshed ahead of expiry once across replicas (the token machinery's locks).
 */
export class HostConnections {
  readonly #locks: PersonLocks

  constructor(private readonly deps: HostConnectionsDeps) {
    this.#locks = new PersonLocks(deps.db, deps.kind)
  }

  webhookUrl(hostId: number) {
    return `${this.deps.config.publicUrl}/webhooks/cal/hosts/${hostId}`
  }

  async connect(username: string, credential: Credential, actor: string): Promise<ConnectResult> {
    const { cal, db, cipher, clock } = this.deps
    const bearer = credential.method === 'api_key' ? credential.apiKey : credential.tokens.access_token
    const profile = await cal.me(bearer).catch(rejected(credential.method))
    const eventTypes = (await cal.eventTypes(bearer).catch(rejected(credential.method)))
      .filter((e) => !e.hidden).slice(0, 50).map((e) => ({ slug: e.slug, title: e.title.slice(0, 200), length: e.lengthInMinutes }))
    const host = await this.#hostFor(username, profile, eventTypes)
    const previous = await findConnection(db, host.id)
    // The old subscription (another key, or Cal.com's copy of this URL) goes, so only ours signs.
    if (previous?.webhook_id) await this.#deleteWebhook(previous).catch(() => {})
    const secret = newWebhookSecret()
    const webhook = await this.#subscribe(bearer, host.id, secret)
    const now = clock.now()
    await db.transaction().execute(async (trx) => {
      await saveConnection(trx, {
        host_id: host.id, method: credential.method, cal_user_id: profile.id, cal_username: profile.username,
        credential_enc: cipher.encrypt(bearer),
        refresh_token_enc: credential.method === 'oauth' ? cipher.encrypt(credential.tokens.refresh_token) : null,
        access_token_expires_at: credential.method === 'oauth' ? new Date(now.getTime() + credential.tokens.expires_in * 1000) : null,
        webhook_id: webhook.id, webhook_secret_enc: cipher.encrypt(secret),
      }, now)
      await recordAudit(trx, { actor, action: 'host.connected', subject: `host:${host.username}`, detail: { method: credential.method, calUsername: profile.username, eventTypes: eventTypes.length } })
    })
    return { connected: true, calUsername: profile.username, webhookId: webhook.id, eventTypes }
  }

  /** Deletes the subscription at Cal.com (already gone is fine) and forgets the credential. */
  async disconnect(username: string, actor: string): Promise<{ connected: false; webhookDeleted: boolean }> {
    const host = await findHost(this.deps.db, username)
    const connection = host && await findConnection(this.deps.db, host.id)
    if (!host || !connection) throw new AppError(404, 'not_connected', `Host "${username}" has no Cal.com connection.`)
    const webhookDeleted = connection.webhook_id ? await this.#deleteWebhook(connection) : false
    await this.deps.db.transaction().execute(async (trx) => {
      await deleteConnection(trx, host.id)
      await recordAudit(trx, { actor, action: 'host.disconnected', subject: `host:${host.username}`, detail: { webhookDeleted } })
    })
    return { connected: false, webhookDeleted }
  }

  /** The secret a host's webhook deliveries are signed with; undefined for a host not connected. */
  async webhookSecret(hostId: number): Promise<string | undefined> {
    const row = await this.deps.db.selectFrom('host_connections').select('webhook_secret_enc').where('host_id', '=', hostId).executeTakeFirst()
    return row ? this.deps.cipher.decrypt(row.webhook_secret_enc) : undefined
  }

  /** What to call Cal.com with for this host: its API key, or an OAuth access token with time left. */
  async bearerFor(connection: HostConnectionRow, deadline = Date.now() + 10_000): Promise<string> {
    const { cipher, clock } = this.deps
    if (connection.method === 'api_key' || !this.#expiring(connection, clock.now())) return cipher.decrypt(connection.credential_enc)
    return this.#locks.run(`host-connection:${connection.host_id}`, deadline, async (trx) => {
      const locked = await findConnection(trx, connection.host_id, { lock: true })
      if (!locked) throw new AppError(409, 'not_connected', 'The host was disconnected meanwhile.')
      // Another request (or replica) may have refreshed while this one waited for the lock.
      if (!this.#expiring(locked, clock.now())) return cipher.decrypt(locked.credential_enc)
      const oauth = this.deps.config.cal.oauth
      if (!oauth || !locked.refresh_token_enc) throw new AppError(409, 'oauth_not_configured', 'This host was connected with OAuth, but CAL_OAUTH_CLIENT_ID/SECRET are no longer set; reconnect it with an API key.')
      const tokens = await this.deps.cal.oauthToken({
        client_id: oauth.clientId, grant_type: 'refresh_token', refresh_token: cipher.decrypt(locked.refresh_token_enc), client_secret: oauth.clientSecret,
      }, { deadline })
      const now = clock.now()
      await trx.updateTable('host_connections').set({
        credential_enc: cipher.encrypt(tokens.access_token), refresh_token_enc: cipher.encrypt(tokens.refresh_token),
        access_token_expires_at: new Date(now.getTime() + tokens.expires_in * 1000), updated_at: now,
      }).where('host_id', '=', locked.host_id).execute()
      await recordAudit(trx, { actor: 'system', action: 'host.token_refreshed', subject: `host_connection:${locked.host_id}` })
      return tokens.access_token
    })
  }

  #expiring(c: HostConnectionRow, now: Date) {
    return !c.access_token_expires_at || new Date(c.access_token_expires_at).getTime() - now.getTime() < REFRESH_AHEAD_MS
  }

  async #hostFor(username: string, profile: Profile, eventTypes: EventTypeInfo[]): Promise<HostRow> {
    const existing = await findHost(this.deps.db, username)
    const { row } = await upsertHost(this.deps.db, {
      username, name: existing?.name ?? profile.name ?? profile.username, calLink: profile.username,
      calOrigin: existing?.cal_origin ?? null, eventTypes,
    }, this.deps.clock.now())
    return row
  }

  async #subscribe(bearer: string, hostId: number, secret: string) {
    const subscriberUrl = this.webhookUrl(hostId)
    try {
      return await this.deps.cal.createWebhook(bearer, { subscriberUrl, secret })
    } catch (error) {
      // 409: this user already has a webhook at this URL (an earlier connection): replace it.
      if (!isCalError(error, 409)) throw error
      const existing = (await this.deps.cal.listWebhooks(bearer)).filter((w) => w.subscriberUrl === subscriberUrl)
      for (const w of existing) await this.deps.cal.deleteWebhook(bearer, w.id)
      return this.deps.cal.createWebhook(bearer, { subscriberUrl, secret })
    }
  }

  async #deleteWebhook(connection: HostConnectionRow): Promise<boolean> {
    try {
      await this.deps.cal.deleteWebhook(await this.bearerFor(connection), connection.webhook_id!)
      return true
    } catch (error) {
      // Already deleted at Cal.com, or the key was revoked there: nothing of ours is left to remove.
      if (isCalError(error) && [401, 403, 404].includes(error.calStatus ?? 0)) return false
      throw error
    }
  }
}

/** Cal.com refusing the key or token is the caller's mistake (400, with Cal.com's reason); anything else stays 502/503/504. */
function rejected(method: Credential['method']) {
  return (error: unknown): never => {
    if (isCalError(error) && (error.calStatus === 401 || error.calStatus === 403)) {
      const what = method === 'api_key' ? 'API key' : 'OAuth token'
      throw new AppError(400, 'cal_credential_rejected', `Cal.com refused the ${what} (${error.calStatus}: ${error.calMessage ?? 'no reason given'}); create a new key at Cal.com → Settings → Developer → API keys and send it as {"apiKey": "cal_…"}.`)
    }
    throw error
  }
}
