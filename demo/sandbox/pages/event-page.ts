import type { SandboxBooking, SandboxEventType, SandboxHost } from '../state.js'
import { longDay, monthName, timeOfDay, whenText } from './format.js'
import { attr, html, type SafeHtml } from './html.js'
import { layout } from './layout.js'
import { carriedQuery, type PageContext } from './page-context.js'
import type { Day } from './slots.js'

export interface FormValues { name: string; email: string; notes: string; guests: string[]; metadata: Record<string, string> }

export interface EventPageInput {
  ctx: PageContext
  host: SandboxHost
  eventType: SandboxEventType
  days: Day[]
  /** Booker state from the query (`date`, `slot`), honoured so the page works without its script. */
  date?: string | undefined
  slot?: Date | undefined
  /** The booking being moved (`rescheduleUid`). */
  reschedule?: SandboxBooking | undefined
  values: FormValues
  error?: string | undefined
}

const DOW = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** Hidden copies of the page's query (minus the keys the form itself sets), for the GET step forms. */
function hiddenQuery(ctx: PageContext, omit: string[]): SafeHtml[] {
  return [...ctx.query].filter(([k]) => !omit.includes(k))
    .map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)
}

function calendar(input: EventPageInput): SafeHtml {
  const { days, date } = input
  const months = new Map<string, Day[]>()
  for (const d of days) {
    const key = d.date.slice(0, 7)
    months.set(key, [...(months.get(key) ?? []), d])
  }
  return html`${[...months].map(([key, list]) => html`
  <h3 id="month-${key}">${monthName(list[0]!.date)}</h3>
  <div class="calendar" role="group" aria-labelledby="month-${key}">
    ${DOW.map((d) => html`<span class="dow" aria-hidden="true">${d}</span>`)}
    ${Array.from({ length: list[0]!.weekday }, () => html`<span></span>`)}
    ${list.map((d) => {
      const n = d.slots.length
      const label = `${longDay(d.date)}: ${n === 0 ? 'no times available' : n === 1 ? '1 time available' : `${n} times available`}`
      return html`<button type="submit" name="date" value="${d.date}" aria-label="${label}" aria-pressed="${String(d.date === date)}"${attr('disabled', n === 0)}>${Number(d.date.slice(8))}</button>`
    })}
  </div>`)}`
}

function times(input: EventPageInput): SafeHtml {
  const { ctx, host, days, date, slot } = input
  const tf = host.timeFormat
  return html`
<section id="times" aria-labelledby="times-heading">
  <h2 id="times-heading">Choose a time</h2>
  <p id="times-hint" class="subtle"${attr('hidden', days.some((d) => d.date === date && d.slots.length > 0))}>Choose a date to see the times free on it.</p>
  <form class="pick" method="get">
  ${hiddenQuery(ctx, ['date', 'slot'])}
  ${days.filter((d) => d.slots.length > 0).map((d) => html`
  <div data-times-for="${d.date}"${attr('hidden', d.date !== date)}>
    <h3 id="times-${d.date}" tabindex="-1">${longDay(d.date)}</h3>
    <ul class="slots" aria-labelledby="times-${d.date}">
    ${d.slots.map((s) => html`<li><button type="submit" name="slot" value="${s.start.toISOString()}" aria-pressed="${String(slot?.getTime() === s.start.getTime())}" aria-label="${timeOfDay(s.start, host.timeZone, tf)}, ${longDay(d.date)}" data-label="${whenText(s.start, s.end, host.timeZone, tf)}">${timeOfDay(s.start, host.timeZone, tf)}</button></li>`)}
    </ul>
  </div>`)}
  </form>
</section>`
}

function details(input: EventPageInput): SafeHtml {
  const { ctx, host, eventType, slot, reschedule, values, error, date } = input
  const end = slot && new Date(slot.getTime() + eventType.length * 60_000)
  const back = `${carriedQuery(ctx, { date, ...(reschedule ? { rescheduleUid: reschedule.uid } : {}) })}`
  return html`
<section id="details" aria-labelledby="details-heading"${attr('hidden', !slot)}>
  <h2 id="details-heading" tabindex="-1">${reschedule ? 'Confirm the new time' : 'Your details'}</h2>
  <p>Selected time: <strong id="chosen-slot">${slot && end ? whenText(slot, end, host.timeZone, host.timeFormat) : ''}</strong></p>
  <form method="post" action="${ctx.base}/${host.username}/${eventType.slug}${ctx.embed ? '/embed' : ''}${carriedQuery(ctx)}" data-post>
    <div id="form-error" class="error" role="alert">${error}</div>
    <input type="hidden" name="start" id="field-start" value="${slot?.toISOString() ?? ''}">
    <input type="hidden" name="timeZone" id="field-timeZone" value="${host.timeZone}">
    ${reschedule ? html`<input type="hidden" name="rescheduleUid" value="${reschedule.uid}">` : ''}
    ${Object.entries(values.metadata).map(([k, v]) => html`<input type="hidden" name="metadata[${k}]" value="${v}">`)}
    <div class="field"><label for="field-name">Your name</label>
      <input id="field-name" name="name" autocomplete="name" required maxlength="200" value="${values.name}"></div>
    <div class="field"><label for="field-email">Email address</label>
      <input id="field-email" name="email" type="email" autocomplete="email" required maxlength="320" value="${values.email}"></div>
    <div class="field"><label for="field-notes">Additional notes</label>
      <textarea id="field-notes" name="notes" maxlength="2000" aria-describedby="notes-hint">${values.notes}</textarea>
      <span id="notes-hint" class="hint">Anything that will help prepare for the meeting.</span></div>
    <div class="field"><label for="field-guests">Additional guests</label>
      <textarea id="field-guests" name="guests" aria-describedby="guests-hint">${values.guests.join('\n')}</textarea>
      <span id="guests-hint" class="hint">Email addresses of anyone else to invite, one per line.</span></div>
    ${reschedule ? html`<div class="field"><label for="field-reason">Reason for rescheduling</label>
      <textarea id="field-reason" name="rescheduleReason" maxlength="2000"></textarea></div>` : ''}
    <div class="actions">
      <a class="button" id="change-time" href="${back}">Change time</a>
      <button type="submit" class="primary">${reschedule ? 'Reschedule' : 'Confirm'}</button>
    </div>
  </form>
</section>`
}

/** `/<username>/<slug>`: a month of free slots → a time → the booking form. */
export function eventPage(input: EventPageInput): string {
  const { ctx, host, eventType, reschedule } = input
  const body = html`
<header class="event-details">
  <p class="subtle">${host.name}</p>
  <h1>${eventType.title}</h1>
  <ul class="facts"><li>${eventType.length} minutes</li><li>Cal Video</li><li>Times in ${host.timeZone}</li></ul>
  ${eventType.description ? html`<p>${eventType.description}</p>` : ''}
</header>
${reschedule ? html`<p class="notice">Rescheduling your booking of ${whenText(new Date(reschedule.startTime), new Date(reschedule.endTime), host.timeZone, host.timeFormat)}. Choose a new time.</p>` : ''}
<div class="booker">
<section id="dates" aria-labelledby="dates-heading">
  <h2 id="dates-heading">Choose a date</h2>
  <form class="pick" method="get">
    ${hiddenQuery(ctx, ['date', 'slot'])}
    ${calendar(input)}
  </form>
</section>
${times(input)}
${details(input)}
</div>`
  return layout({ ctx, title: `${eventType.title} with ${host.name}`, body })
}
