import { z } from 'zod'

export const Slug = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'expected a form slug such as first-visit')
export const ErrorReply = z.object({ error: z.object({ code: z.string(), message: z.string() }) })
export const IssuesReply = z.object({
  error: z.object({ code: z.string(), message: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() }),
})
