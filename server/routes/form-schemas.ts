import { z } from 'zod'

export const Slug = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'expected a form slug such as first-visit')
