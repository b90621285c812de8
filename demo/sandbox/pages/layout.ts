import { attr, html, type SafeHtml } from './html.js'
import type { PageContext } from './page-context.js'

export interface LayoutInput {
  ctx: PageContext
  title: string
  body: SafeHtml
  /** Anything but 200 makes the page script report `linkFailed` to the embedding page. */
  pageStatus?: number
  /** Set on pages reached by navigating inside the iframe (the booker's success page). */
  routeChanged?: boolean
}

/** The document around every booking page: one `.main` landmark, the stylesheet and the page script. */
export function layout({ ctx, title, body, pageStatus = 200, routeChanged = false }: LayoutInput): string {
  return `<!doctype html>\n${html`<html lang="en"${attr('class', ctx.embed ? 'embed embed-pending' : undefined)}${attr('data-theme', ctx.theme)}${attr('data-layout', ctx.layout)}${attr('data-page-status', pageStatus)}${attr('data-route-changed', routeChanged)}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} | Cal.com sandbox</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ctx.base}/_pages/booking-page.css">
<script src="${ctx.base}/_pages/embed-bridge.js" defer></script>
<script src="${ctx.base}/_pages/booking-steps.js" defer></script>
</head>
<body>
<main class="main" id="main">
${body}
</main>
</body>
</html>`}\n`
}
