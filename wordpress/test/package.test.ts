// The plugin as files: every PHP file passes `php -l`, the zip holds exactly the plugin, the
// readme carries the plugin directory's headers, and WordPress's own .mo reader finds every
// Spanish translation in the compiled file.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import t from 'tap'
import { repoRoot } from '../../demo/start-server.js'
import { buildPlugin, pluginDir } from '../scripts/build.js'
import { parsePo } from '../scripts/po.js'

const PHP = process.env.PHP ?? 'php'
const builds = join(repoRoot, 'wordpress', 'node_modules', '@wp-playground', 'wordpress-builds')

const zip = buildPlugin()
const unpacked = mkdtempSync(join(tmpdir(), 'churchhub-wp-zip-'))
t.teardown(() => rmSync(unpacked, { recursive: true, force: true }))
execFileSync('unzip', ['-q', zip, '-d', unpacked])
const plugin = join(unpacked, 'churchhub-booking')

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort()
}

t.test('php -l passes on every PHP file', async (t) => {
  const files = filesUnder(pluginDir).filter((file) => file.endsWith('.php'))
  t.equal(files.length, 12)
  for (const file of files) {
    const output = execFileSync(PHP, ['-l', join(pluginDir, file)], { encoding: 'utf8' }).trim()
    t.equal(output, `No syntax errors detected in ${join(pluginDir, file)}`, file)
  }
})

t.test('the zip holds the plugin folder, with the compiled translations added', async (t) => {
  const sources = filesUnder(pluginDir)
  const compiled = ['languages/churchhub-booking-es_ES-77fbd50b9e4cc5739147643bdd546d9a.json', 'languages/churchhub-booking-es_ES.mo']
  t.same(filesUnder(plugin), [...sources, ...compiled].sort())
  const listing = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n')
  t.same(listing.filter((name) => !name.startsWith('churchhub-booking/')), [], 'everything sits under churchhub-booking/')
  const first = readFileSync(zip)
  t.equal(buildPlugin(), zip)
  t.ok(readFileSync(zip).equals(first), 'rebuilding gives the same bytes')
})

t.test('readme.txt carries the plugin directory\'s headers, matching the plugin file', async (t) => {
  const readme = readFileSync(join(pluginDir, 'readme.txt'), 'utf8')
  const main = readFileSync(join(pluginDir, 'churchhub-booking.php'), 'utf8')
  const header = (text: string, name: string) => text.match(new RegExp(`^(?: \\* )?${name}:\\s*(.+)$`, 'm'))?.[1]?.trim()
  t.equal(readme.split('\n')[0], '=== ChurchHub Booking ===')
  t.equal(header(readme, 'Requires at least'), header(main, 'Requires at least'))
  t.equal(header(readme, 'Requires PHP'), header(main, 'Requires PHP'))
  t.equal(header(readme, 'Stable tag'), header(main, 'Version'))
  t.equal(header(readme, 'Tested up to'), '6.5')
  t.equal(header(readme, 'License'), 'GPLv2 or later')
  t.same(readme.match(/^== .+ ==$/gm), ['== Description ==', '== Installation ==', '== Frequently Asked Questions ==', '== Changelog =='])
  t.match(readme, /^= My site sends a Content-Security-Policy\. What must it allow\? =$/m)
  t.match(readme, /^= Does it work with caching and optimisation plugins\? =$/m)
})

t.test('WordPress\'s own .mo reader finds every Spanish translation in the compiled file', async (t) => {
  // pomo/ from the WordPress release the other test runs: the reader load_textdomain() uses.
  const wordpress = mkdtempSync(join(tmpdir(), 'churchhub-wp-pomo-'))
  t.teardown(() => rmSync(wordpress, { recursive: true, force: true }))
  execFileSync('unzip', ['-q', join(builds, 'src', 'wordpress', 'wp-6.5.zip'), 'wp-includes/pomo/*', '-d', wordpress])
  const script = `
    foreach ( array( 'plural-forms', 'entry', 'translations', 'streams', 'mo' ) as $file ) require '${wordpress}/wp-includes/pomo/' . $file . '.php';
    $mo = new MO();
    if ( ! $mo->import_from_file( $argv[1] ) ) { fwrite( STDERR, "unreadable\\n" ); exit( 1 ); }
    $entries = array();
    foreach ( $mo->entries as $key => $entry ) $entries[ $key ] = $entry->translations[0];
    echo json_encode( array( 'language' => $mo->headers['Language'], 'entries' => $entries ) );`
  const read = JSON.parse(execFileSync(PHP, ['-r', script, join(plugin, 'languages', 'churchhub-booking-es_ES.mo')], { encoding: 'utf8' }))
  const po = parsePo(readFileSync(join(pluginDir, 'languages', 'churchhub-booking-es_ES.po'), 'utf8'))
  t.equal(read.language, 'es_ES')
  t.same(read.entries, Object.fromEntries(po.entries))
  t.equal(read.entries['Host: %s'], 'Anfitrión: %s')
  t.equal(read.entries['block title\u0004ChurchHub Booking'], 'ChurchHub Booking')

  const json = JSON.parse(readFileSync(join(plugin, 'languages', 'churchhub-booking-es_ES-77fbd50b9e4cc5739147643bdd546d9a.json'), 'utf8'))
  t.equal(json.locale_data.messages['Host: %s'][0], 'Anfitrión: %s', 'the editor script\'s strings, named after md5("block/editor.js")')
  t.equal(json.locale_data.messages['Settings saved. %s answers as a ChurchHub Booking server.'], undefined, 'and only those')
})
