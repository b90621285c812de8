/** A small questionnaire exercising every question type, a sensitive answer, a calField and both route kinds. */
export function firstVisitForm(overrides: Record<string, unknown> = {}) {
  return {
    slug: 'first-visit',
    title: { en: 'Talk with us', es: 'Hable con nosotros' },
    questions: [
      {
        id: 'topic', type: 'choice', required: true, sensitive: false, calField: 'notes',
        label: { en: 'What would you like to talk about?', es: '¿De qué le gustaría hablar?' },
        options: [
          { value: 'grief', label: { en: 'Grief and loss', es: 'Duelo y pérdida' } },
          { value: 'youth', label: { en: 'Youth and family', es: 'Jóvenes y familia' } },
          { value: 'other', label: { en: 'Something else', es: 'Otra cosa' } },
        ],
      },
      { id: 'story', type: 'textarea', required: false, sensitive: true, label: { en: 'Anything you would like us to know?' } },
      { id: 'name', type: 'text', required: false, sensitive: false, label: { en: 'Your first name' } },
      {
        id: 'ages', type: 'multichoice', required: false, sensitive: false,
        label: { en: 'Ages in your family' },
        options: [{ value: 'kids', label: { en: 'Children' } }, { value: 'teens', label: { en: 'Teenagers' } }],
      },
      { id: 'agree', type: 'consent', required: true, sensitive: false, label: { en: 'I agree that the church keeps my answers', es: 'Acepto que la iglesia guarde mis respuestas' } },
    ],
    routes: [
      { when: { question: 'topic', equals: 'grief' }, username: 'zack', event: '60min' },
      { when: { question: 'ages', includes: 'teens' }, username: 'maria', event: '30min' },
      { when: { question: 'topic', equals: 'youth' }, username: 'maria', event: '30min' },
    ],
    ...overrides,
  }
}

export const ADMIN = { authorization: 'Bearer sandbox-admin-key' }
