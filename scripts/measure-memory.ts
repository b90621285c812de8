// Resident memory of the compiled product (`npm run build` first), as docs/deploying.md reports it:
//   npx tsx scripts/measure-memory.ts                                  # embedded PGlite, a fresh DATA_DIR
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx scripts/measure-memory.ts
//                                                                      # Postgres: a scratch database there
// Starts `node dist/server/main.js` in a real-mode configuration against the Cal.com sandbox (in
// this process) twice: the first start creates the database (its peak RSS is read from /proc),
// the second starts on it as every later start does: RSS idle, then after a load of signed webhook
// deliveries, host lookups, admin reads and token mints, and again once idle. MEASURE_SECONDS sets
// the load's length (default 30).
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import pg from 'pg'
import { startSandbox } from '../demo/sandbox/standalone.js'
import { freePort, repoRoot } from '../demo/start-server.js'

const SECONDS = Number(process.env.MEASURE_SECONDS ?? 30)
const SETUP_REQUEST = fileURLToPath(new URL('../bench/support/signed-bookings.cjs', import.meta.url))
const secrets = {
  CAL_CLIENT_ID: 'measure-client',
  CAL_CLIENT_SECRET: `calsecret-${randomBytes(16).toString('hex')}`,
  CAL_WEBHOOK_SECRET: `whsec-${randomBytes(16).toString('hex')}`,
  ADMIN_API_KEY: `admin-${randomBytes(16).toString('hex')}`,
  TOKEN_API_KEY: `token-${randomBytes(16).toString('hex')}`,
  TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`
function memory(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024
  return { rss: kb('VmRSS'), peak: kb('VmHWM') }
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const cleanups: (() => unknown)[] = []
try {
  const dataDir = mkdtempSync(join(tmpdir(), 'churchhub-memory-'))
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
  let databaseUrl: string | undefined
  if (process.env.DATABASE_URL) {
    const name = `memory_${randomBytes(5).toString('hex')}`
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await admin.connect()
    await admin.query(`create database ${name}`)
    await admin.end()
    const url = new URL(process.env.DATABASE_URL)
    url.pathname = `/${name}`
    databaseUrl = url.toString()
    cleanups.push(async () => {
      const cleanup = new pg.Client({ connectionString: process.env.DATABASE_URL })
      await cleanup.connect()
      await cleanup.query(`drop database if exists ${name} with (force)`)
      await cleanup.end()
    })
  }

  const sandbox = await startSandbox({ clientId: secrets.CAL_CLIENT_ID, clientSecret: secrets.CAL_CLIENT_SECRET, webhookSecret: secrets.CAL_WEBHOOK_SECRET })
  cleanups.push(() => sandbox.close())
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const { DATABASE_URL: _, ...inherited } = process.env
  const start = async () => {
    const child: ChildProcess = spawn(process.execPath, ['dist/server/main.js'], {
      cwd: repoRoot,
      env: {
        ...inherited, ...secrets, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn',
        PUBLIC_URL: 'https://booking.gracechurch.example', DATA_DIR: dataDir, CAL_API_URL: `${sandbox.url}/v2`,
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    const exited = new Promise((resolve) => child.once('exit', resolve))
    const stop = async () => { child.kill('SIGTERM'); await exited }
    cleanups.unshift(stop)
    while (!(await fetch(`${base}/health`).then((r) => r.ok, () => false))) {
      if (child.exitCode !== null) throw new Error('the server exited before answering /health')
      await sleep(200)
    }
    await sleep(5_000)
    return { pid: child.pid!, stop }
  }

  const first = await start()
  const firstStart = memory(first.pid)
  await first.stop()
  const child = await start()
  const admin = { authorization: `Bearer ${secrets.ADMIN_API_KEY}`, 'content-type': 'application/json' }
  await fetch(`${base}/admin/hosts`, { method: 'POST', headers: admin, body: JSON.stringify({ username: 'zack', name: 'Pastor Zack Miller', calLink: 'zack' }) })

  const idle = memory(child.pid)

  // The load: deliveries (the write path), lookups and reads (the read paths), and token mints
  // through Cal.com, all at once, as a busy Sunday afternoon would never quite manage.
  const mints = (async () => {
    for (let i = 0; i < 200; i++) {
      await fetch(`${base}/tokens/cal/managed-user`, { method: 'POST', headers: { ...admin, authorization: `Bearer ${secrets.TOKEN_API_KEY}` }, body: JSON.stringify({ email: `member${i}@example.org`, name: `Member ${i}` }) })
    }
  })()
  const [webhooks, reads] = await Promise.all([
    autocannon({
      url: `${base}/webhooks/cal`, connections: 10, duration: SECONDS, workers: 1,
      requests: [{ method: 'POST', bench: { secret: secrets.CAL_WEBHOOK_SECRET, prefix: 'm' }, setupRequest: SETUP_REQUEST } as unknown as autocannon.Request],
    }),
    autocannon({
      url: base, connections: 10, duration: SECONDS,
      requests: [{ method: 'GET', path: '/v1/hosts/zack' }, { method: 'GET', path: '/admin/bookings?limit=50', headers: admin }, { method: 'GET', path: '/health' }],
    }),
    mints,
  ])
  const loaded = memory(child.pid)
  await sleep(10_000)
  const settled = memory(child.pid)

  console.log([
    `database: ${databaseUrl ? 'Postgres' : 'embedded PGlite'}; load: ${SECONDS} s`,
    `  first start (creates the database): RSS ${mb(firstStart.rss)} idle, peak ${mb(firstStart.peak)}`,
    `  a later start, idle:   RSS ${mb(idle.rss)} (peak ${mb(idle.peak)})`,
    `  right after the load:  RSS ${mb(loaded.rss)} (peak ${mb(loaded.peak)})`,
    `  10 s later:            RSS ${mb(settled.rss)}`,
    `  load: ${webhooks.requests.total} webhook deliveries (${webhooks.non2xx} non-2xx), ${reads.requests.total} reads (${reads.non2xx} non-2xx), 200 token mints`,
  ].join('\n'))
} finally {
  for (const cleanup of cleanups) await cleanup()
}
