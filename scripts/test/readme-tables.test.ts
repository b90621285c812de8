// The README's tables of the element's attributes and events and of the npm scripts say exactly
// what widget/custom-elements.json and package.json declare: each one, once, and nothing else.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { tableRows } from './markdown.js'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')
const readme = read('README.md')
const manifest = JSON.parse(read('widget/custom-elements.json')) as {
  modules: { declarations?: { tagName?: string; attributes?: { name: string }[]; events?: { name: string }[] }[] }[]
}
const element = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'churchhub-booking')
/** The first cell of each row of a table, which names one thing in backticks. */
const named = (header: string) => tableRows(readme, header).map(([first = '']) => first.replace(/^`(.*)`$/, '$1'))

t.ok(element, 'the manifest declares <churchhub-booking>')
t.same(named('attribute'), element!.attributes!.map((a) => a.name), 'one README row per attribute, in the manifest\'s order')
t.same(named('event (bubbles, composed)'), element!.events!.map((e) => e.name), 'one README row per event, in the manifest\'s order')

const scripts = Object.keys(JSON.parse(read('package.json')).scripts as Record<string, string>)
const commands = named('command').map((command) => command.replace(/^npm (run )?/, ''))
t.same([...commands].sort(), [...scripts].sort(), 'the commands table lists every npm script, once, and nothing else')
