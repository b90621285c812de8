import { z } from 'zod'

export const Username = z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected letters, digits, "-" or "_" (at most 64)')

/** A Cal.com booking link: `user`, `user/event`, `team/slug[/event]`; no scheme, no leading slash. */
export const CalLink = z.string().trim().max(200).regex(/^[A-Za-z0-9][\w.-]*(\/[\w.-]+)*$/, 'expected a Cal.com link such as "zack" or "team/youth/30min", without the origin')
  .refine((v) => !v.split('/').includes('..'), 'must not contain ".."')

export const CalOrigin = z.url({ protocol: /^https?$/, error: 'expected an origin such as https://cal.example.org' })
  .transform((v) => v.replace(/\/+$/, ''))
  .refine((v) => !/[?#]/.test(v), 'expected an origin (or base URL) without query or fragment')

export const EventType = z.object({
  slug: z.string().trim().regex(/^[\w-]{1,100}$/, 'expected an event-type slug such as "30min"'),
  title: z.string().trim().min(1).max(200),
  length: z.number().int().min(1).max(1440),
})
