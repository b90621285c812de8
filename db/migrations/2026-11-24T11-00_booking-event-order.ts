import { type Kysely, sql } from 'kysely'

/**
 * What a booking needs to apply webhooks in any order: the order key of the event last applied
 * (Cal.com's iCalSequence and a rank per trigger, beside last_event_at), the notes and no-show flag
 * admins read, and indexes for the reschedule back-link and newest-first admin pages.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('bookings')
    .addColumn('last_sequence', 'integer')
    .addColumn('last_rank', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notes', 'text')
    .addColumn('no_show', 'boolean')
    .execute()
  await db.schema.createIndex('bookings_rescheduled_from_idx').on('bookings').column('rescheduled_from_uid').execute()
  await db.schema.createIndex('webhook_deliveries_pending_idx').on('webhook_deliveries').columns(['booking_uid', 'outcome']).execute()
  await sql`drop index if exists webhook_deliveries_booking_uid_idx`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('webhook_deliveries_booking_uid_idx').on('webhook_deliveries').column('booking_uid').execute()
  await db.schema.dropIndex('webhook_deliveries_pending_idx').execute()
  await db.schema.dropIndex('bookings_rescheduled_from_idx').execute()
  await db.schema.alterTable('bookings').dropColumn('last_sequence').dropColumn('last_rank').dropColumn('notes').dropColumn('no_show').execute()
}
