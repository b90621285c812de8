import { unsafeCSS } from 'lit'

// No interpolations: the `css` tag's checks of interpolated values would only add weight to the bundle.
export const styles = unsafeCSS(`
  :host {
    display: block;
    font-family: var(--churchhub-font, inherit);
  }
  :host([mode=popup]) {
    display: inline-block;
  }
  :host([hidden]) {
    display: none;
  }
  .base {
    position: relative;
  }
  .skeleton {
    box-sizing: border-box;
    min-height: var(--churchhub-height, 600px);
    border-radius: var(--churchhub-radius, 8px);
    background: var(--churchhub-skeleton-color, #f1f1f4);
    padding: 1rem;
  }
  /* Until the booking page is ready it takes no room and cannot be seen (the skeleton shows instead). */
  .embed:not(.ready) {
    position: absolute;
    inset: 0;
    visibility: hidden;
    overflow: hidden;
  }
  /* What embed.js puts in document.head and in style attributes, which reach neither a shadow root
     nor a page whose CSP refuses inline styles. */
  cal-inline {
    display: flex;
    position: relative;
    flex-wrap: wrap;
    width: 100%;
  }
  iframe {
    display: block;
    border: 0;
    min-height: 300px;
    margin: 0 auto;
    width: 100%;
  }
  .button {
    font: inherit;
    cursor: pointer;
    border: 0;
    border-radius: var(--churchhub-radius, 8px);
    padding: 0.75em 1.25em;
    background: var(--churchhub-brand-color, #1d4ed8);
    color: var(--churchhub-button-text-color, #fff);
  }
  .button:focus-visible {
    outline: 3px solid var(--churchhub-brand-color, #1d4ed8);
    outline-offset: 3px;
  }
  .floating {
    position: fixed;
    right: 1.25rem;
    bottom: 1.25rem;
    z-index: 2147483000;
    border-radius: 999px;
  }
  .card,
  .fallback {
    border: 1px solid #d0d0d7;
    border-radius: var(--churchhub-radius, 8px);
    padding: 1rem 1.25rem;
    margin-block: 0.5rem;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`)
