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
 * Writes the configuration over the marker as percent-encoded JSON: no quote, backslash or line
 * break can come out of it, so it is safe inside whichever quotes the minifier chose.
 */
export function writeServedConfig(bundle: string, config: ServedWidgetConfig): string {
  const encoded = encodeURIComponent(JSON.stringify(config)).replace(/'/g, '%27')
  return bundle.replaceAll(SERVED_CONFIG_MARKER, encoded)
}
