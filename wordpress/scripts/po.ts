// Gettext files without gettext: writing the template (.pot), reading a translation (.po), and
// compiling it into what WordPress loads (.mo for PHP, a Jed JSON file for the editor script).
import { createHash } from 'node:crypto'
import type { Message } from './i18n-strings.js'

export interface Translation {
  headers: Record<string, string>
  /** Key: `context\u0004id` (or just the id), value: the translation. */
  entries: Map<string, string>
}

const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`

export function keyOf(message: { context?: string; id: string }): string {
  return message.context ? `${message.context}\u0004${message.id}` : message.id
}

export function writePot(messages: Message[], project: string): string {
  const head = ['msgid ""', 'msgstr ""', quote(`Project-Id-Version: ${project}\n`), quote('MIME-Version: 1.0\n'),
    quote('Content-Type: text/plain; charset=UTF-8\n'), quote('Content-Transfer-Encoding: 8bit\n'), quote('X-Domain: churchhub-booking\n')]
  const blocks = messages.map((m) => [
    ...(m.comment ? [`#. ${m.comment}`] : []),
    `#: ${m.references.join(' ')}`,
    ...(m.context ? [`msgctxt ${quote(m.context)}`] : []),
    `msgid ${quote(m.id)}`,
    'msgstr ""',
  ].join('\n'))
  return [head.join('\n'), ...blocks].join('\n\n') + '\n'
}

function unescapePo(literal: string): string {
  return JSON.parse(literal)
}

/** Reads the .po subset this project writes: msgctxt, msgid, msgstr, continuation lines, comments. */
export function parsePo(text: string): Translation {
  const entries = new Map<string, string>()
  let headers: Record<string, string> = {}
  let current: Record<string, string> = {}
  let field = ''
  const flush = () => {
    if (current.msgid === undefined) return
    if (current.msgid === '') {
      headers = Object.fromEntries(current.msgstr!.split('\n').filter(Boolean).map((line) => {
        const at = line.indexOf(':')
        return [line.slice(0, at).trim(), line.slice(at + 1).trim()]
      }))
    } else if (current.msgstr) {
      entries.set(keyOf({ context: current.msgctxt, id: current.msgid }), current.msgstr)
    }
    current = {}
  }
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const start = line.match(/^(msgctxt|msgid|msgstr)\s+(".*")$/)
    if (start) {
      // A new entry starts at its msgctxt, or at a msgid that follows a finished entry.
      if (start[1] === 'msgctxt' || (start[1] === 'msgid' && current.msgstr !== undefined)) flush()
      field = start[1]!
      current[field] = unescapePo(start[2]!)
    } else if (line.startsWith('"')) {
      current[field] += unescapePo(line)
    } else {
      throw new Error(`Unexpected line in a .po file: ${raw}`)
    }
  }
  flush()
  return { headers, entries }
}

/** GNU .mo, little-endian, no hash table (WordPress's readers do not need one). */
export function compileMo(translation: Translation): Buffer {
  const header = Object.entries(translation.headers).map(([k, v]) => `${k}: ${v}\n`).join('')
  const pairs: Array<[string, string]> = [['', header], ...translation.entries]
  pairs.sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  const originals = pairs.map(([k]) => Buffer.from(k, 'utf8'))
  const translations = pairs.map(([, v]) => Buffer.from(v, 'utf8'))
  const count = pairs.length
  const tablesEnd = 28 + count * 16
  const head = Buffer.alloc(tablesEnd)
  head.writeUInt32LE(0x950412de, 0)
  head.writeUInt32LE(0, 4)
  head.writeUInt32LE(count, 8)
  head.writeUInt32LE(28, 12)
  head.writeUInt32LE(28 + count * 8, 16)
  head.writeUInt32LE(0, 20)
  head.writeUInt32LE(tablesEnd, 24)
  const strings: Buffer[] = []
  let offset = tablesEnd
  const place = (table: number, index: number, bytes: Buffer) => {
    head.writeUInt32LE(bytes.length, table + index * 8)
    head.writeUInt32LE(offset, table + index * 8 + 4)
    strings.push(bytes, Buffer.alloc(1))
    offset += bytes.length + 1
  }
  originals.forEach((bytes, i) => place(28, i, bytes))
  translations.forEach((bytes, i) => place(28 + count * 8, i, bytes))
  return Buffer.concat([head, ...strings])
}

/**
 * The Jed 1.x JSON WordPress hands to `wp.i18n` for one script, named as `load_script_textdomain`
 * looks it up: `<domain>-<locale>-<md5 of the script's path inside the plugin>.json`.
 */
export function scriptTranslations(translation: Translation, messages: Message[], script: string, domain: string) {
  const used = messages.filter((m) => m.references.some((ref) => ref.startsWith(`${script}:`)))
  const localeData: Record<string, unknown> = {
    '': { domain: 'messages', lang: translation.headers.Language ?? '', 'plural-forms': translation.headers['Plural-Forms'] ?? 'nplurals=2; plural=(n != 1);' },
  }
  for (const message of used) {
    const text = translation.entries.get(keyOf(message))
    if (text) localeData[keyOf(message)] = [text]
  }
  const locale = translation.headers.Language ?? ''
  return {
    file: `${domain}-${locale}-${createHash('md5').update(script).digest('hex')}.json`,
    json: JSON.stringify({ domain: 'messages', locale_data: { messages: localeData } }),
  }
}
