import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { PagesOptions } from '../plugin.js'
import { bookingPage } from './booking-page.js'
import { cancelBooking, createBooking, type PostOutcome } from './booking-actions.js'
import { eventPage } from './event-page.js'
import { notFoundPage } from './not-found-page.js'
import { type PageContext, pageContext } from './page-context.js'
import { profilePage } from './profile-page.js'
import { isoDateIn } from './format.js'
import { monthOfSlots } from './slots.js'

// The booking page holds no inline script or style, so it can afford a strict policy of its own.
// No frame-ancestors: embed.js must be able to frame it from any church site (Cal.com exempts /embed).
const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'"

const require = createRequire(import.meta.url)
/** The pages' own stylesheet and scripts, served from `<mount>/_pages/`. */
const ASSETS = ['booking-page.css', 'embed-bridge.js', 'booking-steps.js']

// From sources the assets sit beside this file; a compiled server (dist/server-build/demo/sandbox/pages/)
// reads them from the checkout it was built in.
function assetsDir(): URL {
  for (const candidate of ['./assets/', '../../../../../demo/sandbox/pages/assets/']) {
    const dir = new URL(candidate, import.meta.url)
    if (existsSync(new URL(ASSETS[0]!, dir))) return dir
  }
  throw new Error('demo/sandbox/pages/assets/ was not found next to the server; run from a checkout of the repository.')
}

function sendPage(reply: FastifyReply, status: number, body: string) {
  return reply.code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', PAGE_CSP)
    .header('cache-control', 'no-store')
    .send(body)
}

/** Form posts arrive urlencoded; keep repeated keys (guests) by staying a URLSearchParams. */
function formOf(body: unknown): URLSearchParams {
  if (body instanceof URLSearchParams) return body
  const out = new URLSearchParams()
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) for (const one of [v].flat()) out.append(k, String(one))
  }
  return out
}

const wantsJson = (request: FastifyRequest) => (request.headers.accept ?? '').includes('application/json')

/** Booking pages of the offline Cal.com: profile, event (slots → form), booking (cancel, reschedule), and embed.js. */
export const pagesRoutes: FastifyPluginAsync<PagesOptions> = async (app, { state }) => {
  const base = app.prefix
  const embedJs = await readFile(require.resolve('@calcom/embed-core/dist/embed/embed.js'))
  // Cal.com's CDN answers embed.js with an ETag and 304 to a cache holding it; so does the sandbox.
  const embedJsEtag = `"${createHash('sha256').update(embedJs).digest('hex').slice(0, 16)}"`
  const dir = assetsDir()
  const assets = new Map<string, { type: string; body: Buffer }>()
  for (const name of ASSETS) {
    const type = name.endsWith('.css') ? 'text/css; charset=utf-8' : 'application/javascript; charset=utf-8'
    assets.set(name, { type, body: await readFile(new URL(name, dir)) })
  }

  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_request, body, done) => done(null, new URLSearchParams(body as string)))
  }

  const ctxOf = (request: FastifyRequest) => pageContext(base, request.url, /\/embed\/?(\?|$)/.test(request.url))

  // The installed @calcom/embed-core build, byte for byte: the sandbox must run Cal.com's real embed.
  app.get('/embed/embed.js', async (request, reply) => {
    reply.header('cache-control', 'no-cache').header('etag', embedJsEtag)
    if (request.headers['if-none-match'] === embedJsEtag) return reply.code(304).send()
    return reply.header('content-type', 'application/javascript; charset=utf-8').send(embedJs)
  })
  for (const [name, asset] of assets) {
    app.get(`/_pages/${name}`, async (_request, reply) =>
      reply.header('content-type', asset.type).header('cache-control', 'no-cache').send(asset.body))
  }

  type UserParams = { Params: { username: string } }
  type EventParams = { Params: { username: string; slug: string } }
  type BookingParams = { Params: { uid: string } }

  const profile = async (request: FastifyRequest<UserParams>, reply: FastifyReply) => {
    const ctx = ctxOf(request)
    const host = state.findHost(request.params.username)
    if (!host) return sendPage(reply, 404, notFoundPage(ctx, `Nobody called “${request.params.username}” has a booking page here.`))
    return sendPage(reply, 200, profilePage(ctx, host))
  }
  app.get('/:username', profile)
  app.get('/:username/embed', profile)

  const renderEvent = (ctx: PageContext, reply: FastifyReply, username: string, slug: string, status = 200, error?: string, posted?: URLSearchParams) => {
    const host = state.findHost(username)
    const eventType = state.findEventType(username, slug)
    if (!host || !eventType) return sendPage(reply, 404, notFoundPage(ctx, `There is no “${slug}” meeting to book with “${username}”.`))
    const q = posted ?? ctx.query
    const rescheduleUid = q.get('rescheduleUid') ?? ctx.query.get('rescheduleUid')
    const reschedule = rescheduleUid ? state.getBooking(rescheduleUid) : undefined
    const usable = reschedule && reschedule.status === 'ACCEPTED' && reschedule.hostUsername === username ? reschedule : undefined
    const slotParam = posted?.get('start') ?? ctx.query.get('slot')
    const slot = slotParam && !Number.isNaN(Date.parse(slotParam)) ? new Date(slotParam) : undefined
    const p = ctx.prefill
    const values = posted
      ? { name: posted.get('name') ?? '', email: posted.get('email') ?? '', notes: posted.get('notes') ?? '', guests: posted.getAll('guests'), metadata: p.metadata }
      : { name: p.name || usable?.attendee.name || '', email: p.email || usable?.attendee.email || '', notes: p.notes, guests: p.guests, metadata: p.metadata }
    let notice = error
    if (rescheduleUid && !usable && !error) notice = 'That booking cannot be rescheduled (it is unknown or already cancelled); this makes a new booking.'
    return sendPage(reply, status, eventPage({
      ctx, host, eventType, days: monthOfSlots(state, username, slug), reschedule: usable, values, error: notice,
      slot, date: ctx.query.get('date') ?? (slot ? isoDateIn(host.timeZone, slot) : undefined),
    }))
  }

  const event = async (request: FastifyRequest<EventParams>, reply: FastifyReply) =>
    renderEvent(ctxOf(request), reply, request.params.username, request.params.slug)
  app.get('/:username/:slug', event)
  app.get('/:username/:slug/embed', event)

  const answer = (request: FastifyRequest, reply: FastifyReply, outcome: PostOutcome, onError: (status: number, message: string) => unknown) => {
    if (outcome.ok) {
      if (wantsJson(request)) return reply.code(200).send({ events: outcome.events, location: outcome.location, booking: outcome.booking })
      return reply.code(303).header('location', outcome.location).send()
    }
    if (wantsJson(request)) return reply.code(outcome.status).send({ error: { code: outcome.code, message: outcome.message } })
    return onError(outcome.status, outcome.message)
  }

  const book = async (request: FastifyRequest<EventParams>, reply: FastifyReply) => {
    const ctx = ctxOf(request)
    const { username, slug } = request.params
    const form = formOf(request.body)
    const outcome = await createBooking(state, ctx, username, slug, form)
    return answer(request, reply, outcome, (status, message) => renderEvent(ctx, reply, username, slug, status, message, form))
  }
  app.post('/:username/:slug', book)
  app.post('/:username/:slug/embed', book)

  const booking = async (request: FastifyRequest<BookingParams>, reply: FastifyReply) => {
    const ctx = ctxOf(request)
    const b = state.getBooking(request.params.uid)
    const host = b && state.findHost(b.hostUsername)
    if (!b || !host) return sendPage(reply, 404, notFoundPage(ctx, 'There is no booking at this address.'))
    return sendPage(reply, 200, bookingPage({
      ctx, booking: b, host, cancelling: ctx.query.get('cancel') === 'true', routeChanged: ctx.query.has('isSuccessBookingPage'),
    }))
  }
  app.get('/booking/:uid', booking)
  app.get('/booking/:uid/embed', booking)

  app.post('/booking/:uid/cancel', async (request: FastifyRequest<BookingParams>, reply) => {
    const ctx = ctxOf(request)
    const outcome = await cancelBooking(state, ctx, request.params.uid, formOf(request.body))
    return answer(request, reply, outcome, (status, message) => {
      const b = state.getBooking(request.params.uid)
      const host = b && state.findHost(b.hostUsername)
      if (!b || !host) return sendPage(reply, 404, notFoundPage(ctx, 'There is no booking at this address.'))
      return sendPage(reply, status, bookingPage({ ctx, booking: b, host, cancelling: true, routeChanged: false, error: message }))
    })
  })
}
