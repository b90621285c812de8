import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join } from 'node:path'
import commonjsModule from '@rollup/plugin-commonjs'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import replaceModule from '@rollup/plugin-replace'
import { chromium } from 'playwright-core'
import { rollup } from 'rollup'
import t from 'tap'
import { repoRoot, startServer } from '../../demo/start-server.js'

// What a site built with a bundler does with the published package: `npm pack` in widget/, the
// tarball installed into a project of its own, bundled with Rollup, rendered in Chromium against a
// sandbox-mode server, plainly and through the React wrapper.

// These plugins ship CommonJS typings; under NodeNext their callable is behind `.default`.
const unwrap = <T>(m: T): T extends { default: infer D } ? D : T => ((m as any).default ?? m)
const commonjs = unwrap(commonjsModule)
const replace = unwrap(replaceModule)
const CHROME_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

const ENTRIES = {
  // The element, defined by importing the package.
  plain: `import '@churchhub/booking'`,
  // The React wrapper: attributes as props, events as callback props.
  react: `import { createElement } from 'react'
import { createRoot } from 'react-dom/client'
import { ChurchhubBooking } from '@churchhub/booking/react'
createRoot(document.getElementById('app')).render(createElement(ChurchhubBooking, {
  username: 'zack', event: '30min', api: window.API, lazy: false,
  onReady: (e) => { window.reactReady = e.detail },
}))`,
  // The class alone: nothing is defined until the site says so.
  element: `import { ChurchhubBookingElement } from '@churchhub/booking/element.js'
window.defined = customElements.get('churchhub-booking') !== undefined
window.classType = typeof ChurchhubBookingElement`,
  // An import nobody uses: with sideEffects set truthfully, the bundler drops the element entirely.
  unused: `import { ChurchhubBookingElement } from '@churchhub/booking/element.js'
export const unused = () => ChurchhubBookingElement`,
}

const page = (script: string, api: string, body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>a site</title>
<script>window.API = ${JSON.stringify(api)}; document.addEventListener('churchhub-ready', (e) => { window.readyDetail = e.detail })</script>
<script type="module" src="/${script}.js"></script></head><body>${body}</body></html>`

t.test('the packed tarball, installed and bundled by a site, shows the booking page', async (t) => {
  const scratch = await mkdtemp(join(tmpdir(), 'churchhub-package-'))
  t.teardown(() => rm(scratch, { recursive: true, force: true }))

  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: join(repoRoot, 'widget'), encoding: 'utf8' }))
  const files = (packed.files as { path: string }[]).map((f) => f.path).sort()
  t.ok(files.includes('custom-elements.json') && files.includes('dist/index.js') && files.includes('dist/react.js') && files.includes('dist/react.d.ts'), 'ships the modules, their types and the manifest')
  t.same(files.filter((f) => !f.startsWith('dist/') && !['custom-elements.json', 'package.json', 'README.md'].includes(f)), [], 'and nothing else')

  await writeFile(join(scratch, 'package.json'), JSON.stringify({
    name: 'a-church-site', private: true, type: 'module',
    dependencies: { '@churchhub/booking': `file:./${packed.filename}`, react: '^18.3.1', 'react-dom': '^18.3.1' },
  }))
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'], { cwd: scratch, stdio: 'inherit' })

  const out = join(scratch, 'out')
  for (const [name, code] of Object.entries(ENTRIES)) {
    const input = join(scratch, `${name}.js`)
    await writeFile(input, code)
    const bundle = await rollup({
      input,
      plugins: [
        nodeResolve({ browser: true, rootDir: scratch }),
        commonjs(),
        replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
      ],
      onwarn: () => {},
    })
    await bundle.write({ dir: out, format: 'es', entryFileNames: '[name].js' })
    await bundle.close()
  }
  const unused = await readFile(join(out, 'unused.js'), 'utf8')
  t.notMatch(unused, /churchhub|LitElement|customElements/, 'an unused import of element.js leaves nothing of it in the bundle')

  const server = await startServer({ DATA_DIR: join(scratch, 'data') })
  t.teardown(() => server.close())
  const api = server.url
  const site = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const pages: Record<string, string> = {
      '/plain.html': page('plain', api, `<churchhub-booking username="zack" event="30min" api="${api}" lazy="false"></churchhub-booking>`),
      '/react.html': page('react', api, '<div id="app"></div>'),
      '/element.html': page('element', api, ''),
    }
    if (pages[path]) return res.writeHead(200, { 'content-type': 'text/html' }).end(pages[path])
    const file = await readFile(join(out, path.slice(1))).catch(() => undefined)
    if (file && extname(path) === '.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(file)
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => site.close(resolve)))
  const siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`
  t.ok((await readdir(out)).some((f) => f.startsWith('booking-report-')), 'what the element imports lazily is a chunk of its own in the site\'s bundle too')

  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', args: CHROME_ARGS })
  t.teardown(() => browser.close())
  // Plain: seen by a listener on the document. React: by the component's onReady prop.
  for (const [variant, seen] of [['plain', 'readyDetail'], ['react', 'reactReady']] as const) {
    const context = await browser.newContext()
    const tab = await context.newPage()
    await tab.goto(`${siteUrl}/${variant}.html`)
    const detail = await tab.waitForFunction((key) => (window as any)[key], seen, { timeout: 30_000 }).then((h) => h.jsonValue())
    t.same(detail, { calLink: 'zack/30min', mode: 'inline' }, `${variant}: churchhub-ready`)
    t.equal(await tab.evaluate(() => document.querySelector('churchhub-booking')?.shadowRoot?.querySelectorAll('iframe').length), 1, `${variant}: one booking page`)
    await context.close()
  }
  const context = await browser.newContext()
  const tab = await context.newPage()
  await tab.goto(`${siteUrl}/element.html`)
  await tab.waitForFunction(() => (window as any).classType !== undefined)
  t.same(await tab.evaluate(() => ({ defined: (window as any).defined, classType: (window as any).classType })), { defined: false, classType: 'function' },
    'element.js gives the class and defines nothing')
  await context.close()
})
