import { z } from 'zod'
import { CalHttpError, type SandboxBooking, type SandboxState } from '../state.js'
import { isValidTimeZone } from '../time.js'
import { bookingEvents, cancelEvents, type EmbedEvent } from './embed-events.js'
import { type PageContext, pageUrl, splitList } from './page-context.js'

export type PostOutcome =
  | { ok: true; booking: SandboxBooking; events: EmbedEvent[]; location: string }
  | { ok: false; status: number; code: string; message: string }

const BookingForm = z.object({
  start: z.iso.datetime({ offset: true, error: 'Choose a time before confirming.' }),
  name: z.string().trim().min(1, 'Enter your name.').max(200, 'Your name is too long (200 characters at most).'),
  email: z.email('Enter a valid email address, like name@example.com.'),
  notes: z.string().max(2000, 'The notes are too long (2,000 characters at most).'),
  guests: z.array(z.email('Each guest needs a valid email address, one per line.')).max(10, 'Invite at most 10 guests.'),
  timeZone: z.string(),
  rescheduleUid: z.string().optional(),
  rescheduleReason: z.string().max(2000).optional(),
})

const SLOT_GONE = 'That time is no longer available; someone may have just booked it. Please choose another time.'

const fail = (status: number, code: string, message: string): PostOutcome => ({ ok: false, status, code, message })

/** Turns the sandbox's Cal.com errors into words a visitor can act on. */
function fromCalError(err: unknown): PostOutcome {
  if (!(err instanceof CalHttpError)) throw err
  if (err.statusCode === 409) return fail(409, 'slot_taken', SLOT_GONE)
  if (err.statusCode === 404) return fail(404, 'not_found', err.message)
  return fail(err.statusCode, 'rejected', err.message === 'no_available_users_found_error' ? 'That time is not available. Please choose another time.' : err.message)
}

/** POST of the booking form: validate, book through the state (which sends the webhook), say what to fire. */
export async function createBooking(state: SandboxState, ctx: PageContext, username: string, slug: string, form: URLSearchParams): Promise<PostOutcome> {
  const host = state.findHost(username)
  const eventType = state.findEventType(username, slug)
  if (!host || !eventType) return fail(404, 'not_found', `There is no “${slug}” meeting to book with “${username}”.`)
  const parsed = BookingForm.safeParse({
    start: form.get('start') ?? '',
    name: form.get('name') ?? '',
    email: (form.get('email') ?? '').trim(),
    notes: form.get('notes') ?? '',
    guests: form.getAll('guests').flatMap(splitList),
    timeZone: form.get('timeZone') ?? '',
    rescheduleUid: form.get('rescheduleUid') || undefined,
    rescheduleReason: form.get('rescheduleReason') || undefined,
  })
  if (!parsed.success) return fail(400, 'invalid_form', parsed.error.issues[0]!.message)
  const f = parsed.data
  if (f.rescheduleUid && state.getBooking(f.rescheduleUid)?.hostUsername !== username) {
    return fail(400, 'invalid_reschedule', 'That booking cannot be moved to this page. Use the Reschedule link on the booking itself.')
  }
  const start = new Date(f.start)
  // Only the times the page offers: a stale or hand-made form must not book 9:07 or a Sunday.
  const offered = state.availableSlots(username, slug, { from: start, to: new Date(start.getTime() + 1) })
  if (!offered.includes(start.toISOString())) {
    return fail(409, 'slot_taken', SLOT_GONE)
  }
  const metadata: Record<string, string> = {}
  for (const [k, v] of form) {
    const m = /^metadata\[([^\]]{1,40})\]$/.exec(k)
    if (m && Object.keys(metadata).length < 50) metadata[m[1]!] = v.slice(0, 500)
  }
  try {
    const booking = await state.createBooking({
      hostUsername: username,
      eventTypeSlug: slug,
      start,
      attendee: { name: f.name, email: f.email, timeZone: isValidTimeZone(f.timeZone) ? f.timeZone : host.timeZone },
      guests: f.guests,
      notes: f.notes,
      metadata,
      ...(f.rescheduleUid ? { rescheduleUid: f.rescheduleUid, rescheduledBy: f.email } : {}),
      ...(f.rescheduleReason ? { rescheduleReason: f.rescheduleReason } : {}),
    })
    return {
      ok: true,
      booking,
      events: bookingEvents(booking, host, eventType),
      location: pageUrl(ctx, `/booking/${booking.uid}`, { isSuccessBookingPage: 'true', email: booking.attendee.email }),
    }
  } catch (err) {
    return fromCalError(err)
  }
}

/** POST of the cancel form. */
export async function cancelBooking(state: SandboxState, ctx: PageContext, uid: string, form: URLSearchParams): Promise<PostOutcome> {
  const existing = state.getBooking(uid)
  const host = existing && state.findHost(existing.hostUsername)
  const eventType = existing && state.findEventType(existing.hostUsername, existing.eventTypeSlug)
  if (!existing || !host || !eventType) return fail(404, 'not_found', 'There is no booking at this address.')
  try {
    const booking = await state.cancelBooking(uid, { reason: (form.get('reason') ?? '').trim().slice(0, 2000), cancelledBy: existing.attendee.email })
    return { ok: true, booking, events: cancelEvents(booking, host, eventType), location: pageUrl(ctx, `/booking/${uid}`) }
  } catch (err) {
    return fromCalError(err)
  }
}
