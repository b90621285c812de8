// `npm run build:wordpress`: refreshes the translation template, compiles every translation,
// and zips the plugin as a church uploads it (Plugins → Add New → Upload Plugin).
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { extractMessages, TEXT_DOMAIN } from './i18n-strings.js'
import { compileMo, keyOf, parsePo, scriptTranslations, writePot } from './po.js'
import { zipFolder } from './zip.js'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
export const pluginDir = join(repoRoot, 'wordpress', 'churchhub-booking')
export const outDir = join(repoRoot, 'dist', 'wordpress')
export const zipPath = join(outDir, `${TEXT_DOMAIN}.zip`)
const EDITOR_SCRIPT = 'block/editor.js'

function pluginVersion(): string {
  const version = readFileSync(join(pluginDir, 'churchhub-booking.php'), 'utf8').match(/^ \* Version:\s*(\S+)/m)?.[1]
  if (!version) throw new Error('churchhub-booking.php has no "Version:" header')
  return version
}

export function buildPlugin(): string {
  const messages = extractMessages(pluginDir)
  const languages = join(pluginDir, 'languages')
  writeFileSync(join(languages, `${TEXT_DOMAIN}.pot`), writePot(messages, `ChurchHub Booking ${pluginVersion()}`))

  const stage = join(outDir, 'stage', TEXT_DOMAIN)
  rmSync(dirname(stage), { recursive: true, force: true })
  mkdirSync(dirname(stage), { recursive: true })
  cpSync(pluginDir, stage, { recursive: true })

  for (const file of readdirSync(languages).filter((name) => name.endsWith('.po'))) {
    const translation = parsePo(readFileSync(join(languages, file), 'utf8'))
    const missing = messages.filter((m) => !translation.entries.has(keyOf(m))).map((m) => `  ${m.references[0]}: ${JSON.stringify(m.id)}`)
    if (missing.length) throw new Error(`${relative(repoRoot, join(languages, file))} has no translation for:\n${missing.join('\n')}`)
    writeFileSync(join(stage, 'languages', file.replace(/\.po$/, '.mo')), compileMo(translation))
    const script = scriptTranslations(translation, messages, EDITOR_SCRIPT, TEXT_DOMAIN)
    writeFileSync(join(stage, 'languages', script.file), script.json)
  }

  writeFileSync(zipPath, zipFolder(stage, TEXT_DOMAIN))
  return zipPath
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const zip = buildPlugin()
  console.log(`${relative(repoRoot, zip)}: ${readFileSync(zip).length} bytes`)
}
