import type { Config } from '../server/config.js'
import { escapeHtml } from './page-files.js'

const PAGES: Array<[path: string, label: string]> = [
  ['/', 'Home (inline)'],
  ['/demo/popup', 'Popup'],
  ['/demo/floating', 'Floating'],
  ['/demo/squarespace', 'Squarespace'],
  ['/demo/wordpress', 'WordPress'],
  ['/demo/member', 'Signed-in member'],
  ['/demo/questionnaire', 'Questionnaire'],
  ['/demo/admin', 'Admin'],
]

/** The strip across the top of every demo page linking the others, and saying what Cal.com it uses. */
export function demoBar(current: string, config: Config): string {
  const links = PAGES.map(([path, label]) =>
    `<li><a href="${path}"${path === current ? ' aria-current="page"' : ''}>${label}</a></li>`).join('')
  const mode = config.sandbox ? 'Offline Cal.com sandbox' : `Cal.com at ${escapeHtml(new URL(config.cal.origin).host)}`
  return `<nav class="demo-bar" aria-label="ChurchHub Booking demo pages"><div class="demo-bar__inner">` +
    `<span class="demo-bar__label">ChurchHub Booking demo</span><ul>${links}</ul>` +
    `<span class="demo-bar__mode">${mode}</span></div></nav>`
}
