// `npm run check:manifest`: fails when widget/custom-elements.json is not what `npm run analyze`
// makes from the sources today (CI runs it, so a changed attribute, event or part needs the file).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { isDeepStrictEqual } from 'node:util'

const widget = new URL('.', import.meta.url).pathname
const out = mkdtempSync(join(tmpdir(), 'cem-check-'))
try {
  // The analyzer takes --outdir relative to where it runs.
  execFileSync('npx', ['cem', 'analyze', '--outdir', relative(widget, out)], { cwd: widget, stdio: ['ignore', 'ignore', 'inherit'] })
  const fresh = JSON.parse(readFileSync(join(out, 'custom-elements.json'), 'utf8'))
  const committed = JSON.parse(readFileSync(join(widget, 'custom-elements.json'), 'utf8'))
  if (!isDeepStrictEqual(fresh, committed)) {
    console.error('widget/custom-elements.json is stale: run `npm run analyze` and commit the result.')
    process.exit(1)
  }
  console.log('widget/custom-elements.json matches the sources.')
} finally {
  rmSync(out, { recursive: true, force: true })
}
