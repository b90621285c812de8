import { type Kysely, sql } from 'kysely'

// A host's own Cal.com account, connected by API key or OAuth: the credential and the webhook
// secret are ciphertexts (TokenCipher), and the reconciliation's watermarks and last outcome
// live beside them. `job_locks` lets one replica at a time run a scheduled job.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('host_connections')
    .addColumn('host_id', 'integer', (c) => c.primaryKey().references('hosts.id').onDelete('cascade'))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('credential_enc', 'text', (c) => c.notNull())
    .addColumn('refresh_token_enc', 'text')
    .addColumn('access_token_expires_at', 'timestamptz')
    .addColumn('cal_user_id', 'integer', (c) => c.notNull())
    .addColumn('cal_username', 'text', (c) => c.notNull())
    .addColumn('webhook_id', 'text')
    .addColumn('webhook_secret_enc', 'text', (c) => c.notNull())
    .addColumn('updated_watermark', 'timestamptz')
    .addColumn('created_watermark', 'timestamptz')
    .addColumn('last_reconcile_at', 'timestamptz')
    .addColumn('last_reconcile', 'jsonb')
    .addColumn('last_reconcile_error', 'text')
    .addColumn('last_reconcile_error_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('oauth_states')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('host_id', 'integer', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('job_locks')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('last_started_at', 'timestamptz')
    .addColumn('last_finished_at', 'timestamptz')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_locks').execute()
  await db.schema.dropTable('oauth_states').execute()
  await db.schema.dropTable('host_connections').execute()
}
