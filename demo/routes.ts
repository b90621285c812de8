import type { FastifyReply } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { SANDBOX_DEFAULTS } from '../server/config.js'
import { AppError } from '../server/errors.js'
import { ADMIN_PAGE_POLICY, builderPagePolicy } from './content-security-policy.js'
import { demoBar } from './demo-bar.js'
import { escapeHtml, loadPageFiles, renderPage } from './page-files.js'
import { DEMO_MEMBER, demoMemberToken } from './signed-in-member.js'

/** The pages a newcomer sees at `npm start`: a church site with the widget, in every mode. */
export const demoRoutes: FastifyPluginAsyncZod = async (app) => {
  const { templates, assets } = await loadPageFiles()
  const { config } = app
  const builderPolicy = builderPagePolicy(config)

  const send = (reply: FastifyReply, path: string, name: string, values: Parameters<typeof renderPage>[1] = {}) => {
    const template = templates.get(name)
    if (!template) throw new Error(`demo/pages/${name}.html is missing`)
    const html = renderPage(template, { ...values, html: { demoBar: demoBar(path, config), ...values.html } })
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'strict-origin-when-cross-origin')
      .send(html)
  }

  app.get('/', async (_request, reply) => send(reply, '/', 'index'))
  app.get('/demo', async (_request, reply) => reply.redirect('/'))
  app.get('/demo/popup', async (_request, reply) => send(reply, '/demo/popup', 'popup'))
  app.get('/demo/floating', async (_request, reply) => send(reply, '/demo/floating', 'floating'))
  app.get('/demo/questionnaire', async (_request, reply) => send(reply, '/demo/questionnaire', 'questionnaire'))

  for (const builder of ['squarespace', 'wordpress'] as const) {
    app.get(`/demo/${builder}`, async (_request, reply) => {
      reply.header('content-security-policy', builderPolicy)
      return send(reply, `/demo/${builder}`, builder)
    })
  }

  app.get('/demo/member', async (_request, reply) => {
    // This page vouches for a made-up member without anyone signing in, so it may only sign with
    // the sandbox's public development secret: with an operator's secret it would hand any
    // visitor an assertion the server trusts.
    const secret = config.memberAssertionSecret === SANDBOX_DEFAULTS.MEMBER_ASSERTION_SECRET ? config.memberAssertionSecret : undefined
    const [first = '', last = ''] = DEMO_MEMBER.name.split(' ')
    const widget = secret
      ? `<churchhub-booking username="zack" member-token="${escapeHtml(demoMemberToken(secret, app.clock.now()))}"></churchhub-booking>`
      : '<p class="panel">Member sign-in is a sandbox-only demo: this page signs in a made-up member with the sandbox\'s public development secret, and never with a secret of yours. On a real site, the church\'s own members area signs the assertion (see <code>MEMBER_ASSERTION_SECRET</code>).</p>'
    return send(reply, '/demo/member', 'member', {
      text: { memberName: DEMO_MEMBER.name, memberFirstName: first, memberInitials: `${first[0]}${last[0]}` },
      html: { memberWidget: widget },
    })
  })

  app.get('/demo/admin', async (_request, reply) => {
    // The development admin key is public knowledge; any other key never goes into a page.
    const keyMeta = config.adminApiKey === SANDBOX_DEFAULTS.ADMIN_API_KEY ? `<meta name="churchhub-admin-key" content="${escapeHtml(config.adminApiKey)}">` : ''
    reply.header('content-security-policy', ADMIN_PAGE_POLICY)
    return send(reply, '/demo/admin', 'admin', { html: { adminKeyMeta: keyMeta } })
  })

  app.get('/demo/assets/:file', { schema: { params: z.object({ file: z.string() }) } }, async (request, reply) => {
    const asset = assets.get(request.params.file)
    if (!asset) throw new AppError(404, 'not_found', `No demo asset named ${request.params.file}.`)
    return reply.header('content-type', asset.type).header('cache-control', 'no-cache').send(asset.body)
  })
}
