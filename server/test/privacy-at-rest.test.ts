import t from 'tap'
import type { CalClient } from '../cal/client.js'
import { startCal } from './cal-helpers.js'
import { build, testConfig } from './helpers.js'
import { ADMIN, dumpAllRows, pgDump } from './privacy-kit.js'
import { TOKEN_KEY } from './token-kit.js'
import { bookingPayload, deliver, envelope } from './webhook-factory.js'

const PHRASE = 'my brother Tobias relapsed on Tuesday'
const person = { email: 'Ruth.Quillfeather@example.org', name: 'Ruth Quillfeather' }

const booked = (uid: string, who = person, notes = PHRASE) => envelope('BOOKING_CREATED', bookingPayload({
  uid, iCalUID: `${uid}@Cal.com`, title: `Prayer between Pastor Zack Miller and ${who.name}`, additionalNotes: notes, description: notes,
  attendees: [{ email: who.email, name: who.name, timeZone: 'Europe/London', language: { locale: 'en' } }],
  responses: { name: { label: 'your_name', value: who.name }, email: { label: 'email_address', value: who.email }, notes: { label: 'additional_notes', value: notes } },
}))

t.test('a dump of every table holds neither the email, the name nor the notes in plain text; the admin API shows all three', async (t) => {
  const { app, db } = await build(t)
  t.equal((await deliver(app, booked('rest-1'))).statusCode, 200)
  // The transactional path too: an update on top of the first event.
  const update = envelope('BOOKING_CANCELLED', bookingPayload({ uid: 'rest-1', status: 'CANCELLED', iCalSequence: 1, attendees: [{ email: person.email, name: person.name }], additionalNotes: PHRASE }), '2026-01-05T16:00:00.000Z')
  t.equal((await deliver(app, update)).statusCode, 200)
  const dump = await dumpAllRows(db)
  t.ok(dump.includes('rest-1'), 'the dump has the booking')
  for (const secret of [person.email, person.email.toLowerCase(), person.name, 'Quillfeather', PHRASE, 'Tobias']) {
    t.notOk(dump.includes(secret), `"${secret}" is not in the dump`)
  }
  const pgDumped = await pgDump(db)
  if (pgDumped !== undefined) {
    t.ok(pgDumped.includes('rest-1'), 'pg_dump has the booking')
    for (const secret of [person.email, person.email.toLowerCase(), person.name, 'Quillfeather', PHRASE, 'Tobias']) {
      t.notOk(pgDumped.includes(secret), `"${secret}" is not in the pg_dump`)
    }
  }
  const res = await app.inject({ method: 'GET', url: `/admin/bookings?attendee=${encodeURIComponent(' ruth.quillfeather@EXAMPLE.org')}`, headers: ADMIN })
  t.equal(res.statusCode, 200)
  const [booking, ...more] = res.json().bookings
  t.equal(more.length, 0)
  t.same(booking.attendee, { name: person.name, email: person.email })
  t.equal(booking.notes, PHRASE)
  t.equal(booking.status, 'CANCELLED')
  const none = await app.inject({ method: 'GET', url: '/admin/bookings?attendee=someone.else@example.org', headers: ADMIN })
  t.same(none.json().bookings, [], 'another email finds nothing')
  const audit = await db.selectFrom('audit_log').select('detail').where('action', '=', 'bookings.listed').execute()
  t.notOk(JSON.stringify(audit).toLowerCase().includes('quillfeather'), 'the read is audited without the address')
})

t.test('erasure: the first person leaves no trace, the second is untouched, replays stay erased, a new booking is stored', async (t) => {
  const { app, db } = await build(t)
  const other = { email: 'naomi.ashgrove@example.org', name: 'Naomi Ashgrove' }
  const deliveries = [booked('ruth-1'), booked('ruth-2', person, 'second visit, about Tobias')]
  for (const body of [...deliveries, booked('naomi-1', other, 'Naomi wants to talk about baptism')]) t.equal((await deliver(app, body)).statusCode, 200)

  const erase = await app.inject({ method: 'POST', url: '/admin/people/erase', headers: ADMIN, payload: { email: 'ruth.quillfeather@example.org ' } })
  t.equal(erase.statusCode, 200, erase.body)
  const { erased, person: hash } = erase.json()
  t.same(erased, { bookings: 2, deliveries: 2, managedUsers: 0 })

  const trace = async () => {
    const dump = await dumpAllRows(db)
    for (const secret of [person.email.toLowerCase(), person.name, 'Quillfeather', 'Tobias', 'relapsed']) t.notOk(dump.toLowerCase().includes(secret.toLowerCase()), `"${secret}" is gone`)
    const found = await app.inject({ method: 'GET', url: `/admin/bookings?attendee=${encodeURIComponent(person.email)}`, headers: ADMIN })
    t.same(found.json().bookings, [], 'the blind index finds nothing')
    const exported = await app.inject({ method: 'GET', url: `/admin/people/export?email=${encodeURIComponent(person.email)}`, headers: ADMIN })
    t.same(exported.json().bookings, [], 'the export holds nothing')
  }
  await trace()
  const naomi = (await app.inject({ method: 'GET', url: `/admin/bookings?attendee=${encodeURIComponent(other.email)}`, headers: ADMIN })).json().bookings
  t.equal(naomi.length, 1)
  t.same(naomi[0].attendee, other, 'the other person is untouched')
  t.equal(naomi[0].notes, 'Naomi wants to talk about baptism')
  const all = (await app.inject({ method: 'GET', url: '/admin/bookings', headers: ADMIN })).json().bookings
  t.equal(all.length, 3, 'the erased bookings stay as counts')

  // Cal.com resends the original signed deliveries, and a late cancel arrives with the person in it.
  for (const body of deliveries) t.same((await deliver(app, body)).json(), { status: 'duplicate' })
  const late = envelope('BOOKING_CANCELLED', bookingPayload({ uid: 'ruth-1', status: 'CANCELLED', iCalSequence: 1, attendees: [{ email: person.email, name: person.name }], additionalNotes: 'Tobias again' }), '2026-01-06T10:00:00.000Z')
  t.same((await deliver(app, late)).json(), { status: 'accepted', outcome: 'updated' }, 'the late cancel changes the state')
  await trace()
  const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'person.erased').execute()
  t.equal(audit.length, 1)
  t.equal(audit[0]!.subject, `person:${hash}`)
  t.equal((audit[0]!.detail as { summary: string }).summary, `erased 2 bookings for ${hash}`)

  t.equal((await deliver(app, booked('ruth-3', person, 'a new start'))).statusCode, 200)
  const again = (await app.inject({ method: 'GET', url: `/admin/people/export?email=${encodeURIComponent(person.email)}`, headers: ADMIN })).json()
  t.equal(again.bookings.length, 1, 'a new booking by the same person is stored normally')
  t.equal(again.bookings[0].booking.notes, 'a new start')
  t.equal((again.bookings[0].payload as { uid: string }).uid, 'ruth-3', 'the export carries the payload Cal.com sent')
  t.equal((await db.selectFrom('audit_log').select('id').where('action', '=', 'person.exported').execute()).length, 3, 'every export is audited')
})

t.test('erasure deletes the managed-user row, and the managed user at Cal.com when Cal.com is real', async (t) => {
  const deleted: number[] = []
  const calClient = { deleteManagedUser: async (id: number) => { deleted.push(id) } } as unknown as CalClient
  const { app, db } = await build(t, { calClient, config: testConfig({ TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64') }, { sandbox: false }) })
  const ring = app.keyRing
  const user = { email: ring.encrypt('ruth.quillfeather@example.org'), email_index: ring.blindIndex('ruth.quillfeather@example.org'), name: ring.encrypt('Ruth'), cal_user_id: 9001, access_token_enc: 'x', refresh_token_enc: 'y', access_token_expires_at: new Date(), refresh_token_expires_at: new Date(), access_token_hash: 'h', updated_at: new Date() }
  // Two rows from before the email was sealed: plain, no blind index until keys:rotate.
  const legacy = { ...user, email_index: null, name: 'Legacy' }
  await db.insertInto('cal_users').values([user, { ...legacy, email: 'other@example.org', cal_user_id: 9002, access_token_hash: 'h2' }, { ...legacy, email: 'legacy.person@example.org', cal_user_id: 9003, access_token_hash: 'h3' }]).execute()
  const erase = await app.inject({ method: 'POST', url: '/admin/people/erase', headers: ADMIN, payload: { email: person.email } })
  t.same(erase.json().erased, { bookings: 0, deliveries: 0, managedUsers: 1 }, 'found by the blind index')
  t.same(deleted, [9001], 'deleted at Cal.com')
  const legacyErase = await app.inject({ method: 'POST', url: '/admin/people/erase', headers: ADMIN, payload: { email: 'Legacy.Person@example.org' } })
  t.same(legacyErase.json().erased, { bookings: 0, deliveries: 0, managedUsers: 1 }, 'a row not yet sealed is found by its plain email')
  t.same(deleted, [9001, 9003])
  t.same((await db.selectFrom('cal_users').select('cal_user_id').execute()).map((r) => r.cal_user_id), [9002], 'the other managed user stays')
})

t.test('a minted member: neither their email nor their name is in a dump; the token is served again from the row, found by its blind index', async (t) => {
  const cal = await startCal(t)
  const { app, db } = await build(t, { calClient: cal.client() })
  const member = { email: 'Bartholomew.Quince@Example.org', name: 'Bartholomew Quince' }
  const mint = () => app.inject({ method: 'POST', url: '/tokens/cal/managed-user', headers: TOKEN_KEY, payload: { ...member, timeZone: 'Europe/London' } })
  const first = await mint()
  t.equal(first.statusCode, 200, first.body)
  t.same(first.json().user.email, 'bartholomew.quince@example.org')
  t.same(first.json().user.name, member.name)
  const dump = await dumpAllRows(db)
  t.ok(dump.includes(String(first.json().user.id)), 'the dump has the managed user')
  const secrets = [member.email, member.email.toLowerCase(), member.name, 'Quince']
  for (const secret of secrets) t.notOk(dump.toLowerCase().includes(secret.toLowerCase()), `"${secret}" is not in the dump`)
  const pgDumped = await pgDump(db)
  if (pgDumped !== undefined) {
    for (const secret of secrets) t.notOk(pgDumped.toLowerCase().includes(secret.toLowerCase()), `"${secret}" is not in the pg_dump`)
  }
  const again = await app.inject({ method: 'POST', url: '/tokens/cal/managed-user', headers: TOKEN_KEY, payload: { email: 'bartholomew.QUINCE@example.org', name: member.name, timeZone: 'Europe/London' } })
  t.equal(again.statusCode, 200)
  t.same(again.json(), first.json(), 'the stored token is served again: the row is found by the blind index, opened')
  t.equal(cal.count(/\/users$/), 1, 'Cal.com created the managed user once')

  const exported = (await app.inject({ method: 'GET', url: `/admin/people/export?email=${encodeURIComponent(member.email)}`, headers: ADMIN })).json()
  t.same(exported.managedUsers.map((u: Record<string, unknown>) => [u.email, u.name, u.calUserId, u.calUsername]),
    [['bartholomew.quince@example.org', member.name, first.json().user.id, first.json().user.username]], 'the export opens the managed user')
  const erase = await app.inject({ method: 'POST', url: '/admin/people/erase', headers: ADMIN, payload: { email: 'BARTHOLOMEW.quince@example.org' } })
  t.same(erase.json().erased, { bookings: 0, deliveries: 0, managedUsers: 1 }, 'the erasure finds the managed user by the blind index')
  t.same(await db.selectFrom('cal_users').select('id').execute(), [], 'and deletes it')
})
