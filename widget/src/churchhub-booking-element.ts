import { LitElement, html, nothing } from 'lit'
import { type BookingPlace, findBookingPlace } from './booking-place.js'
import { bookingConfig, uiConfig } from './cal-config.js'
import { CalEmbed, preconnect } from './cal-embed.js'
import { styles } from './churchhub-booking-styles.js'
import { ChurchhubErrorEvent, ChurchhubReadyEvent, type ErrorCode } from './events.js'
import type { FetchLike, MemberInfo } from './host-info.js'
import { LoadingControl } from './loading-control.js'
import { stringsFor } from './locales/index.js'
import { served } from './served-config.js'

type Status = 'waiting' | 'form' | 'consent' | 'loading' | 'ready' | 'error'
type Mode = 'inline' | 'popup' | 'floating'
// Changing any of these after the embed started means a different booking page: start over.
const RESTART_ON: (keyof ChurchhubBookingElement)[] = ['username', 'calLink', 'event', 'mode', 'name', 'email', 'notes', 'memberToken', 'theme', 'brandColor', 'layout', 'api', 'form', 'answered']

const onOff = { fromAttribute: (v: string | null) => v !== 'false' }

/**
 * Lets visitors book time with a host through Cal.com: the booking page in the page, or behind a button.
 *
 * @summary A Cal.com booking page for one host, lazy, accessible, in English and Spanish.
 *
 * @slot - Shown in inline mode until the booking page is ready (a plain link makes a good no-script fallback).
 *
 * @csspart base - The inline wrapper.
 * @csspart skeleton - The placeholder of the booking page's height shown while it loads.
 * @csspart embed - The box Cal.com's booking page is put in.
 * @csspart button - The popup or floating button.
 * @csspart fallback - The message shown when the booking page cannot be shown.
 * @csspart link - The plain link to the booking page inside the fallback.
 * @csspart consent - The click-to-load card (`consent`).
 * @csspart consent-button - The button on that card.
 * @csspart back-button - With `form`, inline: the "Back to the questions" button above the calendar.
 *
 * @cssproperty --churchhub-brand-color - Button colour; also Cal.com's brand colour when `brand-color` is not set.
 * @cssproperty --churchhub-button-text-color - Text colour on the buttons.
 * @cssproperty --churchhub-radius - Corner radius of buttons, cards and the skeleton.
 * @cssproperty --churchhub-height - Height kept for the inline booking page while it loads.
 * @cssproperty --churchhub-skeleton-color - Colour of the loading placeholder.
 * @cssproperty --churchhub-font - Font of the element's own words.
 *
 * @event {ChurchhubReadyEvent} churchhub-ready - The booking page is showing.
 * @event {ChurchhubBookingSuccessfulEvent} churchhub-booking-successful - A visitor booked (detail: uid, start, end, eventType, status, paymentRequired).
 * @event {ChurchhubErrorEvent} churchhub-error - The booking page cannot be shown (detail: code, message, bookingUrl).
 */
export class ChurchhubBookingElement extends LitElement {
  static override styles = styles

  // Explicit attribute names, kebab-case where the property is camelCase.
  static override properties = {
    username: {},
    calLink: { attribute: 'cal-link' },
    event: {},
    mode: { reflect: true },
    label: {},
    name: {},
    email: {},
    notes: {},
    memberToken: { attribute: 'member-token' },
    theme: {},
    brandColor: { attribute: 'brand-color' },
    layout: {},
    locale: { attribute: 'lang' },
    api: {},
    lazy: { converter: onOff },
    consent: { type: Boolean },
    analytics: {},
    timeout: { type: Number },
    form: {},
    status: { state: true },
  }

  /** The host's ChurchHub username. */
  username = ''
  /** The booking link itself (`zack`, `team/youth`): no question to the server before the calendar. */
  calLink = ''
  /** An event-type slug (`30min`); without it the host's list of event types. */
  event = ''
  mode: Mode = 'inline'
  /** Button text in popup and floating modes. */
  label = ''
  /** Pre-fills the booking form. */
  name = ''
  email = ''
  notes = ''
  /** A member assertion signed by the church site: the member's own email is pre-filled. */
  memberToken = ''
  theme: '' | 'light' | 'dark' | 'auto' = ''
  brandColor = ''
  layout: '' | 'month_view' | 'week_view' | 'column_view' = ''
  /** Language of the element's own words (`en`, `es`); default: the page's `<html lang>`. */
  locale = ''
  /** The ChurchHub server; default: the server this script was loaded from. */
  api = ''
  /** Nothing of Cal.com is fetched before the element nears the viewport (popup: first hover, focus or click). `lazy="false"` loads at once. */
  lazy = true
  /** Shows a click-to-load card: nothing is requested from Cal.com before the visitor agrees. */
  consent = false
  /** `datalayer`: also push `{event: "churchhub_booking", churchhub_event_length}` to `window.dataLayer` (nothing about the visitor, the host or the booking). */
  analytics = ''
  /** Milliseconds to wait for the booking page before showing the plain link instead. */
  timeout = 15_000
  /** A questionnaire (its slug) shown before the calendar; the answers may choose the host and event. */
  form = ''
  /** @internal Set by the questionnaire (with requestUpdate()): the booking page's pre-fills and the response id, once answered. */
  answered: Record<string, string> | undefined

  private status: Status = 'waiting'
  // Not reactive: it changes only together with `status`.
  private host: BookingPlace | undefined

  #embed: CalEmbed | undefined
  #control = new LoadingControl(this)
  #aborter: AbortController | undefined
  #info: Promise<[BookingPlace, MemberInfo | undefined]> | undefined
  #reporter: Promise<typeof import('./booking-report.js')> | undefined
  #opened = false
  #generation = 0
  #setUpFor = ''

  /** The I/O seam: replace it to serve host information from elsewhere (tests, other transports). */
  fetch: FetchLike = (input, init) => window.fetch(input, init)

  get #strings() {
    return stringsFor(this.locale || document.documentElement.lang)
  }

  get #calLink() {
    return this.host ? (this.event ? `${this.host.calLink}/${this.event}` : this.host.calLink) : ''
  }

  /** The plain booking page on Cal.com, offered when the embed cannot be shown. */
  get bookingUrl(): string | undefined {
    return this.host ? `${this.host.calOrigin}/${this.#calLink}` : undefined
  }

  override connectedCallback() {
    super.connectedCallback()
    // The first time, `updated()` sets up: Lit applies properties a framework set before the
    // upgrade (`consent`, say) only in the first update, and nothing may start before they count.
    if (this.hasUpdated) this.#setUp()
  }

  override disconnectedCallback() {
    super.disconnectedCallback()
    this.#tearDown()
  }

  protected override updated() {
    // Set before or after connecting, by markup or by a framework: a different booking page starts over.
    if (this.isConnected && this.#setUpFor !== this.#inputs()) {
      this.#tearDown()
      this.#setUp()
    }
  }

  #inputs() {
    return RESTART_ON.map((key) => this[key]).join()
  }

  #setUp() {
    const generation = ++this.#generation
    this.#setUpFor = this.#inputs()
    this.#aborter = new AbortController()
    this.status = 'waiting'
    this.host = undefined
    this.#info = undefined
    this.#opened = false
    // The questions first (the chunk with them takes over until they are answered): nothing of Cal.com before.
    if (this.form && !this.answered) return void this.#ask()
    if (this.mode !== 'inline') {
      // The button stays idle until hovered, focused or clicked, unless told to load at once.
      if (!this.lazy && !this.consent) void this.#prepare(generation)
    } else if (this.consent) {
      this.status = 'consent'
    } else {
      this.#control.whenNear(this.lazy, () => void this.#showInline(generation))
    }
  }

  #tearDown() {
    this.#generation++
    this.#aborter?.abort()
    this.#control.stop()
    this.#embed?.destroy(this.#container())
    this.#embed = undefined
  }

  #container() {
    return this.renderRoot?.querySelector<HTMLElement>('.embed')
  }

  /** Everything at once, once per setup: host (and member) information, embed.js, the connection to Cal.com. */
  async #prepare(generation: number): Promise<CalEmbed | undefined> {
    this.#info ??= findBookingPlace(this, this.#aborter!.signal, (err) =>
      this.dispatchEvent(new ChurchhubErrorEvent({ code: 'member-unavailable', message: err.message, bookingUrl: undefined })),
    )
    let host: BookingPlace, member: MemberInfo | undefined
    try {
      ;[host, member] = await this.#info
    } catch (err) {
      if (generation === this.#generation) this.#fail('host-unavailable', (err as Error).message)
      return undefined
    }
    if (generation !== this.#generation) return undefined
    this.host = host
    // A host on a Cal.com of its own: that origin was not known before.
    if (host.calOrigin !== served?.calOrigin) preconnect(host.calOrigin)
    const embed = (this.#embed ??= new CalEmbed({
      ...host,
      calLink: this.#calLink,
      config: { ...bookingConfig(this, member), ...this.answered },
      ui: uiConfig(this),
      iframeTitle: this.#strings.iframeTitle,
      root: this.renderRoot,
      onEvent: (type, data) => this.#onCalEvent(type, data),
    }))
    if (!(await embed.loaded)) {
      if (generation === this.#generation) this.#fail('embed-unavailable', `${host.embedJsUrl} could not be loaded`)
      return undefined
    }
    if (generation !== this.#generation || this.#embed !== embed) return undefined
    return embed
  }

  async #showInline(generation: number) {
    const embed = await this.#load(generation)
    if (!embed) return
    await this.updateComplete
    embed.inline(this.#container()!)
  }

  /** The visitor is waiting now: `#prepare`, with the loading state and the timeout. */
  #load(generation: number) {
    this.status = 'loading'
    this.#control.watch(this.timeout, () => {
      if (generation === this.#generation && this.status === 'loading') this.#fail('timeout', `not ready after ${this.timeout} ms`)
    })
    return this.#prepare(generation)
  }

  /** Opens the booking page in Cal's modal (popup and floating modes); with `form`, the questions first (again after the modal was closed). */
  async open() {
    if (this.form && !this.answered) return this.#ask(true)
    const generation = this.#generation
    if (this.status === 'loading') return
    // One iframe per namespace: a second opening starts a fresh embed rather than reuse Cal's closed modal.
    if (this.#opened) {
      this.#embed?.destroy()
      this.#embed = undefined
    }
    const embed = await this.#load(generation)
    if (!embed) return
    this.#opened = true
    const box = embed.modal()
    box?.addEventListener(
      'close',
      // Closed by the visitor, not taken down by the element (which forgets its embed as it does so):
      // with questions, the next press of the button shows them again, as answered. The button gets
      // the keyboard back only then, or a quick press would open the calendar again.
      async () => {
        if (this.form) await import('./questionnaire-flow.js').then((m) => this.#embed === embed && m.goBack(this))
        this.renderRoot.querySelector('button')?.focus()
      },
      { once: true },
    )
  }

  #onCalEvent(type: string, data: Record<string, any>) {
    // Also after the timeout: the link is offered meanwhile, but a late calendar still beats it.
    if (type === 'linkReady' && this.status !== 'ready') {
      this.#control.settle()
      this.status = 'ready'
      // The modal's iframe is hidden until the page is ready; then the keyboard user is taken into it.
      if (this.mode !== 'inline') this.#embed?.modalBox()?.querySelector('iframe')?.focus()
      this.dispatchEvent(new ChurchhubReadyEvent({ calLink: this.#calLink, mode: this.mode }))
    } else if (type === 'linkFailed') {
      this.#fail('link-failed', `Cal.com could not show ${this.#calLink} (${data.code})`)
    } else if (type !== 'linkReady') {
      // bookingSuccessful or bookingSuccessfulV2 (CalEmbed passes on no other events). The report's
      // module is fetched on the first of them, not before: nothing delays the booking page for it.
      // Reported in arrival order, also those that arrive while the module is on its way.
      this.#reporter = (this.#reporter ?? import('./booking-report.js')).then((m) => {
        m.reportBooking(this, type, data)
        return m
      })
    }
  }

  #fail(code: ErrorCode, message: string) {
    if (this.status === 'error') return
    this.#control.settle()
    if (code !== 'timeout') {
      this.#embed?.destroy(this.#container())
      this.#embed = undefined
    }
    this.status = 'error'
    this.dispatchEvent(new ChurchhubErrorEvent({ code, message, bookingUrl: this.bookingUrl }))
  }

  /** Hands over to the questionnaire chunk; `open`: show the questions now (the popup button was used). */
  #ask(open?: boolean) {
    return import('./questionnaire-flow.js').then((m) => m.ask(this, open))
  }

  // Lit calls listeners with the element as `this`.
  #startConsented() {
    void this.#showInline(this.#generation)
  }

  #warmUp() {
    if (!this.consent && !(this.form && !this.answered)) void this.#prepare(this.#generation)
  }

  #fallback() {
    const t = this.#strings
    const url = this.bookingUrl
    return html`<div part="fallback" class="fallback" role="alert">
      <p>${t.failed}</p>
      ${url ? html`<a part="link" href=${url}>${t.openLink}</a>` : nothing}
    </div>`
  }

  protected override render() {
    const t = this.#strings
    if (this.mode !== 'inline') {
      return html`<button
          part="button"
          type="button"
          class="button ${this.mode}"
          @pointerenter=${this.#warmUp}
          @focus=${this.#warmUp}
          @click=${this.open}
        >
          ${this.label || t.book}
        </button>

        <span class="visually-hidden" role="status">${this.status === 'loading' ? t.loading : ''}</span>
        ${this.status === 'error' ? this.#fallback() : nothing}`
    }
    const busy = this.status === 'waiting' || this.status === 'loading'
    return html`<div part="base" class="base" aria-busy=${busy}>
      ${this.status === 'consent'
        ? html`<div part="consent" class="card">
            <p>${t.consent}</p>
            <button part="consent-button button" type="button" class="button" @click=${this.#startConsented}>${t.consentButton}</button>
          </div>`
        : nothing}
      ${this.status === 'error' ? this.#fallback() : nothing}
      ${busy
        ? html`<div part="skeleton" class="skeleton" role="status">
            <span class="visually-hidden">${t.loading}</span>
            <slot></slot>
          </div>`
        : nothing}
      <div part="embed" class="embed ${this.status}"></div>
    </div>`
  }
}
