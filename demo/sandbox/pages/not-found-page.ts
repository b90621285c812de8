import { html } from './html.js'
import { layout } from './layout.js'
import type { PageContext } from './page-context.js'

/** Cal.com's 404: inside an embed the page script turns `data-page-status` into `linkFailed`. */
export function notFoundPage(ctx: PageContext, what: string): string {
  const body = html`
<h1>This page could not be found</h1>
<p>${what}</p>
<p class="subtle">Check the booking link you were given, or ask the person who sent it.</p>`
  return layout({ ctx, title: 'Not found', body, pageStatus: 404 })
}
