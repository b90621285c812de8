// `npm run analyze` → custom-elements.json, the machine-read public API of <churchhub-booking>.
const INTERNAL_STATE = new Set(['status', 'host'])

export default {
  globs: ['widget/src/**/*.ts'],
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
      },
    },
  ],
}
