/** What the widget knows before it asks for any host: see widget/src/served-config.ts. */
export interface ServedWidgetConfig {
  /** Where booking pages live: config.cal.origin. */
  calOrigin: string
  /** embed.js, absolute or relative to the bundle's own URL (`embed.js`: this server's copy). */
  embedJsUrl: string
}

/** The marker the bundle carries in place of its configuration until it is served. */
export const SERVED_CONFIG_MARKER = 'churchhub:served'

/**
 * Writes the configuration over the marker: the booking origin, then embed.js's URL unless it is
 * the default `embed.js`, separated by a space, each percent-encoded (`encodeURI`, and `'`), so no
 * quote, backslash, line break or space can come out of them and the text is safe inside
 * whichever quotes the minifier chose. Every byte here is in the script each visitor loads first,
 * which is why it is not JSON.
 */
export function writeServedConfig(bundle: string, config: ServedWidgetConfig): string {
  const parts = config.embedJsUrl === 'embed.js' ? [config.calOrigin] : [config.calOrigin, config.embedJsUrl]
  return bundle.replaceAll(SERVED_CONFIG_MARKER, parts.map((p) => encodeURI(p).replace(/'/g, '%27')).join(' '))
}
