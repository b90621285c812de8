import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { OutputLog } from './output-log.js'
import { freePort } from '../../demo/start-server.js'

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

/** Variables the parent's environment must not leak into a server under test. */
const CONTROLLED = ['PORT', 'HOST', 'DATABASE_URL', 'DATA_DIR', 'CAL_API_URL', 'CAL_CLIENT_ID', 'CAL_CLIENT_SECRET',
  'CAL_WEBHOOK_SECRET', 'CAL_ORIGIN', 'CAL_EMBED_JS_URL', 'ALLOWED_ORIGINS', 'ADMIN_API_KEY',
  'MEMBER_ASSERTION_SECRET', 'TOKEN_ENCRYPTION_KEY', 'LOG_LEVEL', 'PUBLIC_URL', 'SANDBOX_ALLOW_PUBLIC_HOST']

export interface ServerProcess {
  name: string
  url: string
  pid: number
  child: ChildProcess
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  exited: Promise<number | string | null>
  /** Resident memory of the server process in bytes (Linux /proc). */
  rss(): number
  /** SIGTERM and wait; the server finishes in-flight requests first. */
  stop(): Promise<void>
}

/**
 * Starts the product, `server/main.ts`, from its sources (what `npm run serve` runs compiled), as
 * one node process (no tsx wrapper), so its pid is the server's own: SIGKILL reaches it and /proc
 * shows its memory. `env` is a real-mode configuration (serverEnv); PUBLIC_URL defaults to its address.
 */
export async function startServer(name: string, env: Record<string, string>, log: OutputLog): Promise<ServerProcess> {
  const port = Number(env.PORT ?? (await freePort()))
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !CONTROLLED.includes(k)))
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: { PUBLIC_URL: `http://127.0.0.1:${port}`, ...base, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (chunk) => log.append(`${name}:out`, chunk))
  child.stderr!.on('data', (chunk) => log.append(`${name}:err`, chunk))
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)))
  const url = `http://127.0.0.1:${port}`

  let gone: number | string | null | undefined
  void exited.then((code) => { gone = code })
  const deadline = Date.now() + 60_000
  for (;;) {
    if (gone !== undefined) throw new Error(`${name} exited (${gone}) before answering /health; its output is in the scenario log`)
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`${name} did not answer /health within 60 s`) }
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false)
    if (ok) break
    await new Promise((r) => setTimeout(r, 100))
  }

  return {
    name,
    url,
    pid: child.pid!,
    child,
    exited,
    rss() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
      return kb * 1024
    },
    async stop() {
      if (gone !== undefined) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
    },
  }
}
