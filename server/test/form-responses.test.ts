import { sql } from 'kysely'
import t from 'tap'
import { ManualClock } from '../clock.js'
import { purgeUnlinkedResponses } from '../forms/purge-unlinked-job.js'
import { build, captureLogger, testConfig } from './helpers.js'
import { ADMIN, firstVisitForm } from './form-fixture.js'
import { bookingPayload, deliver, envelope } from './webhook-factory.js'

const capture = captureLogger()
const clock = new ManualClock('2026-03-01T12:00:00.000Z')
const { app, db } = await build(t, { logger: capture.logger, clock, config: testConfig({ ALLOWED_ORIGINS: 'https://gracechurch.org' }) })
if ((await app.inject({ method: 'POST', url: '/admin/forms', payload: firstVisitForm(), headers: ADMIN })).statusCode !== 201) throw new Error('form not saved')

const SECRET = 'My husband died in March and I cannot sleep'
type Answers = Record<string, string | string[] | boolean>
const answer = (answers: Answers, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/v1/forms/first-visit/responses', payload: { version: 1, answers, lang: 'en', ...extra }, headers })
const good: Answers = { topic: 'grief', story: SECRET, agree: true }

t.test('the public form carries what the browser draws, and nothing of routes, calFields or sensitivity', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/v1/forms/first-visit', headers: { origin: 'https://gracechurch.org' } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['access-control-allow-origin'], 'https://gracechurch.org')
  const form = res.json()
  t.same(Object.keys(form), ['slug', 'version', 'title', 'questions'])
  t.same(Object.keys(form.questions[0]), ['id', 'type', 'label', 'required', 'options'])
  t.notOk(JSON.stringify(form).includes('zack'), 'no route target')
  t.equal((await app.inject({ method: 'GET', url: '/v1/forms/nope' })).statusCode, 404)
  t.equal((await app.inject({ method: 'GET', url: '/v1/forms/first-visit', headers: { origin: 'https://evil.example' } })).statusCode, 403, 'origin check as other browser routes')
})

t.test('each question type is checked, one issue per question, in the visitor\'s language', async (t) => {
  const bad = { topic: 'weddings', story: ['not', 'text'], name: 'x'.repeat(501), ages: ['kids', 'pets'], agree: 'yes', extra: 'x' }
  const en = await answer(bad)
  t.equal(en.statusCode, 400)
  t.equal(en.json().error.code, 'invalid_answers')
  t.same(en.json().error.issues, [
    { path: 'topic', message: 'Please choose one of the options.' },
    { path: 'story', message: 'Please answer with text.' },
    { path: 'name', message: 'Please shorten this answer to at most 500 characters.' },
    { path: 'ages', message: 'Please choose one of the options.' },
    { path: 'agree', message: 'Please tick this box to continue.' },
    { path: 'extra', message: 'This form has no such question.' },
  ])
  const es = await answer({}, { lang: 'es-MX' })
  t.same(es.json().error, {
    code: 'invalid_answers', message: 'Revise las respuestas marcadas abajo.',
    issues: [{ path: 'topic', message: 'Por favor, responda esta pregunta.' }, { path: 'agree', message: 'Marque esta casilla para continuar.' }],
  })
  t.equal((await answer({ topic: 'grief', agree: false })).json().error.issues[0].path, 'agree', 'an unticked required consent is missing')
})

t.test('routes: first match wins; no match leaves the element\'s own host; pre-fills only non-sensitive calFields', async (t) => {
  const grief = (await answer(good)).json()
  t.same([grief.username, grief.event], ['zack', '60min'])
  t.same(grief.prefill, { notes: 'Grief and loss' }, 'the choice\'s label, never the sensitive story')
  const both = (await answer({ topic: 'grief', ages: ['teens'], agree: true })).json()
  t.same([both.username, both.event], ['zack', '60min'], 'the first matching route, not the later includes')
  const teens = (await answer({ topic: 'other', ages: ['kids', 'teens'], agree: true })).json()
  t.same([teens.username, teens.event], ['maria', '30min'], 'includes on a multichoice')
  const other = (await answer({ topic: 'other', agree: true })).json()
  t.same([other.username, other.event], [null, null])
  t.match(grief.responseId, /^r_[\w-]{22}$/)
  t.not(grief.responseId, other.responseId)
})

t.test('version pinning: answers are checked against the version they were given for', async (t) => {
  const v2 = firstVisitForm()
  v2.questions = v2.questions.filter((q) => q.id !== 'agree')
  await app.inject({ method: 'POST', url: '/admin/forms', payload: v2, headers: ADMIN })
  t.equal((await answer({ topic: 'grief' })).statusCode, 400, 'version 1 still needs the consent')
  t.equal((await answer({ topic: 'grief' }, { version: 2 })).statusCode, 200, 'version 2 does not')
  t.equal((await answer({ topic: 'grief', agree: true }, { version: 2 })).json().error.issues[0].path, 'agree', 'version 2 has no such question')
  t.equal((await answer(good, { version: 9 })).statusCode, 404)
})

const book = (uid: string, metadata: Record<string, string>, extra: Record<string, unknown> = {}, trigger = 'BOOKING_CREATED') =>
  deliver(app, envelope(trigger, bookingPayload({ uid, metadata: { videoCallUrl: 'https://app.cal.com/video/x', ...metadata }, ...extra })))
const audits = async (action: string) => (await db.selectFrom('audit_log').select(['subject', 'detail']).where('action', '=', action).orderBy('id').execute())
const detail = (uid: string) => app.inject({ method: 'GET', url: `/admin/bookings/${uid}`, headers: ADMIN })

t.test('a booking whose metadata carries the response id is tied to it; the admin reads the answers', async (t) => {
  const { responseId } = (await answer(good)).json()
  t.equal((await book('BK1', { churchhubResponse: responseId })).statusCode, 200)
  const read = (await detail('BK1')).json()
  t.same(read.answers.answers, [
    { question: 'topic', label: 'What would you like to talk about?', type: 'choice', sensitive: false, value: 'Grief and loss' },
    { question: 'story', label: 'Anything you would like us to know?', type: 'textarea', sensitive: true, value: SECRET },
    { question: 'agree', label: 'I agree that the church keeps my answers', type: 'consent', sensitive: false, value: true },
  ])
  t.same([read.answers.responseId, read.answers.form, read.answers.version], [responseId, 'first-visit', 1])
  t.same((await audits('booking.read')).at(-1), { subject: 'booking:BK1', detail: { answers: true } }, 'the read is audited')
  await book('BK-PLAIN', {})
  const list = (await app.inject({ method: 'GET', url: '/admin/bookings', headers: ADMIN })).json().bookings
  t.same(list.map((b: { uid: string; hasAnswers: boolean }) => [b.uid, b.hasAnswers]), [['BK-PLAIN', false], ['BK1', true]])
  t.equal((await detail('BK-PLAIN')).json().answers, null)
  t.equal((await detail('BK-NONE')).statusCode, 404)

  t.equal((await book('BK1', { churchhubResponse: responseId }, {}, 'BOOKING_CANCELLED')).statusCode, 200)
  t.equal((await detail('BK1')).json().answers.responseId, responseId, 'a later event of the same booking keeps the link')
  t.equal((await book('BK1-MOVED', { churchhubResponse: responseId }, { rescheduleUid: 'BK1' }, 'BOOKING_RESCHEDULED')).statusCode, 200)
  t.equal((await detail('BK1-MOVED')).json().answers.responseId, responseId, 'a reschedule moves the answers to the new booking')
})

t.test('a second booking naming a linked response, and a forged or unknown id, are refused and audited', async (t) => {
  const { responseId } = (await answer(good)).json()
  await book('BK2', { churchhubResponse: responseId })
  const before = (await audits('response.link_refused')).length
  t.equal((await book('BK3', { churchhubResponse: responseId })).statusCode, 200, 'the delivery itself is still accepted')
  t.equal((await detail('BK3')).json().answers, null)
  t.equal((await detail('BK2')).json().answers.responseId, responseId, 'the first booking keeps its answers')
  await book('BK4', { churchhubResponse: 'r_AAAAAAAAAAAAAAAAAAAAAA' })
  await book('BK5', { churchhubResponse: '<script>forged</script>' })
  t.same((await audits('response.link_refused')).slice(before).map((a) => [a.subject, (a.detail as { reason: string }).reason]), [
    ['booking:BK3', 'already_linked'], ['booking:BK4', 'unknown_response'], ['booking:BK5', 'unknown_response'],
  ])
  t.notOk(JSON.stringify(await audits('response.link_refused')).includes('forged'), 'what was sent is not kept')
})

t.test('answers are sealed at rest and never reach the log', async (t) => {
  const { rows } = await sql<{ row: string }>`select row_to_json(r)::text as row from form_responses r`.execute(db)
  t.ok(rows.length > 0)
  const dump = rows.map((r) => r.row).join('\n')
  t.notOk(dump.includes(SECRET), 'the sensitive story is not in any column')
  t.notOk(dump.includes('grief'), 'nor is a choice')
  const stored = await db.selectFrom('webhook_deliveries').select('raw_body').execute()
  // Raw bodies are sealed at rest: opened, they still do not hold it, since it never went to Cal.com.
  t.ok(stored.length > 0)
  t.notOk(stored.some((d) => d.raw_body !== null && app.keyRing.decrypt(d.raw_body).includes(SECRET)), 'nor in a stored webhook')
  t.notOk(capture.text().includes(SECRET), 'nor in the log')
})

t.test('responses not tied to a booking within 24 hours are deleted; linked ones stay', async (t) => {
  await db.deleteFrom('form_responses').where('booking_uid', 'is', null).execute()
  const waiting = (await answer(good)).json().responseId
  const linked = (await answer(good)).json().responseId
  await book('BK6', { churchhubResponse: linked })
  clock.advance(24 * 3600_000 - 1)
  t.equal(await purgeUnlinkedResponses({ db, clock }), 0, 'not before 24 hours')
  clock.advance(2)
  const fresh = (await answer(good)).json().responseId
  t.equal(await purgeUnlinkedResponses({ db, clock }), 1)
  const left = await db.selectFrom('form_responses').select('response_id').where('response_id', 'in', [waiting, linked, fresh]).orderBy('id').execute()
  t.same(left.map((r) => r.response_id), [linked, fresh])
  await book('BK7', { churchhubResponse: waiting })
  t.equal((await audits('response.link_refused')).at(-1)?.subject, 'booking:BK7', 'a booking arriving after the purge finds nothing and is audited')
})

t.test('answers are rate limited per address', async (t) => {
  const limited = await build(t, { formRateLimit: { max: 2, timeWindowMs: 60_000 } })
  await limited.app.inject({ method: 'POST', url: '/admin/forms', payload: firstVisitForm(), headers: ADMIN })
  const send = () => limited.app.inject({ method: 'POST', url: '/v1/forms/first-visit/responses', payload: { version: 1, answers: good } })
  t.same([(await send()).statusCode, (await send()).statusCode, (await send()).statusCode], [200, 200, 429])
})

t.test('a person\'s export carries their answers, and erasing the person deletes them', async (t) => {
  const who = { email: 'answers.person@example.org', name: 'Answers Person' }
  const { responseId } = (await answer(good)).json()
  t.equal((await book('BK-ERASE', { churchhubResponse: responseId }, { attendees: [who] })).statusCode, 200)
  const query = `email=${encodeURIComponent(who.email)}`
  const exported = (await app.inject({ url: `/admin/people/export?${query}`, headers: ADMIN })).json()
  t.same(exported.bookings.map((b: { answers: { responseId: string } | null }) => b.answers?.responseId), [responseId], 'one booking, with its answers')
  t.equal((await app.inject({ method: 'POST', url: '/admin/people/erase', payload: { email: who.email }, headers: ADMIN })).statusCode, 200)
  t.same(await db.selectFrom('form_responses').select('id').where('response_id', '=', responseId).execute(), [], 'the answers are gone')
  t.equal((await detail('BK-ERASE')).json().answers, null)
})
