import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'

const cli = (env: NodeJS.ProcessEnv) =>
  spawnSync(process.execPath, ['--import=tsx', 'db/migrate-cli.ts'], { env: { ...process.env, ...env }, encoding: 'utf8' })

t.test('db:migrate migrates the embedded database under DATA_DIR and exits 0', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'churchhub-migrate-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const env = { DATABASE_URL: '', DATA_DIR: dir }
  const first = cli(env)
  t.equal(first.status, 0, first.stderr)
  t.match(first.stdout, /Migrated pglite: 2026-11-24T10-00_initial/)
  const second = cli(env)
  t.equal(second.status, 0)
  t.match(second.stdout, /already up to date/, 'the data was kept on disk')
})

t.test('db:migrate exits non-zero with the reason when the database cannot be reached', async (t) => {
  const result = cli({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' })
  t.equal(result.status, 1)
  t.match(result.stderr, /Database migration failed: .*ECONNREFUSED/)
})
