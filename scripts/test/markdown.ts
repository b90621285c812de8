import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'

/** Folders that hold no Markdown of ours: dependencies, build output, local data and logs. */
const SKIPPED = new Set(['node_modules', '.git', 'dist', '.data', '.tap', '.tmp', '.logs'])

/** Every Markdown file under `root`, as paths relative to it. */
export function markdownFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return []
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return markdownFiles(root, path)
    return entry.name.endsWith('.md') ? [relative(root, path)] : []
  }).sort()
}

/** The text outside fenced code blocks and inline code, where a link is a link. */
export function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '')
}

/** Targets of inline links and images, `[text](target)` and `![alt](target)`, in order. */
export function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!)
}

/** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>()
  const anchors = new Set<string>()
  for (const [, text] of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = text!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-')
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    anchors.add(count === 0 ? base : `${base}-${count}`)
  }
  return anchors
}

/** The rows of the first table whose header row starts with `firstHeader`, each as its cells. */
export function tableRows(markdown: string, firstHeader: string): string[][] {
  const lines = markdown.split('\n')
  const start = lines.findIndex((line) => line.startsWith(`| ${firstHeader} |`))
  if (start < 0) return []
  const rows: string[][] = []
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break
    rows.push(line.slice(1, -1).split(' | ').map((cell) => cell.trim()))
  }
  return rows
}
