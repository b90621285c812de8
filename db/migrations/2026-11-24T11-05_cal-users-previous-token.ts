import type { Kysely } from 'kysely'

// Cal.com Atoms call the refresh URL with the token that just expired. When another request has
// already refreshed ahead of expiry, that token is the previous one: keep its fingerprint too.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cal_users').addColumn('previous_access_token_hash', 'text').execute()
  await db.schema.createIndex('cal_users_previous_access_token_hash_idx').on('cal_users').column('previous_access_token_hash').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cal_users').dropColumn('previous_access_token_hash').execute()
}
