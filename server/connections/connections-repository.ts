import type { HostConnectionRow, HostRow } from '../../db/schema.js'
import type { Executor } from '../audit.js'

export function findConnection(db: Executor, hostId: number, options: { lock?: boolean } = {}): Promise<HostConnectionRow | undefined> {
  const query = db.selectFrom('host_connections').selectAll().where('host_id', '=', hostId)
  return (options.lock ? query.forUpdate() : query).executeTakeFirst()
}

/** Every connected host, in host id order (the reconciliation's round). */
export function listConnections(db: Executor): Promise<(HostConnectionRow & { username: string })[]> {
  return db.selectFrom('host_connections').innerJoin('hosts', 'hosts.id', 'host_connections.host_id')
    .selectAll('host_connections').select('hosts.username').orderBy('host_connections.host_id').execute()
}

/** Hosts with their connection, if any, for GET /admin/hosts. */
export function listHostsWithConnections(db: Executor): Promise<{ host: HostRow; connection: HostConnectionRow | undefined }[]> {
  return Promise.all([
    db.selectFrom('hosts').selectAll().orderBy('username').execute(),
    db.selectFrom('host_connections').selectAll().execute(),
  ]).then(([hosts, connections]) => {
    const byHost = new Map(connections.map((c) => [c.host_id, c]))
    return hosts.map((host) => ({ host, connection: byHost.get(host.id) }))
  })
}

export type NewConnection = Pick<HostConnectionRow, 'host_id' | 'method' | 'credential_enc' | 'refresh_token_enc' | 'access_token_expires_at' | 'cal_user_id' | 'cal_username' | 'webhook_id' | 'webhook_secret_enc'>

/** Stores a (re)connection; the watermarks of an earlier connection to the same Cal.com user are kept. */
export async function saveConnection(db: Executor, c: NewConnection, now: Date): Promise<void> {
  await db.insertInto('host_connections').values({ ...c, updated_at: now })
    .onConflict((oc) => oc.column('host_id').doUpdateSet((eb) => ({
      method: c.method, credential_enc: c.credential_enc, refresh_token_enc: c.refresh_token_enc,
      access_token_expires_at: c.access_token_expires_at, cal_username: c.cal_username, webhook_id: c.webhook_id,
      webhook_secret_enc: c.webhook_secret_enc, updated_at: now, cal_user_id: c.cal_user_id,
      updated_watermark: eb.case().when('host_connections.cal_user_id', '=', c.cal_user_id).then(eb.ref('host_connections.updated_watermark')).else(null).end(),
      created_watermark: eb.case().when('host_connections.cal_user_id', '=', c.cal_user_id).then(eb.ref('host_connections.created_watermark')).else(null).end(),
    })))
    .execute()
}

export async function deleteConnection(db: Executor, hostId: number): Promise<void> {
  await db.deleteFrom('host_connections').where('host_id', '=', hostId).execute()
}
