import { migrateToLatest } from './migrate.js'
import { openDatabase } from './open-database.js'

const { db, kind } = openDatabase({
  databaseUrl: process.env.DATABASE_URL || undefined,
  dataDir: process.env.DATA_DIR || './.data',
})
try {
  const applied = await migrateToLatest(db)
  console.log(`Migrated ${kind}: ${applied.length ? applied.join(', ') : 'already up to date'}`)
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
} finally {
  await db.destroy()
}
