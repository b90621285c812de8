/** What the ChurchHub server that serves this script knows before any host is asked. */
export interface ServedConfig {
  /** Where booking pages live (the Cal.com origin, or a base URL under it). */
  calOrigin: string
  /** embed.js, absolute or relative to this script. */
  embedJsUrl: string
}

// The server writes its configuration over this marker as it serves the bundle: the booking
// origin and, when it is not this server's own `embed.js`, embed.js's URL, percent-encoded and
// separated by a space (server/routes/widget-config.ts). Built from npm by a site's own bundler,
// the marker stays, and the element learns the same from the host answer (or uses Cal.com's
// hosted origin).
const [calOrigin, embedJsUrl = 'embed.js'] = 'churchhub:served'.split(' ').map(decodeURIComponent)

export const served: ServedConfig | undefined = calOrigin!.startsWith('http')
  ? { calOrigin: calOrigin!, embedJsUrl: new URL(embedJsUrl, import.meta.url).href }
  : undefined
