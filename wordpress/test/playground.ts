// A real WordPress for the plugin's test, offline: WordPress Playground's CLI (PHP compiled to
// WebAssembly, SQLite instead of MySQL) serving a WordPress release from the
// @wp-playground/wordpress-builds package, unpacked into a temporary folder that is mounted
// before install, so nothing is downloaded. Installed apart from the product by
// wordpress/scripts/install-test-tools.mjs.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, repoRoot } from '../../demo/start-server.js'

const tools = join(repoRoot, 'wordpress', 'node_modules')
const builds = join(tools, '@wp-playground', 'wordpress-builds')
const cli = join(tools, '@wp-playground', 'cli', 'wp-playground.js')

/** Playground's default administrator. */
export const ADMIN = { user: 'admin', password: 'password' }

export interface RunningWordPress {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** The release, such as 6.5.5. */
  release: string
  /** The PHP version it runs on. */
  php: string
  /** The WordPress folder on disk (its SQLite database and uploads live in it). */
  dir: string
  /** What WordPress wrote to wp-content/debug.log (notices, warnings, deprecations). */
  debugLog: () => string
  output: () => string
  close: () => Promise<void>
}

/** The releases the installed builds package ships, by short version: `{ '6.5': '6.5.5', … }`. */
export function availableReleases(): Record<string, string> {
  const versions = JSON.parse(readFileSync(join(builds, 'src', 'wordpress', 'wp-versions.json'), 'utf8')) as Record<string, string>
  return Object.fromEntries(Object.entries(versions).filter(([short]) => /^\d+\.\d+$/.test(short)))
}

// Debug output goes to a file the test reads; WordPress asks no outside host (update checks,
// feeds), and cron does not spawn requests of its own in the middle of the test.
const TEST_CONFIG = `
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', true );
define( 'WP_DEBUG_DISPLAY', false );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
`

export async function startWordPress(version: string, php = '8.2'): Promise<RunningWordPress> {
  if (!existsSync(cli)) throw new Error('WordPress Playground is not installed: run `npm run test:wordpress` (it installs wordpress/node_modules first).')
  const release = availableReleases()[version]
  if (!release) throw new Error(`WordPress ${version} is not in @wp-playground/wordpress-builds (it has ${Object.keys(availableReleases()).join(', ')}).`)

  // The builds package keeps the PHP files in a zip and the static files (scripts, styles,
  // images) beside it, as Playground's web version fetches them separately.
  const dir = mkdtempSync(join(tmpdir(), `churchhub-wp-${version}-`))
  execFileSync('unzip', ['-q', join(builds, 'src', 'wordpress', `wp-${version}.zip`), '-d', dir])
  cpSync(join(builds, 'public', `wp-${version}`), dir, { recursive: true })
  const config = join(dir, 'wp-config.php')
  const original = readFileSync(config, 'utf8')
  const marker = original.indexOf("/* That's all")
  if (marker < 0) throw new Error(`${config} has no "That's all, stop editing" line to put the test's settings above`)
  writeFileSync(config, original.slice(0, marker) + TEST_CONFIG + original.slice(marker))

  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child: ChildProcess = spawn(process.execPath, [
    cli, 'server',
    `--port=${port}`, `--site-url=${url}`, `--wp=${version}`, `--php=${php}`,
    `--mount-before-install=${dir}:/wordpress`, '--wordpress-install-mode=install-from-existing-files',
    '--workers=1',
  ], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (chunk) => { output += chunk })
  child.stderr!.on('data', (chunk) => { output += chunk })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const orphanGuard = () => child.kill('SIGKILL')
  process.once('exit', orphanGuard)

  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    const forced = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(forced)
    process.off('exit', orphanGuard)
    rmSync(dir, { recursive: true, force: true })
  }

  const ready = await Promise.race([
    new Promise<boolean>((resolve) => {
      const check = () => { if (/Ready! WordPress is running/.test(output)) resolve(true) }
      child.stdout!.on('data', check)
      check()
    }),
    exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 180_000).unref()),
  ])
  if (!ready) {
    await close()
    throw new Error(`WordPress ${version} did not start:\n${output}`)
  }
  const debugLog = () => {
    const file = join(dir, 'wp-content', 'debug.log')
    return existsSync(file) ? readFileSync(file, 'utf8') : ''
  }
  return { url, release, php, dir, debugLog, output: () => output, close }
}
