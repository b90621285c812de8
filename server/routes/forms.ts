import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError, errorBody } from '../errors.js'
import { calPrefill, checkAnswers, type Lang, routeFor, summaryMessage } from '../forms/answers.js'
import type { FormDefinition } from '../forms/form-schema.js'
import { findForm } from '../forms/forms-repository.js'
import { storeResponse } from '../forms/responses-repository.js'
import { ErrorReply } from '../errors.js'
import { Slug } from './form-schemas.js'

export interface FormRouteOptions {
  /** Answers per IP per minute (default 20); false turns the limit off. */
  rateLimit?: { max: number; timeWindowMs: number } | false
}

const Lang = z.enum(['en', 'es']).catch('en')
const Text = z.object({ en: z.string(), es: z.string().optional() })
// What the browser needs to draw the form, and nothing of its routes, calFields or sensitivity.
const PublicForm = z.object({
  slug: z.string(),
  version: z.number(),
  title: Text,
  questions: z.array(z.object({
    id: z.string(), type: z.string(), label: Text, help: Text.optional(), required: z.boolean(),
    options: z.array(z.object({ value: z.string(), label: Text })).optional(),
  })),
})
const AnswerValue = z.union([z.string().max(10_000), z.array(z.string().max(1000)).max(50), z.boolean()])
const ResponseBody = z.object({ version: z.number().int().min(1), answers: z.record(z.string().max(40), AnswerValue), lang: z.string().max(35).optional() })
const ResponseReply = z.object({ responseId: z.string(), username: z.string().nullable(), event: z.string().nullable(), prefill: z.record(z.string(), z.string()) })

const toPublic = (slug: string, version: number, d: FormDefinition) => ({
  slug, version, title: d.title,
  questions: d.questions.map(({ id, type, label, help, required, options }) => ({ id, type, label, help, required, options })),
})
const langOf = (tag: string | undefined): Lang => Lang.parse((tag ?? '').toLowerCase().split(/[-_]/)[0])

/** The widget's side of a questionnaire: read the current version, send answers. */
export const formRoutes: FastifyPluginAsyncZod<FormRouteOptions> = async (app, options) => {
  const rateLimit = options.rateLimit === false ? false : { max: options.rateLimit?.max ?? 20, timeWindow: options.rateLimit?.timeWindowMs ?? 60_000 }

  app.get('/v1/forms/:slug', { schema: { tags: ['browser'], summary: 'A questionnaire as the widget draws it', params: z.object({ slug: Slug }), response: { 200: PublicForm, 404: ErrorReply } } }, async (request, reply) => {
    const form = await findForm(app.db, request.params.slug)
    if (!form || form.archivedAt) throw new AppError(404, 'form_not_found', `No form "${request.params.slug}" is open; an admin creates it with POST /admin/forms.`)
    // Short: an edited form should reach visitors within a minute.
    reply.header('cache-control', 'public, max-age=60')
    return toPublic(form.slug, form.version, form.definition)
  })

  app.post('/v1/forms/:slug/responses', {
    config: { rateLimit },
    schema: { tags: ['browser'], summary: 'A visitor\'s answers: checked, stored sealed, routed to a host', params: z.object({ slug: Slug }), body: ResponseBody, response: { 200: ResponseReply, 400: ErrorReply, 404: ErrorReply, 410: ErrorReply, 429: ErrorReply } },
  }, async (request, reply) => {
    const { slug } = request.params
    const { version, answers } = request.body
    const lang = langOf(request.body.lang)
    const form = await findForm(app.db, slug, version)
    if (!form) throw new AppError(404, 'form_not_found', `No version ${version} of form "${slug}"; load the form again.`)
    if (form.archivedAt) throw new AppError(410, 'form_archived', `The form "${slug}" no longer takes answers.`)
    const issues = checkAnswers(form.definition, answers, lang)
    if (issues.length) return reply.code(400).send(errorBody('invalid_answers', summaryMessage(lang), issues))
    const responseId = await storeResponse(app.db, app.keyRing, { formId: form.id, lang, answers, at: app.clock.now() })
    const route = routeFor(form.definition, answers)
    reply.header('cache-control', 'no-store')
    return { responseId, username: route?.username ?? null, event: route?.event ?? null, prefill: calPrefill(form.definition, answers) }
  })
}
