import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { ManagedUser, SandboxState, TokenPair } from '../state.js'
import { isValidTimeZone } from '../time.js'
import { CalHttpError } from './cal-errors.js'
import { requireClientSecret } from './client-auth.js'

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const

const timeZone = z.string().refine(isValidTimeZone, 'timeZone must be a valid IANA time zone')
const metadata = z.record(z.string().max(40), z.union([z.string().max(500), z.number(), z.boolean()]))
  .refine((m) => Object.keys(m).length <= 50, 'metadata can have at most 50 keys')

const userFields = {
  name: z.string(),
  timeFormat: z.union([z.literal(12), z.literal(24)], { error: 'timeFormat must be 12 or 24' }).optional(),
  weekStart: z.enum(WEEKDAYS).optional(),
  locale: z.string().optional(),
  avatarUrl: z.url().optional(),
  bio: z.string().optional(),
  metadata: metadata.optional(),
}
const CreateBody = z.object({ email: z.string(), ...userFields, timeZone: timeZone.nullable().optional() })
const UpdateBody = z.object({
  email: z.string().optional(),
  ...userFields,
  name: z.string().optional(),
  timeZone: timeZone.optional(),
  defaultScheduleId: z.number().int().optional(),
})
const ClientParams = z.object({ clientId: z.string() })
const UserParams = z.object({
  clientId: z.string(),
  userId: z.string().regex(/^\d+$/, 'Validation failed (numeric string is expected)').transform(Number),
})
const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(250).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  emails: z.string().optional(),
})

const notPartOfClient = (id: number) => new CalHttpError(404, `User with ID ${id} is not part of this OAuth client.`)
const success = <T>(data: T) => ({ status: 'success' as const, data })
const keys = (t: TokenPair) => ({
  accessToken: t.accessToken,
  refreshToken: t.refreshToken,
  accessTokenExpiresAt: t.accessTokenExpiresAt,
  refreshTokenExpiresAt: t.refreshTokenExpiresAt,
})
const withUser = (user: ManagedUser | undefined, id: number) => {
  if (!user) throw notPartOfClient(id)
  return success(user)
}

/** Platform managed users (contract §2.2, rows 1–6), under /v2/oauth-clients/{clientId}/users. */
export const managedUserRoutes: FastifyPluginAsyncZod<{ state: SandboxState }> = async (app, { state }) => {
  app.addHook('onRequest', requireClientSecret(state))

  app.get('/v2/oauth-clients/:clientId/users', { schema: { params: ClientParams, querystring: ListQuery } }, async (request) => {
    const { limit, offset, emails } = request.query
    const list = emails?.split(',').map((e) => e.trim()).filter(Boolean)
    for (const email of list ?? []) if (!EMAIL.test(email)) throw new CalHttpError(400, `Invalid email ${email}`)
    return success(state.users.list({ limit, offset, ...(list ? { emails: list } : {}) }))
  })

  app.post('/v2/oauth-clients/:clientId/users', { schema: { params: ClientParams, body: CreateBody } }, async (request, reply) => {
    if (!EMAIL.test(request.body.email)) throw new CalHttpError(400, `Invalid email ${request.body.email}`)
    const { user, tokens } = state.users.create(request.body)
    return reply.code(201).send(success({ user, ...tokens }))
  })

  app.get('/v2/oauth-clients/:clientId/users/:userId', { schema: { params: UserParams } }, async (request) =>
    withUser(state.users.get(request.params.userId), request.params.userId))

  app.patch('/v2/oauth-clients/:clientId/users/:userId', { schema: { params: UserParams, body: UpdateBody } }, async (request) => {
    if (request.body.email !== undefined && !EMAIL.test(request.body.email)) throw new CalHttpError(400, `Invalid email ${request.body.email}`)
    return withUser(state.users.update(request.params.userId, request.body), request.params.userId)
  })

  app.delete('/v2/oauth-clients/:clientId/users/:userId', { schema: { params: UserParams } }, async (request) =>
    withUser(state.users.delete(request.params.userId), request.params.userId))

  app.post('/v2/oauth-clients/:clientId/users/:userId/force-refresh', { schema: { params: UserParams } }, async (request) => {
    const tokens = state.users.forceRefresh(request.params.userId)
    if (!tokens) throw notPartOfClient(request.params.userId)
    return success(keys(tokens))
  })
}

export { keys as tokenKeys, success }
