/** The questionnaire's own words (loaded with it, so the base bundle does not carry them). */
const en = {
  loading: 'Loading the questions…',
  failed: 'The questions could not be loaded.',
  required: '(required)',
  submit: 'Continue to the calendar',
  sending: 'Sending your answers…',
  notSent: 'Your answers could not be sent. Please try again.',
  back: 'Back to the questions',
  close: 'Close',
  dialog: 'Questions before booking',
}

const es: typeof en = {
  loading: 'Cargando las preguntas…',
  failed: 'No se pudieron cargar las preguntas.',
  required: '(obligatoria)',
  submit: 'Continuar al calendario',
  sending: 'Enviando sus respuestas…',
  notSent: 'No se pudieron enviar sus respuestas. Inténtelo de nuevo.',
  back: 'Volver a las preguntas',
  close: 'Cerrar',
  dialog: 'Preguntas antes de reservar',
}

export type QuestionnaireStrings = typeof en
export type Lang = 'en' | 'es'

export const langOf = (tag: string | null | undefined): Lang => ((tag ?? '').trim().toLowerCase().split(/[-_]/)[0] === 'es' ? 'es' : 'en')
export const questionnaireStrings = (lang: Lang) => (lang === 'es' ? es : en)
