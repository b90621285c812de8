import type { Config } from '../server/config.js'

const originOf = (url: string) => new URL(url).origin

/**
 * The policy the Squarespace and WordPress look-alike pages are served with: the least a church
 * site needs to allow for the widget and Cal.com's embed (documented in docs/embedding.md).
 * - script-src: the widget (here same-origin) and Cal.com's embed.js;
 * - frame-src: Cal.com's booking pages;
 * - style-src 'unsafe-inline': embed.js adds <style> elements and style="" attributes to the host
 *   page (its loader, the iframe's size); without it the booking frame keeps a border and no height.
 * - connect-src stays 'self' (default-src): the widget asks its own server for the host's link.
 */
export function builderPagePolicy(config: Config): string {
  const embedOrigin = originOf(config.cal.embedJsUrl)
  const calOrigin = originOf(config.cal.origin)
  const scriptSources = ["'self'", ...new Set([embedOrigin])]
  return [
    "default-src 'self'",
    `script-src ${scriptSources.join(' ')}`,
    `frame-src ${calOrigin}`,
    "style-src 'self' 'unsafe-inline'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ')
}

/** The admin page runs only its own script and talks only to its own server. */
export const ADMIN_PAGE_POLICY = "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
