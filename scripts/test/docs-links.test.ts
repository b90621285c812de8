// Every relative link in the repository's Markdown leads somewhere: the file (or folder) exists,
// and a `#anchor` names a heading of that file.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { headingAnchors, linkTargets, markdownFiles } from './markdown.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const isRelative = (target: string) => !/^[a-z][a-z0-9+.-]*:/i.test(target)

/** What is wrong with each relative link in `file` (a path relative to the repository's root). */
function deadLinks(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8')
  return linkTargets(text).filter(isRelative).flatMap((target) => {
    const [path = '', anchor] = target.split('#')
    const resolved = path === '' ? join(root, file) : join(root, dirname(file), decodeURIComponent(path))
    if (!existsSync(resolved)) return [`${target}: no such file`]
    if (anchor === undefined || !resolved.endsWith('.md') || statSync(resolved).isDirectory()) return []
    return headingAnchors(readFileSync(resolved, 'utf8')).has(anchor) ? [] : [`${target}: no such heading`]
  })
}

const files = markdownFiles(root)
t.ok(files.includes('README.md') && files.includes('docs/architecture.md'), 'the README and docs/ are among the files checked')
for (const file of files) t.same(deadLinks(file), [], `${file}: every relative link resolves`)

t.test('the check itself', async (t) => {
  t.same(headingAnchors('# A title\n## The element: `<x-y>`\n## Memory: PGlite or Postgres\n## A title\n```\n# not a heading\n```\n'),
    new Set(['a-title', 'the-element-x-y', 'memory-pglite-or-postgres', 'a-title-1']))
  t.same(linkTargets('see [a](docs/a.md#b), ![p](docs/p.png "t"), `[c](code.md)`, [d](https://x.org/e)\n```\n[f](g.md)\n```\n'),
    ['docs/a.md#b', 'docs/p.png', 'https://x.org/e'])
  t.same(['docs/a.md', 'https://x.org', 'mailto:a@b.org', '#here'].filter(isRelative), ['docs/a.md', '#here'])
})
