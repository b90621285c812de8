// Installs WordPress Playground for `npm run test:wordpress` into wordpress/node_modules, from
// wordpress/package-lock.json, apart from the root install (it weighs about 1 GB and only this
// test needs it). Skipped when the installed tree already matches the lockfile.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('..', import.meta.url))
const stamp = join(dir, 'node_modules', '.churchhub-lock-digest')
const digest = createHash('sha256').update(readFileSync(join(dir, 'package-lock.json'))).digest('hex')

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) {
  console.log('wordpress/node_modules is up to date with wordpress/package-lock.json')
} else {
  console.log('Installing the WordPress test tools (npm ci in wordpress/)…')
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' })
  writeFileSync(stamp, digest)
}
