// The product's entry, `npm run serve` (node dist/server/main.js): the API, webhooks and the widget
// bundle against a real Cal.com. It never mounts the sandbox or the demo pages: those are the
// demo's composition (demo/main.ts, `npm start`).
import { buildApp } from './app.js'
import { appOrExit, configOrExit, serve } from './bootstrap.js'
import { loadConfig } from './config.js'

const config = configOrExit(() => loadConfig())
const app = await appOrExit(() => buildApp({ config, startJobs: true }))
const { port } = await serve(app, config)
app.log.info({ port, host: config.host, publicUrl: config.publicUrl, database: app.dbKind, calApi: config.cal.apiUrl }, 'ChurchHub Booking is serving')
