import { type Kysely, sql } from 'kysely'

/**
 * Personal data sealed by the application (docs/privacy.md). Columns that hold ciphertext become
 * text; `last_payload` and `raw_body` may be emptied (erasure, retention, the raw-body purge), the
 * raw body's digest stays. Rows written before this migration keep their plain text until
 * `npm run keys:rotate` seals them and fills the blind index; reads accept both meanwhile.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table bookings alter column last_payload drop not null`.execute(db)
  await sql`alter table bookings alter column last_payload type text using last_payload::text`.execute(db)
  await db.schema.alterTable('bookings').addColumn('attendee_email_index', 'text').execute()
  await db.schema.alterTable('bookings').addColumn('erased_at', 'timestamptz').execute()
  await db.schema.createIndex('bookings_attendee_email_index_idx').on('bookings').column('attendee_email_index')
    .where(sql.ref('attendee_email_index'), 'is not', null).execute()
  // Retention looks for ended bookings still holding personal fields.
  await db.schema.createIndex('bookings_retention_idx').on('bookings').column('end_time')
    .where(sql.ref('erased_at'), 'is', null).execute()

  await sql`alter table webhook_deliveries alter column raw_body drop not null`.execute(db)
  await db.schema.alterTable('webhook_deliveries').addColumn('raw_digest', 'text').execute()
  await sql`update webhook_deliveries set raw_digest = encode(sha256(convert_to(raw_body, 'UTF8')), 'hex')`.execute(db)
  await db.schema.createIndex('webhook_deliveries_raw_kept_idx').on('webhook_deliveries').column('received_at')
    .where(sql.ref('raw_body'), 'is not', null).execute()

  // Bookings whose person asked to be erased: what arrives for them later stores no personal field.
  await db.schema.createTable('erased_bookings')
    .addColumn('uid', 'text', (c) => c.primaryKey())
    .addColumn('erased_at', 'timestamptz', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('erased_bookings').execute()
  await db.schema.dropIndex('webhook_deliveries_raw_kept_idx').execute()
  await db.schema.alterTable('webhook_deliveries').dropColumn('raw_digest').execute()
  await sql`update webhook_deliveries set raw_body = '' where raw_body is null`.execute(db)
  await sql`alter table webhook_deliveries alter column raw_body set not null`.execute(db)
  await db.schema.dropIndex('bookings_retention_idx').execute()
  await db.schema.dropIndex('bookings_attendee_email_index_idx').execute()
  await db.schema.alterTable('bookings').dropColumn('erased_at').execute()
  await db.schema.alterTable('bookings').dropColumn('attendee_email_index').execute()
  // Sealed payloads are not JSON; they come back as JSON strings.
  await sql`alter table bookings alter column last_payload type jsonb using coalesce(case when last_payload like '{%' then last_payload::jsonb else to_jsonb(last_payload) end, '{}'::jsonb)`.execute(db)
  await sql`alter table bookings alter column last_payload set not null`.execute(db)
}
