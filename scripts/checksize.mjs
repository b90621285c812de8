// Prints the widget's sizes after `rollup -c`: the script a church site loads, and each lazily
// loaded chunk beside it (gzip level 9, as bench/RESULTS.md reports them). Fails when the script
// every page loads is over its budget, so that the build (and CI) stop where the promise breaks.
import { readdirSync, readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

const BASE = 'dist/churchhub-booking.js'
// 10 KB gzipped: the target docs/benchmarks.md sets for the script every page loads.
const BUDGET = 10_240

const gzipped = (bytes) => gzipSync(bytes, { level: 9 }).length
const size = (file) => {
  const bytes = readFileSync(file)
  return `${file}: ${bytes.length} bytes, ${gzipped(bytes)} gzipped`
}

console.log(size(BASE))
for (const chunk of readdirSync('dist/chunks').sort()) console.log(`  lazy ${size(`dist/chunks/${chunk}`)}`)

const base = gzipped(readFileSync(BASE))
if (base > BUDGET) {
  console.error(
    `${BASE} is ${base} bytes gzipped, over its budget of ${BUDGET} (10 KB) by ${base - BUDGET}: ` +
      'make widget/src/ smaller, or move what only some pages need into a lazily imported chunk.',
  )
  process.exit(1)
}
