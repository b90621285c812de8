import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import { recordAudit } from '../audit.js'
import type { TokenCipher } from '../tokens/crypto.js'

type Ring = Pick<TokenCipher, 'encrypt' | 'decrypt' | 'blindIndex' | 'needsRotation'>

/** The sealed columns of each table, and (bookings) the blind index made from one of them. */
const TABLES = {
  bookings: ['title', 'attendee_name', 'attendee_email', 'notes', 'last_payload'],
  webhook_deliveries: ['raw_body'],
  cal_users: ['access_token_enc', 'refresh_token_enc'],
} as const
type Table = keyof typeof TABLES

export interface RotationReport { table: Table; rowsMoved: number }

/**
 * Re-seals every sealed value under the ring's current key, table by table in id order, `batch`
 * rows a transaction. Values from before the columns were sealed are sealed now, and bookings
 * get their blind index. Restartable: a row already under the current key is left alone, so a
 * run stopped halfway and started again moves only what is left. Opens with any key of the
 * ring, so reads keep working during and after.
 */
export async function rotateKeys(db: Kysely<Database>, ring: Ring, options: { batch?: number; onProgress?: (r: RotationReport) => void } = {}): Promise<RotationReport[]> {
  const batch = options.batch ?? 500
  const reports: RotationReport[] = []
  for (const table of Object.keys(TABLES) as Table[]) {
    const columns = TABLES[table]
    let rowsMoved = 0
    for (let after = 0; ;) {
      const moved = await db.transaction().execute(async (trx) => {
        const rows = await trx.selectFrom(table).select(['id', ...columns] as never[]).where('id', '>', after)
          .orderBy('id').limit(batch).forUpdate().execute() as unknown as ({ id: number } & Record<string, string | null>)[]
        let count = 0
        for (const row of rows) {
          const update: Record<string, string | null> = {}
          for (const column of columns) {
            const value = row[column]
            if (value === null || value === undefined || !ring.needsRotation(value)) continue
            const plain = isOpenable(value) ? ring.decrypt(value) : value
            update[column] = ring.encrypt(plain)
            if (table === 'bookings' && column === 'attendee_email') update.attendee_email_index = ring.blindIndex(plain)
          }
          if (Object.keys(update).length) {
            await trx.updateTable(table).set(update as never).where('id', '=', row.id).execute()
            count++
          }
        }
        return { count, last: rows.at(-1)?.id }
      })
      rowsMoved += moved.count
      if (moved.last === undefined) break
      after = moved.last
      options.onProgress?.({ table, rowsMoved })
    }
    reports.push({ table, rowsMoved })
  }
  await recordAudit(db, { actor: 'system', action: 'keys.rotated', detail: Object.fromEntries(reports.map((r) => [r.table, r.rowsMoved])) })
  return reports
}

const isOpenable = (value: string) => /^v[12]\./.test(value)
