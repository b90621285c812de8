import type { SandboxBooking, SandboxHost } from '../state.js'
import { whenText } from './format.js'
import { html } from './html.js'
import { layout } from './layout.js'
import { carriedQuery, type PageContext, pageUrl } from './page-context.js'

export interface BookingPageInput {
  ctx: PageContext
  booking: SandboxBooking
  host: SandboxHost
  /** `?cancel=true`: show the cancel form (Cal.com's cancel link). */
  cancelling: boolean
  /** Reached by booking or cancelling inside the iframe. */
  routeChanged: boolean
  error?: string | undefined
}

function heading(b: SandboxBooking): string {
  if (b.rescheduled) return 'This booking was rescheduled'
  if (b.status === 'CANCELLED') return 'This event is cancelled'
  return 'This meeting is scheduled'
}

/** `/booking/<uid>`: the success page after booking, with reschedule and cancel. */
export function bookingPage({ ctx, booking: b, host, cancelling, routeChanged, error }: BookingPageInput): string {
  const accepted = b.status === 'ACCEPTED'
  const body = html`
<header>
  <h1 class="${accepted ? 'status-accepted' : 'status-cancelled'}">${heading(b)}</h1>
  ${accepted ? html`<p class="subtle">A calendar invitation has been sent to ${b.attendee.email}${b.guests.length ? ' and your guests' : ''}.</p>` : ''}
</header>
<dl class="summary">
  <dt>What</dt><dd>${b.title}</dd>
  <dt>When</dt><dd>${whenText(new Date(b.startTime), new Date(b.endTime), host.timeZone, host.timeFormat)} (${host.timeZone})</dd>
  <dt>Who</dt><dd>${host.name} (host)<br>${b.attendee.name} (${b.attendee.email})${b.guests.map((g) => html`<br>${g}`)}</dd>
  <dt>Where</dt><dd>${b.location}</dd>
  ${b.notes ? html`<dt>Additional notes</dt><dd>${b.notes}</dd>` : ''}
  ${b.cancellationReason ? html`<dt>Reason for cancellation</dt><dd>${b.cancellationReason}</dd>` : ''}
</dl>
${b.rescheduledTo ? html`<p><a href="${pageUrl(ctx, `/booking/${b.rescheduledTo}`)}">See the new booking</a></p>` : ''}
${accepted && !cancelling ? html`
<p class="actions">Need to make a change?
  <a class="button" href="${pageUrl(ctx, `/${host.username}/${b.eventTypeSlug}`, { rescheduleUid: b.uid })}">Reschedule</a>
  <a class="button" href="${pageUrl(ctx, `/booking/${b.uid}`, { cancel: 'true' })}">Cancel</a>
</p>` : ''}
${accepted && cancelling ? html`
<section aria-labelledby="cancel-heading">
  <h2 id="cancel-heading">Cancel this booking</h2>
  <form method="post" action="${ctx.base}/booking/${b.uid}/cancel${carriedQuery(ctx)}" data-post>
    <div id="form-error" class="error" role="alert">${error}</div>
    <div class="field"><label for="field-reason">Reason for cancellation (optional)</label>
      <textarea id="field-reason" name="reason" maxlength="2000"></textarea></div>
    <div class="actions">
      <a class="button" href="${pageUrl(ctx, `/booking/${b.uid}`)}">Keep the booking</a>
      <button type="submit" class="primary">Cancel booking</button>
    </div>
  </form>
</section>` : ''}`
  return layout({ ctx, title: heading(b), body, routeChanged })
}
