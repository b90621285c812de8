import type { FetchLike } from './host-info.js'
import type { Lang } from './locales/questionnaire.js'

/** Words in English and maybe Spanish, as `GET /v1/forms/:slug` gives them. */
export interface LocalText { en: string; es?: string }

export interface PublicQuestion {
  id: string
  type: 'text' | 'textarea' | 'choice' | 'multichoice' | 'consent'
  label: LocalText
  help?: LocalText
  required: boolean
  options?: { value: string; label: LocalText }[]
}

export interface PublicForm { slug: string; version: number; title: LocalText; questions: PublicQuestion[] }

/** What the server answers to the answers: where to book, and what to put in the booking page. */
export interface Routed { responseId: string; username: string | null; event: string | null; prefill: Record<string, string> }

export type Answers = Record<string, string | string[] | boolean>

export const say = (text: LocalText | undefined, lang: Lang) => (text ? (lang === 'es' && text.es) || text.en : '')

const url = (api: string, path: string) => api.replace(/\/+$/, '') + path

export async function loadForm(fetchFn: FetchLike, api: string, slug: string): Promise<PublicForm> {
  const response = await fetchFn(url(api, `/v1/forms/${encodeURIComponent(slug)}`), { headers: { accept: 'application/json' } })
  if (!response.ok) throw new Error(`the form "${slug}" answered ${response.status}`)
  return response.json()
}

/** Posts the answers: the routed host, or the server's issues (one per question) to show. */
export async function sendAnswers(fetchFn: FetchLike, api: string, form: PublicForm, answers: Answers, lang: Lang) {
  const response = await fetchFn(url(api, `/v1/forms/${encodeURIComponent(form.slug)}/responses`), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ version: form.version, answers, lang }),
  })
  const body = await response.json().catch(() => ({}))
  if (response.ok) return { routed: body as Routed }
  if (response.status === 400 && Array.isArray(body?.error?.issues)) {
    return { message: String(body.error.message), issues: body.error.issues as { path: string; message: string }[] }
  }
  throw new Error(`the answers were refused (${response.status})`)
}

/** The form's answers as the server wants them: only questions answered, a choice as its value. */
export function answersOf(form: HTMLFormElement, questions: PublicQuestion[]): Answers {
  const data = new FormData(form)
  const answers: Answers = {}
  for (const q of questions) {
    if (q.type === 'consent') {
      if (data.has(q.id)) answers[q.id] = true
    } else if (q.type === 'multichoice') {
      const values = data.getAll(q.id).map(String)
      if (values.length) answers[q.id] = values
    } else {
      const value = String(data.get(q.id) ?? '').trim()
      if (value) answers[q.id] = value
    }
  }
  return answers
}
