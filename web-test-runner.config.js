// Widget tests in a real Chromium against the offline Cal.com sandbox and Cal's real embed.js.
// The same tests run twice: on the TypeScript sources and on the built dist/churchhub-booking.js,
// which the page loads as a church site does, from the server's widget route (its configuration
// written in, its chunks and embed.js beside it).
import { existsSync } from 'node:fs'
import { esbuildPlugin } from '@web/dev-server-esbuild'
import { chromeLauncher } from '@web/test-runner-chrome'
import { sandboxPlugin } from './widget/test/wtr-sandbox-plugin.js'

const CANDIDATES = [
  process.env.CHROME_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
].filter(Boolean)
const executablePath = CANDIDATES.find((p) => existsSync(p))
if (!executablePath) {
  console.error(`No Chromium or Chrome found (looked at ${CANDIDATES.join(', ')}). Install Chromium or set CHROME_PATH to its executable.`)
  process.exit(1)
}
if (!existsSync('dist/churchhub-booking.js')) {
  console.error('dist/churchhub-booking.js is missing: run `npm run build:widget` first (npm run test:widget does).')
  process.exit(1)
}

const page = (bundle) => (testFramework) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>widget test</title></head>
<body><script>window.CHURCHHUB_UNDER_TEST = ${JSON.stringify(bundle ? '/widget/churchhub-booking.js' : '/widget/src/index.ts')}</script>
<script type="module" src="${testFramework}"></script></body></html>`

const sandbox = sandboxPlugin()

export default {
  nodeResolve: { exportConditions: ['production'] },
  concurrency: 1,
  testsFinishTimeout: Number(process.env.WTR_FINISH_TIMEOUT ?? 240_000),
  testFramework: { config: { timeout: 20_000 } },
  plugins: [esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' }), sandbox],
  middleware: [sandbox.middleware],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      },
    }),
  ],
  groups: [
    { name: 'sources', files: 'widget/test/**/*.test.ts', testRunnerHtml: page(false) },
    { name: 'bundle', files: 'widget/test/**/*.test.ts', testRunnerHtml: page(true) },
  ],
}
