import { type Kysely, sql } from 'kysely'

/**
 * Managed users' email, name and Cal.com username (made from the email) sealed by the
 * application, like the bookings' (docs/privacy.md): the columns hold ciphertext, and a person is
 * found by `email_index`, the blind index of the email, which takes over the email's uniqueness.
 * The index needs the key, which SQL does not have: rows written before this migration keep their
 * plain values, and no index, until `npm run keys:rotate` seals them and fills it; lookups fall
 * back to the plain email meanwhile.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cal_users').addColumn('email_index', 'text').execute()
  // Rows still waiting for keys:rotate have none; Postgres lets any number of nulls through.
  await db.schema.createIndex('cal_users_email_index_key').on('cal_users').column('email_index').unique().execute()
  // Ciphertexts of one email differ, so uniqueness on the column itself would guard nothing.
  await sql`alter table cal_users drop constraint cal_users_email_key`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  // Sealed emails stay sealed (SQL cannot open them); each ciphertext is unique, so this holds.
  await sql`alter table cal_users add constraint cal_users_email_key unique (email)`.execute(db)
  await db.schema.dropIndex('cal_users_email_index_key').execute()
  await db.schema.alterTable('cal_users').dropColumn('email_index').execute()
}
