import type { Kysely } from 'kysely'

// The refresh URL accepts the replaced token only within a day of its own expiry: keep that expiry.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cal_users').addColumn('previous_access_token_expires_at', 'timestamptz').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cal_users').dropColumn('previous_access_token_expires_at').execute()
}
