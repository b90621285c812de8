import { migrateToLatest } from '../db/migrate.js'
import { openDatabase } from '../db/open-database.js'
import { buildApp } from './app.js'
import { seedSandboxHosts } from './hosts/seed-sandbox-hosts.js'
import { ConfigError, loadConfig, SANDBOX_DEFAULTS } from './config.js'

let config
try {
  config = loadConfig()
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  for (const problem of error.problems) console.error(`Configuration error: ${problem}`)
  process.exit(1)
}

const { db, kind } = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
try {
  await migrateToLatest(db)
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  await db.destroy()
  process.exit(1)
}

// The sandbox's hosts (zack, maria) are registered so the widget finds them from the first start.
if (config.sandbox) await seedSandboxHosts(db, new Date())
const app = await buildApp({ config, db })
// Closing the app closes the database too (onClose), after in-flight requests have finished.
app.addHook('onClose', async () => { await db.destroy() })

let closing = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down: finishing in-flight requests')
    const force = setTimeout(() => process.exit(1), 10_000)
    force.unref()
    app.close().then(() => process.exit(0), () => process.exit(1))
  })
}

await app.listen({ port: config.port, host: config.host })
const base = `http://localhost:${app.server.address() && typeof app.server.address() === 'object' ? (app.server.address() as { port: number }).port : config.port}`
console.log([
  '',
  `ChurchHub Booking is running at ${base}`,
  `  database: ${kind === 'postgres' ? 'Postgres (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`}`,
  `  Cal.com:  ${config.sandbox ? `offline sandbox at ${config.cal.origin}` : config.cal.apiUrl}`,
  '',
  'Open:',
  `  ${base}/                    church home page, widget inline`,
  `  ${base}/demo/popup          popup mode`,
  `  ${base}/demo/floating       floating button`,
  `  ${base}/demo/squarespace    Squarespace code block, strict CSP`,
  `  ${base}/demo/wordpress      WordPress Custom HTML block, strict CSP`,
  `  ${base}/demo/member         signed-in member, form pre-filled`,
  `  ${base}/demo/admin          bookings and audit log as they arrive`,
  config.sandbox
    ? `Mode: sandbox (no Cal.com account needed). Development values: admin key ${config.adminApiKey === SANDBOX_DEFAULTS.ADMIN_API_KEY ? `"${config.adminApiKey}"` : 'from ADMIN_API_KEY'}, the rest in the README.`
    : 'Mode: real Cal.com. Log in to /demo/admin with your ADMIN_API_KEY.',
  '',
].join('\n'))
