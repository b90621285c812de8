import type { FormRow } from '../../db/schema.js'
import type { Executor } from '../audit.js'
import { FormDefinition } from './form-schema.js'

export interface StoredForm { id: number; slug: string; version: number; definition: FormDefinition; archivedAt: Date | null; createdAt: Date }

const toForm = (row: FormRow): StoredForm => ({
  id: row.id, slug: row.slug, version: row.version, definition: FormDefinition.parse(row.definition),
  archivedAt: row.archived_at, createdAt: row.created_at,
})

/** Stores the definition as the slug's next version (version 1 for a new slug). An archived slug comes back to life. */
export async function saveForm(db: Executor, definition: FormDefinition): Promise<StoredForm> {
  const last = await db.selectFrom('forms').select('version').where('slug', '=', definition.slug).orderBy('version', 'desc').limit(1).executeTakeFirst()
  if (last) await db.updateTable('forms').set({ archived_at: null }).where('slug', '=', definition.slug).execute()
  const row = await db.insertInto('forms')
    .values({ slug: definition.slug, version: (last?.version ?? 0) + 1, definition: JSON.stringify(definition) })
    .returningAll().executeTakeFirstOrThrow()
  return toForm(row)
}

/** The newest version of a slug (archived or not), or one given version. */
export async function findForm(db: Executor, slug: string, version?: number): Promise<StoredForm | undefined> {
  let query = db.selectFrom('forms').selectAll().where('slug', '=', slug)
  query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version)
  const row = await query.executeTakeFirst()
  return row && toForm(row)
}

export async function formById(db: Executor, id: number): Promise<StoredForm | undefined> {
  const row = await db.selectFrom('forms').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toForm(row)
}

/** Every slug's newest version, by slug. */
export async function listForms(db: Executor): Promise<StoredForm[]> {
  const rows = await db.selectFrom('forms as f').selectAll('f')
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('forms as n').select('n.id').whereRef('n.slug', '=', 'f.slug').whereRef('n.version', '>', 'f.version'))))
    .orderBy('f.slug').execute()
  return rows.map(toForm)
}

export async function formVersions(db: Executor, slug: string): Promise<{ version: number; createdAt: Date }[]> {
  const rows = await db.selectFrom('forms').select(['version', 'created_at']).where('slug', '=', slug).orderBy('version').execute()
  return rows.map((r) => ({ version: r.version, createdAt: r.created_at }))
}

/** Archives every version: the form stops taking answers; answers already given keep their version. */
export async function archiveForm(db: Executor, slug: string, at: Date): Promise<boolean> {
  const result = await db.updateTable('forms').set({ archived_at: at }).where('slug', '=', slug).where('archived_at', 'is', null).executeTakeFirst()
  return result.numUpdatedRows > 0n
}
