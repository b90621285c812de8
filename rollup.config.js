// Builds the widget as one self-contained, minified ES module (Lit included) that a church site
// loads with one script tag: dist/churchhub-booking.js. `npm run checksize` prints its gzipped size.
import resolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'

export default {
  input: 'widget/src/index.ts',
  output: { file: 'dist/churchhub-booking.js', format: 'es', sourcemap: false },
  plugins: [
    typescript({
      tsconfig: './tsconfig.json',
      include: ['widget/src/**/*.ts'],
      compilerOptions: { noEmit: false, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2021', types: [], outDir: undefined },
    }),
    // Browser builds only: Lit's `development` export would add dev-mode warnings and weight.
    resolve({ browser: true, exportConditions: ['browser', 'production'] }),
    terser({
      ecma: 2021,
      module: true,
      compress: { passes: 2 },
      // Lit's own private fields start with `__`; renaming them is safe and saves bytes (as lit-starter-ts does).
      mangle: { properties: { regex: /^__/ } },
      format: { comments: false },
    }),
  ],
}
