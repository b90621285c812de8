// Builds the widget as one self-contained, minified ES module (Lit included) that a church site
// loads with one script tag: dist/churchhub-booking.js (lazily imported chunks beside it). `npm run checksize` prints its gzipped size.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import resolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'

// Lit's css`` and html`` templates reach the bundle as written; their indentation is dead weight.
// TypeScript's output (comments removed, every statement ended by a semicolon) can lose its line
// breaks safely; inside html`` only whitespace between tags and bindings goes.
function minifyTemplates() {
  const css = (text) =>
    text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, ' ').replace(/\s*([{}:;,>])\s*/g, '$1').replace(/;}/g, '}').trim()
  return {
    name: 'minify-templates',
    transform(code, id) {
      if (!id.includes('/widget/src/')) return null
      return code
        .replace(/\b(css ?|unsafeCSS\()`([^`]*)`/g, (_, tag, body) => `${tag}\`${css(body)}\``)
        .replace(/\n\s*/g, ' ')
        .replace(/>\s+</g, '><')
        // Between a tag and a binding too: the element's templates hold no inline text that needs it.
        .replace(/>\s+\$\{/g, '>${')
        .replace(/\}\s+</g, '}<')
    },
  }
}

/**
 * The widget build: `<dir>/churchhub-booking.js`, the one script a church site pastes, and beside it
 * `<dir>/chunks/<name>-<hash>.js` for each module the element imports lazily (content-hashed, so
 * the server can let browsers keep them for a year). Tests build their own entries with it.
 */
export function widgetBuild({ input = 'widget/src/served.ts', dir = 'dist' } = {}) {
  return {
    input,
    // Lazy chunks (the questionnaire) import Lit and helpers from the entry itself rather than
    // from a shared chunk the entry would then need as a second request.
    preserveEntrySignatures: 'allow-extension',
    output: { dir, format: 'es', sourcemap: false, entryFileNames: 'churchhub-booking.js', chunkFileNames: 'chunks/[name]-[hash].js' },
    plugins: [
      // Chunks of an earlier build would otherwise pile up and stay servable.
      { name: 'clean-chunks', buildStart: () => rmSync(join(dir, 'chunks'), { recursive: true, force: true }) },
      typescript({
        tsconfig: './tsconfig.json',
        include: ['widget/src/**/*.ts'],
        compilerOptions: { removeComments: true, noEmit: false, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022', types: [], outDir: undefined },
      }),
      minifyTemplates(),
      // Browser builds only: Lit's `development` export would add dev-mode warnings and weight.
      resolve({ browser: true, exportConditions: ['browser', 'production'] }),
      terser({
        ecma: 2022,
        module: true,
        compress: { passes: 2 },
        // Lit's own private fields start with `__`; renaming them is safe and saves bytes (as lit-starter-ts does).
        mangle: { properties: { regex: /^__/ } },
        format: { comments: false },
      }),
    ],
  }
}

export default widgetBuild()
