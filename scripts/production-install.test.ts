// `npm run test:production`: the production install, from a fresh clone of this checkout's HEAD,
// exactly as docs/deploying.md gives it:
//   npm ci && npm run build && npm prune --omit=dev && npm run serve
// then a real-mode configuration against the Cal.com sandbox on a port of its own. What is not
// committed is not in the clone, so commit before running it.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { startSandbox } from '../demo/sandbox/standalone.js'
import { freePort, repoRoot } from '../demo/start-server.js'
import { sign } from '../server/webhooks/signature.js'

const secrets = {
  CAL_CLIENT_ID: `church-${randomBytes(4).toString('hex')}`,
  CAL_CLIENT_SECRET: `calsecret-${randomBytes(16).toString('hex')}`,
  CAL_WEBHOOK_SECRET: `whsec-${randomBytes(16).toString('hex')}`,
  ADMIN_API_KEY: `admin-${randomBytes(16).toString('hex')}`,
  TOKEN_API_KEY: `token-${randomBytes(16).toString('hex')}`,
  MEMBER_ASSERTION_SECRET: `member-${randomBytes(24).toString('hex')}`,
  TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
}
const PUBLIC_URL = 'https://booking.gracechurch.example'

/** Runs one install step in the clone; its output is shown only when it fails. */
function step(t: Test, dir: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const run = spawnSync(command, args, { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const ok = run.status === 0
  if (!ok) t.comment(`${command} ${args.join(' ')}:\n${`${run.stdout}\n${run.stderr}`.slice(-4000)}`)
  t.equal(run.status, 0, `${command} ${args.join(' ')}`)
  return ok
}

t.test('a fresh clone installs, builds, drops its devDependencies and serves the product', async (t) => {
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).stdout.trim()
  if (spawnSync('git', ['status', '--porcelain'], { cwd: repoRoot, encoding: 'utf8' }).stdout.trim()) {
    t.comment(`uncommitted changes in ${repoRoot} are not part of the clone; testing ${head}`)
  }
  const work = mkdtempSync(join(tmpdir(), 'churchhub-production-'))
  t.teardown(() => rmSync(work, { recursive: true, force: true }))
  const clone = join(work, 'churchhub-booking')

  // A development shell's NODE_ENV=production would make npm ci skip the build tools.
  const { NODE_ENV: _, ...installEnv } = process.env
  if (!step(t, work, 'git', ['clone', '--quiet', '--no-hardlinks', repoRoot, clone])) return
  if (!step(t, clone, 'git', ['checkout', '--quiet', '--detach', head])) return
  if (!step(t, clone, 'npm', ['ci', '--no-audit', '--no-fund'], installEnv)) return
  if (!step(t, clone, 'npm', ['run', 'build'], installEnv)) return
  if (!step(t, clone, 'npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], installEnv)) return

  t.same(['tsx', 'typescript', 'rollup', 'tap', 'eslint'].filter((dev) => existsSync(join(clone, 'node_modules', dev))), [],
    'no TypeScript, tsx, Rollup or test tool is left to run with')
  t.same(['dist/server/main.js', 'dist/db/migrations/index.js', 'dist/churchhub-booking.js'].filter((file) => !existsSync(join(clone, file))), [],
    'the compiled server, its migrations and the widget bundle are there')
  t.equal(existsSync(join(clone, 'dist', 'demo')), false, 'nothing of the demo is compiled')

  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const sandbox = await startSandbox({
    clientId: secrets.CAL_CLIENT_ID, clientSecret: secrets.CAL_CLIENT_SECRET, webhookSecret: secrets.CAL_WEBHOOK_SECRET,
  })
  t.teardown(() => sandbox.close())

  // Only what production would set: nothing of this shell (DATABASE_URL, a sandbox variable) leaks in.
  const env = {
    PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production',
    PORT: String(port), HOST: '127.0.0.1', DATA_DIR: join(work, 'data'), LOG_LEVEL: 'info', PUBLIC_URL,
    CAL_API_URL: `${sandbox.url}/v2`, CAL_ORIGIN: sandbox.url, CAL_EMBED_JS_URL: `${sandbox.url}/embed/embed.js`,
    ...secrets,
  }
  const server = serve(clone, env)
  t.teardown(() => server.stop())
  t.ok(await server.healthy(base), 'npm run serve answers /health')
  if (!server.running()) { t.comment(server.output()); return }

  const health = await fetch(`${base}/health`)
  t.equal(health.status, 200, '/health 200')
  t.same(await health.json(), { status: 'ok', db: 'ok' })
  t.equal(health.headers.get('x-content-type-options'), 'nosniff')
  t.equal(health.headers.get('strict-transport-security'), 'max-age=63072000; includeSubDomains', 'HSTS: PUBLIC_URL is https')

  const uid = `production-${randomBytes(6).toString('hex')}`
  const body = JSON.stringify({
    triggerEvent: 'BOOKING_CREATED', createdAt: new Date().toISOString(),
    payload: { uid, type: '30min', title: 'Visit', startTime: '2030-01-08T15:00:00Z', endTime: '2030-01-08T15:30:00Z', status: 'ACCEPTED', attendees: [{ name: 'Ruth Reader', email: 'ruth@example.org' }] },
  })
  const webhook = (signature: string) => fetch(`${base}/webhooks/cal`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-cal-signature-256': signature }, body })
  t.equal((await webhook(sign(`not-${secrets.CAL_WEBHOOK_SECRET}`, body))).status, 401, 'a forged webhook is refused')
  t.equal((await webhook(sign(secrets.CAL_WEBHOOK_SECRET, body))).status, 200, 'a webhook signed with CAL_WEBHOOK_SECRET is accepted')
  const admin = { authorization: `Bearer ${secrets.ADMIN_API_KEY}` }
  const bookings = await (await fetch(`${base}/admin/bookings`, { headers: admin })).json() as { bookings: { uid: string }[] }
  t.same(bookings.bookings.map((b) => b.uid), [uid], 'and its booking is stored')

  const minted = await fetch(`${base}/tokens/cal/managed-user`, {
    method: 'POST', headers: { authorization: `Bearer ${secrets.TOKEN_API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ruth@example.org', name: 'Ruth Reader' }),
  })
  t.equal(minted.status, 200, 'a token minted through the configured Cal.com')
  t.equal(sandbox.state.users.list().length, 1, 'one managed user created there')

  const widget = await fetch(`${base}/widget/churchhub-booking.js`)
  t.equal(widget.status, 200, 'the widget bundle is served')
  t.equal(widget.headers.get('content-type'), 'application/javascript; charset=utf-8')

  for (const path of ['/', '/demo/member', '/demo/admin', '/sandbox/cal/zack', '/sandbox/cal/v2/me', '/sandbox/cal/embed/embed.js']) {
    const res = await fetch(`${base}${path}`)
    t.equal(res.status, 404, `${path} 404`)
    t.same(await res.json(), { error: { code: 'not_found', message: `No route for GET ${path}.` } })
  }

  await server.stop()
  t.match(server.output(), 'shutting down: finishing in-flight requests', 'SIGTERM shuts it down gracefully')
  const leaked = Object.entries(secrets).filter(([, value]) => server.output().includes(value)).map(([name]) => name)
  t.same(leaked, [], 'no secret in its output')

  // What the Dockerfile's run stage copies, and nothing else, is enough to serve (its CMD).
  const image = join(work, 'image')
  for (const part of ['package.json', 'package-lock.json', 'node_modules', 'dist']) cpSync(join(clone, part), join(image, part), { recursive: true })
  const alone = serve(image, env, ['node', 'dist/server/main.js'])
  t.teardown(() => alone.stop())
  t.ok(await alone.healthy(base), 'package.json, the pruned node_modules and dist/ alone answer /health')
  t.equal((await fetch(`${base}/widget/churchhub-booking.js`)).status, 200, 'and serve the widget bundle')
  t.equal((await fetch(`${base}/demo/member`)).status, 404)
  const dockerfile = readFileSync(join(clone, 'Dockerfile'), 'utf8')
  const healthcheck = JSON.parse(/^HEALTHCHECK .*\\\n\s*CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[]
  const probe = () => spawnSync(healthcheck[0]!, healthcheck.slice(1), { env, timeout: 30_000 }).status
  t.equal(probe(), 0, 'the Dockerfile\'s HEALTHCHECK command passes while it serves')
  await alone.stop()
  t.equal(probe(), 1, '…and fails once it has stopped')
})

/** `npm run serve` (or another command) in its own process group, so stopping it stops npm and node both. */
function serve(dir: string, env: NodeJS.ProcessEnv, [command, ...args]: string[] = ['npm', 'run', 'serve']) {
  const child: ChildProcess = spawn(command!, args, { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (chunk) => { output += chunk })
  child.stderr!.on('data', (chunk) => { output += chunk })
  // 'close': npm and the server it started have both exited and let go of the output.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))
  let gone = false
  void exited.then(() => { gone = true })
  const signal = (name: NodeJS.Signals) => { try { process.kill(-child.pid!, name) } catch {} }
  process.once('exit', () => signal('SIGKILL'))
  return {
    output: () => output,
    running: () => !gone,
    async healthy(base: string) {
      const deadline = Date.now() + 180_000
      while (!gone && Date.now() < deadline) {
        if (await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false)) return true
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
      return false
    },
    async stop() {
      if (gone) return
      signal('SIGTERM')
      const forced = setTimeout(() => signal('SIGKILL'), 15_000)
      await exited
      clearTimeout(forced)
    },
  }
}
