import { z } from 'zod'

/** Cal.com wraps every success as `{status:"success", data}` (docs/calcom.md, "API v2"). */
export const envelope = <T extends z.ZodType>(data: T) => z.object({ status: z.literal('success'), data })

/** ManagedUserOutput: only the fields we use; the rest may change without breaking us. */
export const ManagedUser = z.object({
  id: z.number().int(),
  email: z.string(),
  username: z.string().nullable(),
  name: z.string().nullable(),
  timeZone: z.string().optional(),
})
export type ManagedUser = z.infer<typeof ManagedUser>

/** Expiry times are milliseconds since the epoch on the wire. */
const epochMs = z.number().int().positive().transform((ms) => new Date(ms))

/** KeysResponseDto (force-refresh and refresh). */
export const TokenPair = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  accessTokenExpiresAt: epochMs,
  refreshTokenExpiresAt: epochMs,
})
export type TokenPair = z.infer<typeof TokenPair>

export const CreatedManagedUser = TokenPair.extend({ user: ManagedUser })
export type CreatedManagedUser = z.infer<typeof CreatedManagedUser>

/** GET /v2/me: who an access token belongs to. */
export const Me = z.object({ id: z.number().int(), email: z.string(), username: z.string().nullable() })
export type Me = z.infer<typeof Me>

/** Cal.com's error envelope; read only to name the failure in logs and audit. */
export const CalErrorBody = z.object({
  status: z.literal('error'),
  error: z.object({ code: z.string().optional(), message: z.string().optional() }).optional(),
})

export interface CreateManagedUserInput {
  email: string
  name: string
  timeZone?: string | undefined
}
