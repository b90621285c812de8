// `npm run analyze` (in widget/) → widget/custom-elements.json, the machine-read public API of
// <churchhub-booking>, shipped in the npm package; `npm run check:manifest` fails when it is stale.
const INTERNAL_STATE = new Set(['status', 'host', 'answered', 'state'])

/** The package ships the compiled modules: `src/x.ts` is `dist/x.js` to whoever reads the manifest. */
function toPublished(value) {
  if (typeof value === 'string') return value.replace(/^src\/(.*)\.ts$/, 'dist/$1.js')
  if (Array.isArray(value)) return value.map(toPublished)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPublished(v)]))
  return value
}

export default {
  globs: ['src/**/*.ts'],
  // package.json names the manifest itself; the staleness check writes elsewhere and must not move it.
  packagejson: false,
  exclude: ['src/react.ts'],
  litelement: true,
  plugins: [
    {
      // The analyzer also lists each `dispatchEvent(new XEvent(detail))` call as a nameless event
      // and reads `static properties` entries marked `state: true` as attributes; keep the API only.
      name: 'churchhub-public-api-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const d of mod.declarations ?? []) {
            if (!d.customElement) continue
            d.events = (d.events ?? []).filter((e) => e.name?.startsWith('churchhub-'))
            d.attributes = (d.attributes ?? []).filter((a) => !INTERNAL_STATE.has(a.name))
            d.members = (d.members ?? []).filter((m) => !INTERNAL_STATE.has(m.name))
          }
        }
        customElementsManifest.modules = toPublished(customElementsManifest.modules)
      },
    },
  ],
}
