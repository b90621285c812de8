import t from 'tap'
import { sql } from 'kysely'
import { testDatabase } from '../testing.js'

t.test('the audit log takes new rows and refuses UPDATE, DELETE and TRUNCATE', async (t) => {
  const { db } = await testDatabase(t)
  await db.insertInto('audit_log').values({ actor: 'admin', action: 'host.registered', subject: 'host:zack', detail: JSON.stringify({ name: 'Zack' }) }).execute()
  await t.rejects(db.updateTable('audit_log').set({ action: 'changed' }).execute(), /append-only: UPDATE/)
  await t.rejects(db.deleteFrom('audit_log').execute(), /append-only: DELETE/)
  await t.rejects(sql`truncate audit_log`.execute(db), /append-only: TRUNCATE/)
  const rows = await db.selectFrom('audit_log').selectAll().execute()
  t.equal(rows.length, 1)
  t.equal(rows[0]?.action, 'host.registered')
  t.same(rows[0]?.detail, { name: 'Zack' })
})
