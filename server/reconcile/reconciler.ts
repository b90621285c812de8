import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import { recordAudit } from '../audit.js'
import type { CalAccountClient } from '../cal/account-client.js'
import type { Clock } from '../clock.js'
import { listConnections } from '../connections/connections-repository.js'
import type { HostConnections } from '../connections/host-connections.js'
import { AppError } from '../errors.js'
import { sweepHost } from './reconcile-host.js'
import type { Sealer } from '../privacy/sealed.js'

export interface HostOutcome {
  username: string
  fetched: number
  created: number
  updated: number
  unchanged: number
  /** Cal.com's newest `updatedAt` seen: where the next sweep starts (less the overlap). */
  watermark: string | null
  requests: number
  error?: { code: string; message: string }
}

export interface ReconcilerDeps {
  db: Kysely<Database>
  ring: Sealer
  cal: CalAccountClient
  connections: HostConnections
  clock: Clock
  sleep?: (ms: number) => Promise<void>
}

/**
 * Reconciliation of every connected host (or one) with Cal.com: each host's failure is its own,
 * recorded on its connection, and never stops the others.
 */
export class Reconciler {
  constructor(private readonly deps: ReconcilerDeps) {}

  async run(options: { username?: string | undefined; actor?: string } = {}): Promise<HostOutcome[]> {
    const { db, clock } = this.deps
    const all = await listConnections(db)
    const connections = options.username ? all.filter((c) => c.username === options.username!.toLowerCase()) : all
    if (options.username && !connections.length) throw new AppError(404, 'not_connected', `Host "${options.username}" has no Cal.com connection; connect it with POST /admin/hosts/${options.username}/connection.`)
    const outcomes: HostOutcome[] = []
    for (const connection of connections) {
      try {
        const bearer = await this.deps.connections.bearerFor(connection)
        const r = await sweepHost({ db, ring: this.deps.ring, cal: this.deps.cal, now: () => clock.now(), ...(this.deps.sleep ? { sleep: this.deps.sleep } : {}) }, connection, bearer)
        const counts = { fetched: r.fetched, created: r.created, updated: r.updated, unchanged: r.unchanged, requests: r.requests }
        const now = clock.now()
        await db.transaction().execute(async (trx) => {
          // greatest(): a slower run that started earlier never moves a watermark back.
          await trx.updateTable('host_connections').set((eb) => ({
            updated_watermark: eb.fn('greatest', [eb.ref('updated_watermark'), eb.val(r.updatedWatermark)]),
            created_watermark: eb.fn('greatest', [eb.ref('created_watermark'), eb.val(r.createdWatermark)]),
            last_reconcile_at: now, last_reconcile: JSON.stringify(counts), last_reconcile_error: null, last_reconcile_error_at: null,
          })).where('host_id', '=', connection.host_id).execute()
          if (r.created + r.updated > 0) {
            await recordAudit(trx, { actor: options.actor ?? 'system', action: 'reconcile.repaired', subject: `host:${connection.username}`, detail: { created: r.created, updated: r.updated, fetched: r.fetched } })
          }
        })
        outcomes.push({ username: connection.username, ...counts, watermark: r.updatedWatermark?.toISOString() ?? null })
      } catch (error) {
        const code = error instanceof AppError ? error.code : 'reconcile_failed'
        const message = error instanceof Error ? error.message : String(error)
        await db.updateTable('host_connections').set({ last_reconcile_error: message, last_reconcile_error_at: clock.now() })
          .where('host_id', '=', connection.host_id).execute().catch(() => {})
        outcomes.push({
          username: connection.username, fetched: 0, created: 0, updated: 0, unchanged: 0, requests: 0,
          watermark: connection.updated_watermark ? new Date(connection.updated_watermark).toISOString() : null, error: { code, message },
        })
      }
    }
    return outcomes
  }
}
