import { randomBytes } from 'node:crypto'
import type { Executor } from '../audit.js'
import type { TokenCipher } from '../tokens/crypto.js'
import type { Answers, Lang } from './answers.js'
import { say } from './form-schema.js'
import { formById } from './forms-repository.js'

/** 128 random bits: the id travels through Cal.com and back, so it must be unguessable. */
export const newResponseId = () => `r_${randomBytes(16).toString('base64url')}`
export const RESPONSE_ID = /^r_[\w-]{22}$/

export async function storeResponse(db: Executor, cipher: Pick<TokenCipher, 'encrypt'>, r: { formId: number; lang: Lang; answers: Answers; at: Date }): Promise<string> {
  const responseId = newResponseId()
  await db.insertInto('form_responses').values({
    response_id: responseId, form_id: r.formId, lang: r.lang, answers_enc: cipher.encrypt(JSON.stringify(r.answers)), created_at: r.at,
  }).execute()
  return responseId
}

/** An answer as the admin reads it: the question's and options' English labels of the version answered. */
export interface LinkedAnswer { question: string; label: string; type: string; sensitive: boolean; value: string | string[] | boolean }

/** The answers tied to a booking, decrypted, or undefined when it has none. */
export async function answersForBooking(db: Executor, cipher: Pick<TokenCipher, 'decrypt'>, bookingUid: string) {
  const row = await db.selectFrom('form_responses').selectAll().where('booking_uid', '=', bookingUid).executeTakeFirst()
  if (!row) return undefined
  const form = await formById(db, row.form_id)
  if (!form) return undefined
  const answers = JSON.parse(cipher.decrypt(row.answers_enc)) as Answers
  const items: LinkedAnswer[] = []
  for (const q of form.definition.questions) {
    const value = answers[q.id]
    if (value === undefined) continue
    const label = (v: string) => (q.options ? say(q.options.find((o) => o.value === v)?.label ?? { en: v }, 'en') : v)
    items.push({ question: q.id, label: say(q.label, 'en'), type: q.type, sensitive: q.sensitive, value: typeof value === 'boolean' ? value : Array.isArray(value) ? value.map(label) : label(value) })
  }
  return { responseId: row.response_id, form: form.slug, version: form.version, lang: row.lang, answeredAt: row.created_at.toISOString(), answers: items }
}

/** Which of these bookings have answers. */
export async function bookingsWithAnswers(db: Executor, uids: string[]): Promise<Set<string>> {
  if (!uids.length) return new Set()
  const rows = await db.selectFrom('form_responses').select('booking_uid').where('booking_uid', 'in', uids).execute()
  return new Set(rows.map((r) => r.booking_uid!))
}
