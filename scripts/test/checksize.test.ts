// `npm run checksize` (the end of `npm run build:widget`) fails when the script every page loads
// is over 10 KB gzipped, and passes at or under it.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import t, { type Test } from 'tap'

const script = fileURLToPath(new URL('../checksize.mjs', import.meta.url))

/** Runs checksize in a directory whose dist/churchhub-booking.js is `base` (and one chunk beside it). */
function checksize(t: Test, base: Buffer) {
  const dir = mkdtempSync(join(tmpdir(), 'checksize-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  mkdirSync(join(dir, 'dist/chunks'), { recursive: true })
  writeFileSync(join(dir, 'dist/churchhub-booking.js'), base)
  writeFileSync(join(dir, 'dist/chunks/booking-report-x.js'), 'export const x = 1\n')
  return spawnSync(process.execPath, [script], { cwd: dir, encoding: 'utf8' })
}

// Random bytes barely compress: `n` of them gzip to a little more than `n`.
const gzippedTo = (target: number) => {
  let bytes = randomBytes(target)
  while (gzipSync(bytes, { level: 9 }).length > target) bytes = bytes.subarray(0, bytes.length - 1)
  return bytes
}

t.test('at the budget: sizes printed, exit 0', async (t) => {
  const run = checksize(t, gzippedTo(10_240))
  t.equal(run.status, 0, run.stderr)
  t.match(run.stdout, /dist\/churchhub-booking\.js: \d+ bytes, 10240 gzipped/)
  t.match(run.stdout, /lazy dist\/chunks\/booking-report-x\.js/)
  t.equal(run.stderr, '')
})

t.test('over the budget: exit 1, saying by how much and what to do', async (t) => {
  const run = checksize(t, gzippedTo(10_300))
  t.equal(run.status, 1)
  t.match(run.stdout, /10300 gzipped/)
  t.match(run.stderr, /dist\/churchhub-booking\.js is 10300 bytes gzipped, over its budget of 10240 \(10 KB\) by 60: make widget\/src\/ smaller/)
})
