import t from 'tap'
import { build } from './helpers.js'
import { ADMIN, firstVisitForm } from './form-fixture.js'

const { app } = await build(t)
const post = (payload: unknown, headers = ADMIN) => app.inject({ method: 'POST', url: '/admin/forms', payload: payload as object, headers })
const get = (url: string) => app.inject({ method: 'GET', url, headers: ADMIN })

t.test('admin form routes need the admin key', async (t) => {
  t.equal((await post(firstVisitForm(), {} as typeof ADMIN)).statusCode, 401)
  t.equal((await app.inject({ method: 'GET', url: '/admin/forms' })).statusCode, 401)
  t.equal((await app.inject({ method: 'DELETE', url: '/admin/forms/first-visit' })).statusCode, 401)
})

t.test('each POST of a slug is a new version; GET shows the newest and the list of versions', async (t) => {
  const first = await post(firstVisitForm())
  t.equal(first.statusCode, 201)
  t.equal(first.json().version, 1)
  const second = await post(firstVisitForm({ title: { en: 'Talk with a pastor' } }))
  t.equal(second.statusCode, 200)
  t.equal(second.json().version, 2)
  const read = (await get('/admin/forms/first-visit')).json()
  t.same(read.title, { en: 'Talk with a pastor' })
  t.same(read.versions.map((v: { version: number }) => v.version), [1, 2])
  t.same(read.routes, firstVisitForm().routes, 'routes are the admin\'s to read')
  await post(firstVisitForm({ slug: 'prayer' }))
  t.same((await get('/admin/forms')).json().forms.map((f: { slug: string; version: number }) => [f.slug, f.version]), [['first-visit', 2], ['prayer', 1]])
})

t.test('DELETE archives: the public form is gone, the admin still reads it', async (t) => {
  await post(firstVisitForm({ slug: 'old-form' }))
  t.equal((await app.inject({ method: 'DELETE', url: '/admin/forms/old-form', headers: ADMIN })).statusCode, 204)
  t.equal((await get('/admin/forms/old-form')).json().archived, true)
  t.equal((await app.inject({ method: 'GET', url: '/v1/forms/old-form' })).statusCode, 404)
  t.equal((await app.inject({ method: 'DELETE', url: '/admin/forms/never-made', headers: ADMIN })).statusCode, 404)
  const revived = await post(firstVisitForm({ slug: 'old-form' }))
  t.same([revived.json().version, revived.json().archived], [2, false], 'posting it again opens it as the next version')
})

t.test('an invalid form is refused with every problem named at its path', async (t) => {
  const form = firstVisitForm()
  const questions = structuredClone(form.questions) as Record<string, unknown>[]
  questions[1] = { ...questions[1], calField: 'notes' } // a sensitive answer sent to Cal.com
  questions[3] = { ...questions[3], options: undefined } // multichoice without options
  questions[4] = { ...questions[4], id: 'name' } // a duplicate id
  const res = await post({
    ...form, slug: 'Bad Slug', questions,
    routes: [
      { when: { question: 'nope', equals: 'x' }, username: 'zack' },
      { when: { question: 'topic', equals: 'grief', includes: 'grief' }, username: 'zack' },
      { when: { question: 'topic', equals: 'weddings' }, username: 'zack' },
      { when: { question: 'topic', includes: 'grief' }, username: 'zack' },
    ],
  })
  t.equal(res.statusCode, 400)
  t.equal(res.json().error.code, 'invalid_request')
  t.same(res.json().error.issues.map((i: { path: string }) => i.path), [
    'body.slug', 'body.questions.1.calField', 'body.questions.3.options', 'body.questions.4.id',
    'body.routes.0.when.question', 'body.routes.1.when', 'body.routes.2.when.equals', 'body.routes.3.when.includes',
  ])
  t.match(res.json().error.issues[1].message, /sensitive answer never leaves our server/)
  t.same((await get('/admin/forms/bad-slug')).statusCode, 404, 'nothing was stored')
})
