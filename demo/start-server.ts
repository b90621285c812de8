import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The checkout this file lives in. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url))

export interface RunningServer {
  /** `http://localhost:<port>`: where the demo pages are opened (the sandbox answers on 127.0.0.1). */
  url: string
  port: number
  /** Everything the process printed so far. */
  output: () => string
  close: () => Promise<void>
}

/** A port nobody listens on right now. The server needs it up front: the sandbox's URLs contain it. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

/** `npm start` builds the widget first; so does this, when the bundle is missing or older than its sources. */
export function ensureWidgetBuilt(): void {
  const bundle = join(repoRoot, 'dist', 'churchhub-booking.js')
  const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0
  const sources = readdirSync(join(repoRoot, 'widget', 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => statSync(join(entry.parentPath, entry.name)).mtimeMs)
  if (built && sources.every((mtime) => mtime <= built)) return
  execFileSync('npm', ['run', 'build:widget'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] })
}

/**
 * Starts `demo/main.ts` exactly as `npm start` does, in a child process with the given
 * environment on top of this one's, and resolves once it says where it listens.
 */
export async function startServer(env: Record<string, string | undefined>, options: { timeoutMs?: number } = {}): Promise<RunningServer> {
  ensureWidgetBuilt()
  const port = Number(env.PORT) || await freePort()
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'demo/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk) => { output += chunk })
  child.stderr!.on('data', (chunk) => { output += chunk })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  // A caller that dies without closing must not leave a server holding the port.
  const orphanGuard = () => child.kill('SIGKILL')
  process.once('exit', orphanGuard)
  void exited.then(() => process.off('exit', orphanGuard))

  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    const forced = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(forced)
  }

  const started = await Promise.race([
    new Promise<boolean>((resolve) => {
      const check = () => { if (/is running at http/.test(output)) { child.stdout!.off('data', check); resolve(true) } }
      child.stdout!.on('data', check)
      check()
    }),
    exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), options.timeoutMs ?? 60_000).unref()),
  ])
  if (!started) {
    await close()
    throw new Error(`The server did not start:\n${output}`)
  }
  return { url: `http://localhost:${port}`, port, output: () => output, close }
}

/** Polls until `check` finds what it wants: what a running server does after answering (a webhook) arrives later. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const found = await check()
    if (found !== undefined) return found
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
