import { LitElement, html, nothing } from 'lit'
import type { FetchLike } from './host-info.js'
import { type Lang, questionnaireStrings } from './locales/questionnaire.js'
import { type Answers, answersOf, loadForm, type PublicForm, type PublicQuestion, type Routed, say, sendAnswers } from './questionnaire-form.js'
import { questionnaireStyles } from './churchhub-questionnaire-styles.js'

/** The answers were accepted: where the calendar should open, and what to pre-fill. */
export class ChurchhubAnsweredEvent extends CustomEvent<Routed> {
  constructor(detail: Routed) {
    super('churchhub-answered', { bubbles: true, composed: true, detail })
  }
}

declare global {
  interface GlobalEventHandlersEventMap { 'churchhub-answered': ChurchhubAnsweredEvent }
}

/**
 * The church's questions before the calendar, drawn from `GET /v1/forms/:slug` with native
 * controls; the server checks the answers and its messages are shown beside their questions.
 * `<churchhub-booking form="…">` loads and places it; it is not meant to be used on its own.
 *
 * @summary A booking questionnaire (internal to churchhub-booking).
 *
 * @csspart form - The form.
 * @csspart title - The form's title.
 * @csspart button - The submit button.
 * @csspart error - Each question's error message.
 *
 * @event {ChurchhubAnsweredEvent} churchhub-answered - The answers were accepted (detail: responseId, username, event, prefill).
 */
export class ChurchhubQuestionnaireElement extends LitElement {
  static override styles = questionnaireStyles

  static override properties = {
    form: {},
    lang: {},
    api: {},
    modal: { type: Boolean },
    state: { state: true },
  }

  /** The form's slug. */
  form = ''
  override lang: Lang = 'en'
  /** The ChurchHub server. */
  api = ''
  /** Shown in a modal dialog (popup and floating modes) rather than in the page. */
  modal = false
  fetch: FetchLike = (input, init) => window.fetch(input, init)

  private state: 'loading' | 'ready' | 'sending' | 'failed' = 'loading'
  #form: PublicForm | undefined
  #errors: Record<string, string> = {}
  #alert = ''

  override connectedCallback() {
    super.connectedCallback()
    if (!this.#form) void this.#load()
  }

  async #load() {
    try {
      this.#form = await loadForm(this.fetch, this.api, this.form)
      this.state = 'ready'
      // The dialog opened on "Loading the questions…": the keyboard goes to the first question now.
      if (this.renderRoot.querySelector('dialog')?.open) {
        await this.updateComplete
        this.focusFirst()
      }
    } catch {
      this.state = 'failed'
    }
  }

  /** Opens the dialog (modal) and puts the keyboard on the first question. */
  async show() {
    await this.updateComplete
    const dialog = this.renderRoot.querySelector('dialog')
    if (dialog && !dialog.open) dialog.showModal()
    this.focusFirst()
  }

  close() {
    this.renderRoot.querySelector('dialog')?.close()
  }

  focusFirst() {
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid=true], input, textarea')?.focus()
  }

  async #submit(event: SubmitEvent) {
    event.preventDefault()
    const form = this.#form
    if (!form || this.state === 'sending') return
    const answers: Answers = answersOf(event.target as HTMLFormElement, form.questions)
    this.state = 'sending'
    this.#alert = ''
    try {
      const result = await sendAnswers(this.fetch, this.api, form, answers, this.lang)
      this.#errors = Object.fromEntries((result.issues ?? []).map((i) => [i.path, i.message]))
      this.#alert = result.message ?? ''
      this.state = 'ready'
      if (result.routed) {
        this.dispatchEvent(new ChurchhubAnsweredEvent(result.routed))
      } else {
        await this.updateComplete
        this.focusFirst()
      }
    } catch {
      this.#alert = questionnaireStrings(this.lang).notSent
      this.state = 'ready'
    }
  }

  #question(q: PublicQuestion) {
    const t = questionnaireStrings(this.lang)
    const id = `q-${q.id}`
    const error = this.#errors[q.id]
    const described = [q.help && `${id}-help`, error && `${id}-error`].filter(Boolean).join(' ') || nothing
    const invalid = error ? 'true' : 'false'
    const label = html`${say(q.label, this.lang)}${q.required && q.type !== 'consent' ? html` <span class="required">${t.required}</span>` : nothing}`
    const help = q.help ? html`<p class="help" id="${id}-help">${say(q.help, this.lang)}</p>` : nothing
    const message = error ? html`<p class="error" part="error" id="${id}-error">${error}</p>` : nothing
    if (q.type === 'choice' || q.type === 'multichoice') {
      const type = q.type === 'choice' ? 'radio' : 'checkbox'
      return html`<fieldset class="question" id=${id} aria-describedby=${described}>
        <legend>${label}</legend>${help}
        ${q.options?.map((o) => html`<label class="option"><input type=${type} name=${q.id} value=${o.value} aria-invalid=${invalid} ?required=${q.required && type === 'radio'}> ${say(o.label, this.lang)}</label>`)}
        ${message}
      </fieldset>`
    }
    if (q.type === 'consent') {
      return html`<div class="question consent">
        <input type="checkbox" id=${id} name=${q.id} aria-invalid=${invalid} aria-describedby=${described} ?required=${q.required}>
        <label for=${id}>${label}</label>${help}${message}
      </div>`
    }
    const control = q.type === 'textarea'
      ? html`<textarea id=${id} name=${q.id} rows="4" maxlength="5000" aria-invalid=${invalid} aria-describedby=${described} ?required=${q.required}></textarea>`
      : html`<input type="text" id=${id} name=${q.id} maxlength="500" aria-invalid=${invalid} aria-describedby=${described} ?required=${q.required}>`
    return html`<div class="question"><label for=${id}>${label}</label>${help}${control}${message}</div>`
  }

  #body() {
    const t = questionnaireStrings(this.lang)
    const form = this.#form
    if (!form) return html`<p role=${this.state === 'failed' ? 'alert' : 'status'}>${this.state === 'failed' ? t.failed : t.loading}</p>`
    return html`<form part="form" novalidate @submit=${this.#submit}>
      <h2 part="title">${say(form.title, this.lang)}</h2>
      <p class="alert" role="alert">${this.#alert}</p>
      ${form.questions.map((q) => this.#question(q))}
      <div class="actions">
        <button part="button" class="button" type="submit" ?disabled=${this.state === 'sending'}>${t.submit}</button>
        ${this.modal ? html`<button class="secondary" type="button" @click=${this.close}>${t.close}</button>` : nothing}
      </div>
      <p class="visually-hidden" role="status">${this.state === 'sending' ? t.sending : ''}</p>
    </form>`
  }

  protected override render() {
    return this.modal
      ? html`<dialog aria-label=${questionnaireStrings(this.lang).dialog}>${this.#body()}</dialog>`
      : this.#body()
  }
}
