// Prints the widget's sizes after `rollup -c`: the script a church site loads, and each lazily
// loaded chunk beside it (gzip level 9, as bench/RESULTS.md reports them).
import { readdirSync, readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

const size = (file) => {
  const bytes = readFileSync(file)
  return `${file}: ${bytes.length} bytes, ${gzipSync(bytes, { level: 9 }).length} gzipped`
}

console.log(size('dist/churchhub-booking.js'))
for (const chunk of readdirSync('dist/chunks').sort()) console.log(`  lazy ${size(`dist/chunks/${chunk}`)}`)
