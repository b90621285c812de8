import './churchhub-questionnaire-element-define.js'
import type { ChurchhubBookingElement } from './churchhub-booking-element.js'
import type { ChurchhubQuestionnaireElement } from './churchhub-questionnaire-element.js'
import { scriptOrigin } from './host-info.js'
import { langOf, questionnaireStrings } from './locales/questionnaire.js'
import type { Routed } from './questionnaire-form.js'

/** The metadata key the server looks for in Cal.com's webhooks to tie the answers to the booking. */
const RESPONSE_KEY = 'metadata[churchhubResponse]'

interface Flow {
  questionnaire: ChurchhubQuestionnaireElement
  back: HTMLButtonElement
  /** The element's own host and event: the fallback when no route matches, and what Back restores. */
  username: string
  event: string
  returning: boolean
}

const flows = new WeakMap<ChurchhubBookingElement, Flow>()

/**
 * The questionnaire step of `<churchhub-booking form>`, loaded only by elements with a form: shows
 * the questions (in the page, or in a dialog for popup and floating), then hands the routed host,
 * the pre-fills and the response id to the element, which opens the calendar as it always does.
 */
export function ask(el: ChurchhubBookingElement, open = false) {
  const flow = flows.get(el) ?? start(el)
  const { questionnaire } = flow
  questionnaire.lang = langOf(el.locale || document.documentElement.lang)
  questionnaire.modal = el.mode !== 'inline'
  if (el.brandColor) questionnaire.style.setProperty('--churchhub-brand-color', el.brandColor)
  // The element's internal state: inline, no placeholder, the questions stand where the calendar will.
  if (!questionnaire.modal) (el as unknown as { status: string }).status = 'form'
  void place(el, questionnaire).then(() => {
    if (open) void questionnaire.show()
    else if (flow.returning && !questionnaire.modal) questionnaire.focusFirst()
  })
}

/**
 * Puts the questions (or the Back button) into the element's shadow root, where its styles apply:
 * first in the inline wrapper, or after the popup button. Lit leaves nodes outside its own parts
 * alone, and the element's templates keep those places for as long as it lives.
 */
async function place(el: ChurchhubBookingElement, node: Element | undefined) {
  await el.updateComplete
  const flow = flows.get(el)!
  for (const shown of [flow.questionnaire, flow.back]) if (shown !== node) shown.remove()
  if (!node || node.isConnected) return
  if (el.mode === 'inline') el.renderRoot.querySelector('[part~=base]')!.prepend(node)
  else el.renderRoot.append(node)
}

function start(el: ChurchhubBookingElement): Flow {
  const questionnaire = document.createElement('churchhub-questionnaire')
  questionnaire.form = el.form
  questionnaire.api = el.api || scriptOrigin
  questionnaire.fetch = (input, init) => el.fetch(input, init)
  const back = document.createElement('button')
  back.type = 'button'
  back.className = 'button back'
  back.setAttribute('part', 'back-button')
  const flow: Flow = { questionnaire, back, username: el.username, event: el.event, returning: false }
  questionnaire.addEventListener('churchhub-answered', (e) => {
    e.stopPropagation()
    answered(el, flow, e.detail)
  })
  back.addEventListener('click', () => goBack(el))
  flows.set(el, flow)
  return flow
}

/**
 * Back to the questions: inline, the Back button; popup and floating, the visitor closed Cal.com's
 * modal, so the next press of the element's button shows the questions (the dialog) rather than
 * the calendar. The element starts over with its own host; the questions keep the answers given.
 */
export function goBack(el: ChurchhubBookingElement) {
  const flow = flows.get(el)
  if (!flow) return
  flow.returning = true
  el.username = flow.username
  el.event = flow.event
  el.answered = undefined
  el.requestUpdate()
}

function answered(el: ChurchhubBookingElement, flow: Flow, routed: Routed) {
  flow.questionnaire.close()
  el.username = routed.username ?? flow.username
  el.event = routed.username ? (routed.event ?? '') : flow.event
  el.answered = { ...routed.prefill, [RESPONSE_KEY]: routed.responseId }
  flow.back.textContent = questionnaireStrings(langOf(el.locale || document.documentElement.lang)).back
  el.requestUpdate()
  void place(el, el.mode === 'inline' ? flow.back : undefined).then(() => (el.mode === 'inline' ? flow.back.focus() : void el.open()))
}
