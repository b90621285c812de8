import { type Kysely, sql } from 'kysely'

/**
 * Questionnaires: each change to a form is a new row (a version), so an answer always points at
 * the questions it answered. Answers are one sealed blob per response; the link to a booking is
 * made once, by the webhook that carries the response id in its metadata.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('forms')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('archived_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('forms_slug_version_key', ['slug', 'version'])
    .execute()

  await db.schema
    .createTable('form_responses')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('response_id', 'text', (c) => c.notNull().unique())
    .addColumn('form_id', 'integer', (c) => c.notNull().references('forms.id'))
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('answers_enc', 'text', (c) => c.notNull())
    .addColumn('booking_uid', 'text', (c) => c.unique())
    .addColumn('linked_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()
  // The purge looks only at responses still waiting for their booking.
  await db.schema.createIndex('form_responses_unlinked_idx').on('form_responses').column('created_at')
    .where(sql.ref('booking_uid'), 'is', null).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('form_responses').execute()
  await db.schema.dropTable('forms').execute()
}
