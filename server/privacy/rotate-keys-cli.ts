import { openDatabase } from '../../db/open-database.js'
import { loadConfig } from '../config.js'
import { resolveKeyRing } from '../tokens/crypto.js'
import { rotateKeys } from './rotate-keys.js'

/**
 * `npm run keys:rotate`: re-seals every row under the first key of ENCRYPTION_KEYS. Reads the
 * same environment as the server; KEYS_ROTATE_BATCH rows per transaction (default 500). Safe to
 * stop and run again.
 */
const config = loadConfig(process.env)
const batch = Number(process.env.KEYS_ROTATE_BATCH || 500)
if (!Number.isInteger(batch) || batch < 1) {
  console.error('KEYS_ROTATE_BATCH: expected a whole number of rows, e.g. 500')
  process.exit(1)
}
const { db } = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
const ring = resolveKeyRing(config)
try {
  console.log(`Re-sealing under key "${ring.currentKid}", ${batch} rows a batch`)
  const reports = await rotateKeys(db, ring, { batch, onProgress: (r) => console.log(`  ${r.table}: ${r.rowsMoved} rows moved so far`) })
  for (const r of reports) console.log(`${r.table}: ${r.rowsMoved} rows moved`)
  console.log(`Done: ${reports.reduce((n, r) => n + r.rowsMoved, 0)} rows moved; every row is under "${ring.currentKid}".`)
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
} finally {
  await db.destroy()
}
