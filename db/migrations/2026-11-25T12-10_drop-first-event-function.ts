import { type Kysely, sql } from 'kysely'
import * as firstEvent from './2026-11-24T11-40_webhook-first-event.js'

/**
 * The first event of a booking is written by TypeScript now (server/webhooks/first-event.ts):
 * the database cannot seal personal fields, so the PL/pgSQL function goes, leaving the booking's
 * first write in one language.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await firstEvent.down(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await firstEvent.up(db)
  // The settings migration 2026-11-24T14-00 gave it.
  await sql`alter function webhook_record_first_event reset plan_cache_mode`.execute(db)
  await sql`alter function webhook_record_first_event set enable_seqscan = off`.execute(db)
}
