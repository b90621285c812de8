// `npm start`: the demo composition (the product + the offline Cal.com sandbox + the demo church
// pages), run from sources with tsx. The product alone is server/main.ts (`npm run serve`).
import { appOrExit, configOrExit, serve } from '../server/bootstrap.js'
import { SANDBOX_DEFAULTS } from '../server/config.js'
import { buildDemoApp } from './app.js'
import { connectSandboxHosts } from './connect-sandbox-hosts.js'
import { sandboxApiKey } from './sandbox/accounts.js'
import { loadDemoConfig } from './config.js'

const config = configOrExit(() => loadDemoConfig())
const app = await appOrExit(() => buildDemoApp({ config, startJobs: true }))
const { port } = await serve(app, config)
if (config.sandbox) await connectSandboxHosts(app)

const base = `http://localhost:${port}`
console.log([
  '',
  `ChurchHub Booking is running at ${base}`,
  `  database: ${app.dbKind === 'postgres' ? 'Postgres (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`}`,
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
    ? `Mode: sandbox (no Cal.com account needed). Development values: admin key ${config.adminApiKey === SANDBOX_DEFAULTS.ADMIN_API_KEY ? `"${config.adminApiKey}"` : 'from ADMIN_API_KEY'}, ` +
      `Cal.com API keys "${sandboxApiKey('zack')}" and "${sandboxApiKey('maria')}" (zack and maria are connected with them), the rest in docs/sandbox.md.`
    : 'Mode: real Cal.com. Log in to /demo/admin with your ADMIN_API_KEY.',
  '',
].join('\n'))
