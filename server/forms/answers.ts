import type { FormDefinition, Question } from './form-schema.js'

export type Answer = string | string[] | boolean
export type Answers = Record<string, Answer>
export type Lang = 'en' | 'es'

const MAX_TEXT = { text: 500, textarea: 5000 } as const

/** The visitor's words: one message per problem kind, in English and Spanish. */
const MESSAGES = {
  required: { en: 'Please answer this question.', es: 'Por favor, responda esta pregunta.' },
  consent: { en: 'Please tick this box to continue.', es: 'Marque esta casilla para continuar.' },
  text: { en: 'Please answer with text.', es: 'Responda con texto.' },
  tooLong: { en: 'Please shorten this answer to at most {n} characters.', es: 'Acorte esta respuesta a {n} caracteres como máximo.' },
  choice: { en: 'Please choose one of the options.', es: 'Elija una de las opciones.' },
  unknown: { en: 'This form has no such question.', es: 'Este formulario no tiene esa pregunta.' },
  summary: { en: 'Please check the answers marked below.', es: 'Revise las respuestas marcadas abajo.' },
} satisfies Record<string, Record<Lang, string>>

export const summaryMessage = (lang: Lang) => MESSAGES.summary[lang]

export interface AnswerIssue { path: string; message: string }

function checkOne(q: Question, value: Answer | undefined, lang: Lang): string | undefined {
  const empty = value === undefined || value === false || value === '' || (Array.isArray(value) && value.length === 0)
  if (empty) return q.required ? MESSAGES[q.type === 'consent' ? 'consent' : 'required'][lang] : undefined
  const options = new Set(q.options?.map((o) => o.value))
  switch (q.type) {
    case 'text':
    case 'textarea':
      if (typeof value !== 'string') return MESSAGES.text[lang]
      if (value.length > MAX_TEXT[q.type]) return MESSAGES.tooLong[lang].replace('{n}', String(MAX_TEXT[q.type]))
      return undefined
    case 'choice':
      return typeof value === 'string' && options.has(value) ? undefined : MESSAGES.choice[lang]
    case 'multichoice':
      return Array.isArray(value) && value.every((v) => options.has(v)) && new Set(value).size === value.length ? undefined : MESSAGES.choice[lang]
    case 'consent':
      return value === true ? undefined : MESSAGES.consent[lang]
  }
}

/** One issue per question that is wrong (path = the question id), in the visitor's language. */
export function checkAnswers(form: FormDefinition, answers: Answers, lang: Lang): AnswerIssue[] {
  const issues: AnswerIssue[] = []
  const ids = new Set(form.questions.map((q) => q.id))
  for (const q of form.questions) {
    const message = checkOne(q, answers[q.id], lang)
    if (message) issues.push({ path: q.id, message })
  }
  for (const id of Object.keys(answers)) if (!ids.has(id)) issues.push({ path: id, message: MESSAGES.unknown[lang] })
  return issues
}

/** The first route whose condition the answers meet; undefined means the element's own host and event. */
export function routeFor(form: FormDefinition, answers: Answers) {
  return form.routes?.find(({ when }) => {
    const value = answers[when.question]
    if (when.equals !== undefined) return value === when.equals
    return Array.isArray(value) && value.includes(when.includes!)
  })
}

/**
 * What the booking page may be pre-filled with: non-sensitive answers of questions with a
 * `calField`, choices as their English labels (what the host reads in Cal.com).
 */
export function calPrefill(form: FormDefinition, answers: Answers): Record<string, string> {
  const prefill: Record<string, string> = {}
  for (const q of form.questions) {
    const value = answers[q.id]
    if (q.sensitive || !q.calField || value === undefined || value === false || value === '') continue
    const label = (v: string) => q.options?.find((o) => o.value === v)?.label.en ?? v
    const text = Array.isArray(value) ? value.map(label).join(', ') : typeof value === 'boolean' ? 'yes' : q.options ? label(value) : value
    if (text) prefill[q.calField] = prefill[q.calField] ? `${prefill[q.calField]}\n${text}` : text
  }
  return prefill
}
