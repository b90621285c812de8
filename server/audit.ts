import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/schema.js'

export type Executor = Kysely<Database> | Transaction<Database>

export interface AuditEntry {
  /** Who acted: `admin`, `member:<sub>`, `cal.com`, `system`, or `ip:<address>` for an unidentified caller. */
  actor: string
  /** Dotted verb, e.g. `token.minted`, `webhook.rejected`, `host.registered`. */
  action: string
  /** What it was about, e.g. `cal_user:12`, `booking:<uid>`, `host:zack`. */
  subject?: string | null
  /** Facts worth keeping. Never a token, secret, or attendee email. */
  detail?: Record<string, unknown>
}

/** Appends one row to the audit log, inside the caller's transaction when given one. */
export async function recordAudit(executor: Executor, entry: AuditEntry): Promise<void> {
  await executor
    .insertInto('audit_log')
    .values({ actor: entry.actor, action: entry.action, subject: entry.subject ?? null, detail: JSON.stringify(entry.detail ?? {}) })
    .execute()
}
