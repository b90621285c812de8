// Builds the widget as one self-contained, minified ES module (Lit included) that a church site
// loads with one script tag: dist/churchhub-booking.js. `npm run checksize` prints its gzipped size.
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
        .replace(/\bcss ?`([^`]*)`/g, (_, body) => `css\`${css(body)}\``)
        .replace(/\n\s*/g, ' ')
        .replace(/>\s+</g, '><')
    },
  }
}

export default {
  input: 'widget/src/index.ts',
  output: { file: 'dist/churchhub-booking.js', format: 'es', sourcemap: false },
  plugins: [
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
