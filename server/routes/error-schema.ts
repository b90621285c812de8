import { z } from 'zod'

/** The one error shape every refusal answers with (server/errors.ts), as the routes declare it. */
export const ErrorReply = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
}).meta({ id: 'Error' })
