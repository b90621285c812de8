import { ChurchhubQuestionnaireElement } from './churchhub-questionnaire-element.js'

// Loaded by every element with a `form`, and perhaps by two copies of the bundle: define once.
try {
  if (!customElements.get('churchhub-questionnaire')) customElements.define('churchhub-questionnaire', ChurchhubQuestionnaireElement)
} catch (err) {
  if (!(err instanceof DOMException && err.name === 'NotSupportedError')) throw err
}

declare global {
  interface HTMLElementTagNameMap {
    'churchhub-questionnaire': ChurchhubQuestionnaireElement
  }
}

export { ChurchhubQuestionnaireElement }
