import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import { recordAudit } from '../audit.js'
import type { TokenCipher } from '../tokens/crypto.js'

type Ring = Pick<TokenCipher, 'encrypt' | 'decrypt' | 'blindIndex' | 'needsRotation'>

type Column<T extends keyof Database> = keyof Database[T] & string

/**
 * How one table holds sealed values: the column its rows are walked by (unique, ordered), the
 * sealed columns, and the blind indexes made from a sealed column's plain value.
 */
interface SealedTable<T extends keyof Database> {
  key: Column<T>
  columns: readonly Column<T>[]
  indexes?: Partial<Record<Column<T>, Column<T>>>
}

/** Every sealed column of the database: a table left out here would keep its old key for ever. */
const TABLES: { [T in keyof Database]?: SealedTable<T> } = {
  bookings: { key: 'id', columns: ['title', 'attendee_name', 'attendee_email', 'notes', 'last_payload'], indexes: { attendee_email: 'attendee_email_index' } },
  webhook_deliveries: { key: 'id', columns: ['raw_body'] },
  cal_users: { key: 'id', columns: ['email', 'name', 'cal_username', 'access_token_enc', 'refresh_token_enc'], indexes: { email: 'email_index' } },
  host_connections: { key: 'host_id', columns: ['credential_enc', 'refresh_token_enc', 'webhook_secret_enc'] },
  form_responses: { key: 'id', columns: ['answers_enc'] },
}
type Table = keyof typeof TABLES

export interface RotationReport { table: Table; rowsMoved: number }

/**
 * Re-seals every sealed value under the ring's current key, table by table in key order, `batch`
 * rows a transaction. Values from before the columns were sealed are sealed now, and get their
 * blind index. Restartable: a row already under the current key is left alone, so a run stopped
 * halfway and started again moves only what is left. Opens with any key of the ring, so reads
 * keep working during and after.
 */
export async function rotateKeys(db: Kysely<Database>, ring: Ring, options: { batch?: number; onProgress?: (r: RotationReport) => void } = {}): Promise<RotationReport[]> {
  const batch = options.batch ?? 500
  const reports: RotationReport[] = []
  for (const table of Object.keys(TABLES) as Table[]) {
    reports.push({ table, rowsMoved: await rotateTable(db, ring, table, batch, options.onProgress) })
  }
  await recordAudit(db, { actor: 'system', action: 'keys.rotated', detail: Object.fromEntries(reports.map((r) => [r.table, r.rowsMoved])) })
  return reports
}

async function rotateTable(db: Kysely<Database>, ring: Ring, table: Table, batch: number, onProgress?: (r: RotationReport) => void): Promise<number> {
  // Typed loosely: the table varies, and TABLES is checked against the schema above.
  const { key, columns, indexes = {} } = TABLES[table] as SealedTable<'bookings'>
  const indexOf = indexes as Record<string, string | undefined>
  let rowsMoved = 0
  for (let after: number | undefined; ;) {
    const moved = await db.transaction().execute(async (trx) => {
      let query = trx.selectFrom(table as 'bookings').select([key, ...columns] as never[])
      if (after !== undefined) query = query.where(key, '>', after)
      const rows = await query.orderBy(key).limit(batch).forUpdate().execute() as unknown as Record<string, string | number | null>[]
      let count = 0
      for (const row of rows) {
        const update: Record<string, string> = {}
        for (const column of columns) {
          const value = row[column] as string | null | undefined
          if (value === null || value === undefined || !ring.needsRotation(value)) continue
          const plain = isOpenable(value) ? ring.decrypt(value) : value
          update[column] = ring.encrypt(plain)
          const index = indexOf[column]
          if (index) update[index] = ring.blindIndex(plain)
        }
        if (Object.keys(update).length) {
          await trx.updateTable(table as 'bookings').set(update as never).where(key, '=', row[key] as number).execute()
          count++
        }
      }
      return { count, last: rows.at(-1)?.[key] as number | undefined }
    })
    rowsMoved += moved.count
    if (moved.last === undefined) break
    after = moved.last
    onProgress?.({ table, rowsMoved })
  }
  return rowsMoved
}

const isOpenable = (value: string) => /^v[12]\./.test(value)
