import { unsafeCSS } from 'lit'

export const questionnaireStyles = unsafeCSS(`
  :host { display: block; font-family: var(--churchhub-font, inherit); }
  form { display: grid; gap: 1rem; max-width: 40rem; }
  h2 { font-size: 1.25rem; margin: 0; }
  .question { display: grid; gap: 0.35rem; border: 0; padding: 0; margin: 0; }
  legend, .question > label { font-weight: 600; padding: 0; }
  .consent { grid-template-columns: auto 1fr; align-items: start; }
  .consent > label { font-weight: normal; }
  .consent > .help, .consent > .error { grid-column: 2; }
  .option { display: flex; gap: 0.5rem; align-items: center; padding: 0.15rem 0; }
  input[type=text], textarea { font: inherit; padding: 0.5rem; border: 1px solid #6b6b76; border-radius: var(--churchhub-radius, 8px); }
  input:focus-visible, textarea:focus-visible, button:focus-visible { outline: 3px solid var(--churchhub-brand-color, #1d4ed8); outline-offset: 2px; }
  [aria-invalid=true] { border-color: #b3261e; }
  .help { margin: 0; color: #4a4a55; }
  .error, .alert { margin: 0; color: #b3261e; font-weight: 600; }
  .alert:empty { display: none; }
  .required { font-weight: normal; color: #4a4a55; }
  .actions { display: flex; gap: 0.75rem; }
  .button, .secondary { font: inherit; cursor: pointer; border-radius: var(--churchhub-radius, 8px); padding: 0.75em 1.25em; }
  .button { border: 0; background: var(--churchhub-brand-color, #1d4ed8); color: var(--churchhub-button-text-color, #fff); }
  .secondary { background: transparent; border: 1px solid #6b6b76; color: inherit; }
  dialog { border: 0; border-radius: var(--churchhub-radius, 8px); padding: 1.5rem; max-width: min(40rem, 90vw); }
  dialog::backdrop { background: rgb(0 0 0 / 0.5); }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`)
