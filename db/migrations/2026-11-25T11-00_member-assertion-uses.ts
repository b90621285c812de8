import type { Kysely } from 'kysely'

// A member assertion mints a Cal.com token once: its jti is kept until the assertion expires, so a
// captured assertion cannot be replayed to mint again (replicas share the table).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('member_assertion_uses')
    .addColumn('jti', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('member_assertion_uses_expires_at_idx').on('member_assertion_uses').column('expires_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('member_assertion_uses').execute()
}
