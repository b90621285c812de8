import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { SandboxState } from '../state.js'
import type { SandboxEventType, SandboxHost } from '../types.js'
import { userOf } from './user-auth.js'

const Query = z.object({
  username: z.string().optional(),
  eventSlug: z.string().optional(),
  usernames: z.string().optional(),
  orgSlug: z.string().optional(),
  orgId: z.coerce.number().optional(),
  sortCreatedAt: z.enum(['asc', 'desc']).optional(),
})

/** The default booking fields of an event type with one location (§3.1): `location` only with more than one. */
const bookingFields = [
  { type: 'name', slug: 'name', isDefault: true, required: true },
  { type: 'email', slug: 'email', isDefault: true, required: true, hidden: false },
  { type: 'text', slug: 'title', isDefault: true, required: true, hidden: true },
  { type: 'textarea', slug: 'notes', isDefault: true, required: false, hidden: false },
  { type: 'multiemail', slug: 'guests', isDefault: true, required: false, hidden: false },
  { type: 'textarea', slug: 'rescheduleReason', isDefault: true, required: false, hidden: false },
]

/** EventTypeOutput_2024_06_14, the fields the sandbox has. */
export function eventTypeOutput(e: SandboxEventType, host: SandboxHost) {
  return {
    id: e.id, lengthInMinutes: e.length, title: e.title, slug: e.slug, description: e.description,
    locations: [{ type: 'integration', integration: 'cal-video' }],
    // The list route removes hidden booking fields.
    bookingFields: bookingFields.filter((f) => f.hidden !== true),
    disableGuests: false, slotInterval: null, minimumBookingNotice: 0, beforeEventBuffer: 0, afterEventBuffer: 0,
    recurrence: null, metadata: {}, price: 0, currency: 'usd', lockTimeZoneToggleOnBookingPage: false,
    seatsPerTimeSlot: null, forwardParamsSuccessRedirect: null, successRedirectUrl: null, isInstantEvent: false,
    seatsShowAvailabilityCount: null, scheduleId: null, hidden: false, bookingRequiresAuthentication: false,
    ownerId: host.id,
    users: [{ id: host.id, name: host.name, username: host.username, avatarUrl: null, weekStart: 'Sunday', brandColor: null, darkBrandColor: null, metadata: {} }],
  }
}

/** GET /v2/event-types (cal-api-version 2024-06-14): auth optional (OptionalApiAuthGuard). */
export const eventTypeRoutes: FastifyPluginAsyncZod<{ state: SandboxState }> = async (app, { state }) => {
  app.get('/v2/event-types', { schema: { querystring: Query } }, async (request) => {
    const caller = userOf(state, request)
    if (request.headers['cal-api-version'] !== '2024-06-14') {
      // Routed as 2024-04-15: the older controller and its older shape.
      return { status: 'success', data: { eventTypeGroups: [], profiles: [] } }
    }
    const q = request.query
    let host: SandboxHost | undefined
    if (q.username) host = state.findHost(q.username)
    else if (!q.usernames) host = caller
    if (!host) return { status: 'success', data: [] }
    let types = host.eventTypes
    if (q.eventSlug) types = types.filter((e) => e.slug === q.eventSlug)
    if (q.sortCreatedAt) types = [...types].sort((a, b) => (q.sortCreatedAt === 'asc' ? a.id - b.id : b.id - a.id))
    return { status: 'success', data: types.map((e) => eventTypeOutput(e, host!)) }
  })
}
