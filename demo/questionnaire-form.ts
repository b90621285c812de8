import { recordAudit, type Executor } from '../server/audit.js'
import type { FormDefinition } from '../server/forms/form-schema.js'
import { findForm, saveForm } from '../server/forms/forms-repository.js'

/** The demo church's "Talk with us" questionnaire, as an admin would POST it to /admin/forms. */
export const FIRST_VISIT_FORM: FormDefinition = {
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
    {
      id: 'story', type: 'textarea', required: false, sensitive: true,
      label: { en: 'Is there anything you would like the pastor to know first?', es: '¿Hay algo que le gustaría que el pastor supiera antes?' },
      help: { en: 'Only the church reads this; it is never sent to the calendar service.', es: 'Solo la iglesia lo lee; nunca se envía al servicio de calendario.' },
    },
  ],
  routes: [
    { when: { question: 'topic', equals: 'grief' }, username: 'zack', event: '60min' },
    { when: { question: 'topic', equals: 'youth' }, username: 'maria', event: '30min' },
    { when: { question: 'topic', equals: 'other' }, username: 'zack', event: '30min' },
  ],
}

/** Saves the demo questionnaire on a fresh database; an admin's later versions are left alone. */
export async function seedQuestionnaire(db: Executor): Promise<void> {
  if (await findForm(db, FIRST_VISIT_FORM.slug)) return
  const form = await saveForm(db, FIRST_VISIT_FORM)
  await recordAudit(db, { actor: 'system', action: 'form.saved', subject: `form:${form.slug}`, detail: { version: form.version, source: 'demo seed' } })
}
