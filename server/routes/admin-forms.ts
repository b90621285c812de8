import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { recordAudit } from '../audit.js'
import { requireAdmin } from '../auth/admin-auth.js'
import { AppError } from '../errors.js'
import { FormDefinition } from '../forms/form-schema.js'
import { archiveForm, findForm, formVersions, listForms, type StoredForm, saveForm } from '../forms/forms-repository.js'
import { Slug } from './form-schemas.js'

const toReply = (f: StoredForm) => ({ ...f.definition, version: f.version, archived: f.archivedAt !== null, createdAt: f.createdAt.toISOString() })
const notFound = (slug: string) => new AppError(404, 'form_not_found', `No form "${slug}"; create it with POST /admin/forms.`)

/** The church's questionnaires: each POST of a slug makes its next version; DELETE archives. */
export const adminFormRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireAdmin)

  app.post('/admin/forms', { schema: { tags: ['admin'], security: [{ adminKey: [] }], summary: 'Create a questionnaire, or its next version', body: FormDefinition } }, async (request, reply) => {
    const form = await app.db.transaction().execute(async (trx) => {
      const saved = await saveForm(trx, request.body)
      await recordAudit(trx, { actor: 'admin', action: 'form.saved', subject: `form:${saved.slug}`, detail: { version: saved.version } })
      return saved
    })
    return reply.code(form.version === 1 ? 201 : 200).send(toReply(form))
  })

  app.get('/admin/forms', { schema: { tags: ['admin'], security: [{ adminKey: [] }], summary: 'Every questionnaire, current versions' } }, async () => ({ forms: (await listForms(app.db)).map(toReply) }))

  app.get('/admin/forms/:slug', { schema: { tags: ['admin'], security: [{ adminKey: [] }], summary: 'One questionnaire', params: z.object({ slug: Slug }) } }, async (request) => {
    const form = await findForm(app.db, request.params.slug)
    if (!form) throw notFound(request.params.slug)
    const versions = await formVersions(app.db, form.slug)
    return { ...toReply(form), versions: versions.map((v) => ({ version: v.version, createdAt: v.createdAt.toISOString() })) }
  })

  app.delete('/admin/forms/:slug', { schema: { tags: ['admin'], security: [{ adminKey: [] }], summary: 'Archive a questionnaire (answers keep their version)', params: z.object({ slug: Slug }) } }, async (request, reply) => {
    const { slug } = request.params
    if (!(await findForm(app.db, slug))) throw notFound(slug)
    if (await archiveForm(app.db, slug, app.clock.now())) await recordAudit(app.db, { actor: 'admin', action: 'form.archived', subject: `form:${slug}` })
    return reply.code(204).send()
  })
}
