import type { SandboxHost } from '../state.js'
import { html } from './html.js'
import { layout } from './layout.js'
import { type PageContext, pageUrl } from './page-context.js'

/** The event-type object `eventTypeSelected` carries (a trimmed version of Cal's profile list item). */
export function eventTypeSummary(host: SandboxHost, slug: string) {
  const e = host.eventTypes.find((t) => t.slug === slug)!
  return { id: e.id, slug: e.slug, title: e.title, length: e.length, description: e.description, hidden: false, price: 0, currency: 'usd', users: [{ name: host.name, username: host.username }] }
}

/** `/<username>`: who the host is and the meetings one can book with him. */
export function profilePage(ctx: PageContext, host: SandboxHost): string {
  const body = html`
<header class="profile">
  <h1>${host.name}</h1>
  <p class="subtle">${host.bio}</p>
</header>
<h2 id="event-types-heading">Choose a meeting</h2>
<ul class="event-list" aria-labelledby="event-types-heading">
${host.eventTypes.map((e) => html`  <li><a href="${pageUrl(ctx, `/${host.username}/${e.slug}`)}" data-event-type="${JSON.stringify(eventTypeSummary(host, e.slug))}"><span class="title">${e.title}</span><span class="subtle">${e.length} minutes</span></a></li>
`)}</ul>`
  return layout({ ctx, title: host.name, body })
}
