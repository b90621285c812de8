import { z } from 'zod'

/** Words in English, and in Spanish when given (a missing `es` falls back to `en`). */
export const LocalText = z.object({ en: z.string().trim().min(1).max(1000), es: z.string().trim().min(1).max(1000).optional() })
export type LocalText = z.infer<typeof LocalText>

export const QUESTION_TYPES = ['text', 'textarea', 'choice', 'multichoice', 'consent'] as const
const WITH_OPTIONS = new Set(['choice', 'multichoice'])

const Key = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'expected 1–40 lower-case letters, digits, _ or -, starting with a letter')
/** Cal.com booking-question identifiers; the ones our own element fills are not the form's to set. */
const CalField = z.string().regex(/^[A-Za-z][\w-]{0,39}$/, 'expected a Cal.com booking-question identifier such as notes')
  .refine((f) => !['name', 'email', 'metadata'].includes(f), 'name and email come from the booker; metadata is ours')

const Question = z.object({
  id: Key,
  type: z.enum(QUESTION_TYPES),
  label: LocalText,
  help: LocalText.optional(),
  required: z.boolean(),
  options: z.array(z.object({ value: Key, label: LocalText })).min(1).max(50).optional(),
  /** Answers that never leave our server: never a Cal.com pre-fill. */
  sensitive: z.boolean(),
  /** A Cal.com booking question this answer pre-fills (non-sensitive answers only). */
  calField: CalField.optional(),
})
export type Question = z.infer<typeof Question>

const Route = z.object({
  when: z.object({ question: Key, equals: z.string().max(1000).optional(), includes: z.string().max(1000).optional() }),
  username: z.string().trim().min(1).max(100),
  event: z.string().trim().min(1).max(100).optional(),
})
export type Route = z.infer<typeof Route>

/** `POST /admin/forms`: every problem is reported, each at its path. */
export const FormDefinition = z.object({
  slug: Key,
  title: LocalText,
  questions: z.array(Question).min(1).max(50),
  routes: z.array(Route).max(50).optional(),
}).superRefine((form, ctx) => {
  const seen = new Map<string, Question>()
  form.questions.forEach((q, i) => {
    const at = (...rest: (string | number)[]) => ['questions', i, ...rest]
    if (seen.has(q.id)) ctx.addIssue({ code: 'custom', path: at('id'), message: `"${q.id}" is used by an earlier question; ids must be unique` })
    seen.set(q.id, q)
    if (WITH_OPTIONS.has(q.type) && !q.options) ctx.addIssue({ code: 'custom', path: at('options'), message: `a ${q.type} question needs options` })
    if (!WITH_OPTIONS.has(q.type) && q.options) ctx.addIssue({ code: 'custom', path: at('options'), message: `a ${q.type} question takes no options` })
    const values = q.options?.map((o) => o.value) ?? []
    if (new Set(values).size !== values.length) ctx.addIssue({ code: 'custom', path: at('options'), message: 'option values must be unique' })
    if (q.sensitive && q.calField) ctx.addIssue({ code: 'custom', path: at('calField'), message: 'a sensitive answer never leaves our server, so it cannot pre-fill a Cal.com field' })
  })
  form.routes?.forEach((r, i) => {
    const at = (...rest: string[]) => ['routes', i, 'when', ...rest]
    const q = seen.get(r.when.question)
    if (!q) return ctx.addIssue({ code: 'custom', path: at('question'), message: `no question "${r.when.question}" in this form` })
    if ((r.when.equals === undefined) === (r.when.includes === undefined)) {
      return ctx.addIssue({ code: 'custom', path: at(), message: 'give exactly one of equals or includes' })
    }
    if (r.when.includes !== undefined && q.type !== 'multichoice') ctx.addIssue({ code: 'custom', path: at('includes'), message: `includes is for multichoice questions; "${q.id}" is ${q.type}` })
    if (r.when.equals !== undefined && q.type === 'multichoice') ctx.addIssue({ code: 'custom', path: at('equals'), message: `"${q.id}" is multichoice: use includes` })
    const value = r.when.equals ?? r.when.includes
    if (q.options && value !== undefined && !q.options.some((o) => o.value === value)) {
      ctx.addIssue({ code: 'custom', path: at(r.when.equals !== undefined ? 'equals' : 'includes'), message: `"${value}" is not an option of "${q.id}"` })
    }
  })
})
export type FormDefinition = z.infer<typeof FormDefinition>

/** The words in a language, falling back to English. */
export const say = (text: LocalText, lang: string) => (lang === 'es' && text.es) || text.en
