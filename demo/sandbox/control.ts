import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { CalHttpError } from './api/cal-errors.js'
import type { SandboxState } from './state.js'

const FaultBody = z.object({
  path: z.string().startsWith('/'),
  method: z.string().optional(),
  except: z.array(z.string().startsWith('/')).optional(),
  fault: z.union([z.literal('hang'), z.literal('drop'), z.number().int().min(400).max(599)]),
  times: z.number().int().min(1).optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
  hangMs: z.number().int().min(0).optional(),
})
const ClockBody = z.union([
  z.object({ advanceMs: z.number().int() }),
  z.object({ set: z.iso.datetime({ offset: true }) }),
])
const BookingBody = z.object({
  hostUsername: z.string(),
  eventTypeSlug: z.string(),
  start: z.iso.datetime({ offset: true }),
  attendee: z.object({ name: z.string(), email: z.string(), timeZone: z.string().optional(), locale: z.string().optional() }),
  guests: z.array(z.string()).optional(),
  notes: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  rescheduleUid: z.string().optional(),
  rescheduledBy: z.string().optional(),
  rescheduleReason: z.string().optional(),
})
const DropsBody = z.union([
  z.object({ times: z.number().int().min(1) }).strict(),
  z.object({ percent: z.number().min(0).max(100), seed: z.number().int().optional() }).strict(),
  z.object({}).strict(),
])
const CancelBody = z.object({ reason: z.string().optional(), cancelledBy: z.string().optional() }).default({})

/**
 * `<mount>/_control/...`: what a test in another process needs to drive the sandbox — faults, time,
 * bookings without a browser, and the deliveries made. Sandbox mode only, like the rest of the mount.
 */
export const controlRoutes: FastifyPluginAsyncZod<{ state: SandboxState }> = async (app, { state }) => {
  app.get('/_control/faults', async () => ({ faults: state.faults.list() }))
  app.post('/_control/faults', { schema: { body: FaultBody } }, async (request, reply) =>
    reply.code(201).send({ fault: state.faults.add(request.body) }))
  app.delete('/_control/faults', async () => { state.faults.clear(); return { faults: [] } })
  app.delete('/_control/faults/:id', { schema: { params: z.object({ id: z.coerce.number().int() }) } }, async (request) => {
    state.faults.remove(request.params.id)
    return { faults: state.faults.list() }
  })

  app.get('/_control/clock', async () => ({ now: state.clock.now().toISOString() }))
  app.post('/_control/clock', { schema: { body: ClockBody } }, async (request) => {
    const body = request.body
    state.clock.advance('advanceMs' in body ? body.advanceMs : Date.parse(body.set) - state.clock.now().getTime())
    return { now: state.clock.now().toISOString() }
  })

  app.post('/_control/bookings', { schema: { body: BookingBody } }, async (request, reply) => {
    const { start, ...rest } = request.body
    return reply.code(201).send({ booking: await state.createBooking({ ...rest, start: new Date(start) }) })
  })
  app.post('/_control/bookings/:uid/cancel', { schema: { params: z.object({ uid: z.string() }), body: CancelBody } }, async (request) =>
    ({ booking: await state.cancelBooking(request.params.uid, request.body ?? {}) }))
  app.get('/_control/bookings/:uid', { schema: { params: z.object({ uid: z.string() }) } }, async (request) => {
    const booking = state.getBooking(request.params.uid)
    if (!booking) throw new CalHttpError(404, `Booking with uid ${request.params.uid} not found.`)
    return { booking }
  })

  app.get('/_control/deliveries', async () => ({ deliveries: state.deliveries }))

  // Lost deliveries: {times: N} the next N, {percent: P} each with probability P/100 (a `seed`
  // makes the losses repeatable), {} all until DELETE. Cal.com never retries, so they stay lost.
  app.post('/_control/webhook-drops', { schema: { body: DropsBody } }, async (request) => {
    const body = request.body as { times?: number; percent?: number; seed?: number }
    if (body.times !== undefined) state.drops.arm({ times: body.times })
    else if (body.percent !== undefined) state.drops.arm({ percent: body.percent }, body.seed === undefined ? undefined : seeded(body.seed))
    else state.drops.arm({})
    return { drops: state.drops.describe(), dropped: state.drops.dropped }
  })
  app.get('/_control/webhook-drops', async () => ({ drops: state.drops.describe(), dropped: state.drops.dropped }))
  app.delete('/_control/webhook-drops', async () => { state.drops.clear(); return { drops: null, dropped: state.drops.dropped } })
}

/** mulberry32: a small repeatable generator for seeded drops. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
