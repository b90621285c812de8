/** What the ChurchHub server that serves this script knows before any host is asked. */
export interface ServedConfig {
  /** Where booking pages live (the Cal.com origin, or a base URL under it). */
  calOrigin: string
  /** embed.js, absolute or relative to this script. */
  embedJsUrl: string
}

// The server writes its configuration over this marker as it serves the bundle (percent-encoded
// JSON, see server/routes/widget-config.ts). Built from npm by a site's own bundler, the marker
// stays, and the element learns the same from the host answer (or uses Cal.com's hosted origin).
const SERVED = 'churchhub:served'

function read(): ServedConfig | undefined {
  try {
    const config = JSON.parse(decodeURIComponent(SERVED)) as ServedConfig
    config.embedJsUrl = new URL(config.embedJsUrl, import.meta.url).href
    return config
  } catch {
    return undefined
  }
}

export const served = read()
