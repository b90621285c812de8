// Finds the plugin's translatable strings the way WordPress's tools do, for a plugin whose
// strings are all single-quoted literals with the text domain written out: gettext calls in PHP
// and in the editor script, block.json's title, description and keywords (which WordPress
// translates with a context), and the plugin header's name and description.
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'

export const TEXT_DOMAIN = 'churchhub-booking'

export interface Message {
  context?: string
  id: string
  /** `file:line` where it is used. */
  references: string[]
  /** The `translators:` comment above it, if any. */
  comment?: string
}

const CALL = /\b(?:__|_e|esc_html__|esc_attr__|esc_html_e|esc_attr_e)\(\s*'((?:[^'\\]|\\.)*)'\s*,\s*'([\w-]+)'\s*\)/g
const TRANSLATORS = /\/\*\s*(translators:[^*]*?)\s*\*\/\s*$/

function unquote(literal: string): string {
  return literal.replace(/\\(['\\])/g, '$1')
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(php|js)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
}

export function extractMessages(pluginDir: string): Message[] {
  const found = new Map<string, Message>()
  const add = (message: Omit<Message, 'references'>, reference: string) => {
    const key = `${message.context ?? ''}\u0004${message.id}`
    const entry = found.get(key) ?? { ...message, references: [] }
    entry.references.push(reference)
    entry.comment ??= message.comment
    found.set(key, entry)
  }

  const header = readFileSync(join(pluginDir, 'churchhub-booking.php'), 'utf8')
  for (const field of ['Plugin Name', 'Description']) {
    const value = header.match(new RegExp(`^ \\* ${field}:\\s*(.+)$`, 'm'))?.[1]?.trim()
    if (value) add({ id: value, comment: `${field} of the plugin` }, 'churchhub-booking.php')
  }

  const block = JSON.parse(readFileSync(join(pluginDir, 'block', 'block.json'), 'utf8'))
  add({ id: block.title, context: 'block title' }, 'block/block.json')
  add({ id: block.description, context: 'block description' }, 'block/block.json')
  for (const keyword of block.keywords ?? []) add({ id: keyword, context: 'block keyword' }, 'block/block.json')

  for (const file of sourceFiles(pluginDir)) {
    const lines = readFileSync(file, 'utf8').split('\n')
    lines.forEach((line, index) => {
      for (const match of line.matchAll(CALL)) {
        if (match[2] !== TEXT_DOMAIN) throw new Error(`${relative(pluginDir, file)}:${index + 1}: text domain "${match[2]}" instead of "${TEXT_DOMAIN}"`)
        const comment = (line.slice(0, match.index).match(TRANSLATORS) ?? lines[index - 1]?.match(TRANSLATORS))?.[1]
        add({ id: unquote(match[1]!), comment }, `${relative(pluginDir, file)}:${index + 1}`)
      }
    })
  }
  return [...found.values()]
}
