import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
}

export interface PageFiles {
  /** The HTML templates by name (`index`, `admin`, …). */
  templates: Map<string, string>
  assets: Map<string, { body: Buffer; type: string }>
}

// The demo runs from sources only (npm start; it is never compiled), so the pages sit beside this file.
function pagesDir(): string {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'pages')
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`${dir}/index.html is missing; run the demo from a checkout of the repository.`)
  return dir
}

/** Reads every page and asset once, at start: they are small and never change while running. */
export async function loadPageFiles(): Promise<PageFiles> {
  const dir = pagesDir()
  const templates = new Map<string, string>()
  for (const name of await readdir(dir)) {
    if (name.endsWith('.html')) templates.set(name.slice(0, -5), await readFile(join(dir, name), 'utf8'))
  }
  const assets = new Map<string, { body: Buffer; type: string }>()
  for (const name of await readdir(join(dir, 'assets'))) {
    const type = CONTENT_TYPES[extname(name)]
    if (type) assets.set(name, { body: await readFile(join(dir, 'assets', name)), type })
  }
  return { templates, assets }
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/**
 * Fills `{{name}}` slots: `text` values are escaped, `html` values are markup this server built.
 * A slot left without a value is an error, so a typo cannot ship a page with braces in it.
 */
export function renderPage(template: string, values: { text?: Record<string, string>; html?: Record<string, string> }): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (values.html && name in values.html) return values.html[name]!
    if (values.text && name in values.text) return escapeHtml(values.text[name]!)
    throw new Error(`The demo page has a slot {{${name}}} with no value.`)
  })
}

export { escapeHtml }
