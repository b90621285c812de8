import type { Kysely } from 'kysely'

// Refused anonymous calls (forged webhooks, bad keys, bad assertions) are counted, not logged one by
// one: one row per address, route, reason and minute, so a flood cannot grow the audit log.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_refusals')
    .addColumn('minute', 'timestamptz', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_refusals_pkey', ['minute', 'address', 'route', 'reason'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_refusals').execute()
}
