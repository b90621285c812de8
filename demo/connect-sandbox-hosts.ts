import type { App } from '../server/app.js'
import { findHost } from '../server/hosts/hosts-repository.js'
import { sandboxApiKey } from './sandbox/accounts.js'
import { seededHosts } from './sandbox/seed.js'

/**
 * Sandbox mode: the seeded hosts connect their Cal.com accounts with their sandbox API keys, as a
 * church's admin would with real ones: per-host webhooks and reconciliation from the first start.
 * Runs once the server listens (the sandbox is reached over HTTP); a host already connected is left alone.
 */
export async function connectSandboxHosts(app: App): Promise<string[]> {
  const connected: string[] = []
  for (const { username } of seededHosts()) {
    const host = await findHost(app.db, username)
    const existing = host && await app.db.selectFrom('host_connections').select('host_id').where('host_id', '=', host.id).executeTakeFirst()
    if (existing) continue
    try {
      await app.hostConnections.connect(username, { method: 'api_key', apiKey: sandboxApiKey(username) }, 'system')
      connected.push(username)
    } catch (err) {
      app.log.warn({ err, host: username }, 'could not connect a sandbox host')
    }
  }
  return connected
}
