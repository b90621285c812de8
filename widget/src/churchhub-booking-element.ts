import { LitElement, html, nothing } from 'lit'
import { CalEmbed, type UiConfig } from './cal-embed.js'
import { styles } from './churchhub-booking-styles.js'
import {
  type BookingDetail,
  ChurchhubBookingSuccessfulEvent,
  ChurchhubErrorEvent,
  ChurchhubReadyEvent,
  type ErrorCode,
} from './events.js'
import { type FetchLike, type HostInfo, type MemberInfo, fetchHostInfo, fetchMember, scriptOrigin } from './host-info.js'
import { stringsFor } from './locales/index.js'

type Status = 'waiting' | 'consent' | 'loading' | 'ready' | 'error'
type Mode = 'inline' | 'popup' | 'floating'

const LAZY_MARGIN = '200px'
// Changing any of these after the embed started means a different booking page: start over.
const RESTART_ON: (keyof ChurchhubBookingElement)[] = ['username', 'event', 'mode', 'name', 'email', 'notes', 'memberToken', 'theme', 'brandColor', 'layout', 'api']

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
    status: { state: true },
    host: { state: true },
  }

  /** The host's ChurchHub username. */
  username = ''
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
  /** `datalayer`: also push a booking event (no name, email or notes) to `window.dataLayer`. */
  analytics = ''
  /** Milliseconds to wait for the booking page before showing the plain link instead. */
  timeout = 15_000

  private status: Status = 'waiting'
  private host: HostInfo | undefined

  #embed: CalEmbed | undefined
  #observer: IntersectionObserver | undefined
  #aborter: AbortController | undefined
  #info: Promise<[HostInfo, MemberInfo | undefined]> | undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  #reported = new Set<string>()
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
    this.#setUp()
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
    if (this.mode !== 'inline') {
      if (!this.lazy && !this.consent) void this.#prepare(generation)
      return
    }
    if (this.consent) {
      this.status = 'consent'
      return
    }
    if (!this.lazy) {
      void this.#showInline(generation)
      return
    }
    this.#observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return
        this.#observer?.disconnect()
        void this.#showInline(generation)
      },
      { rootMargin: LAZY_MARGIN },
    )
    this.#observer.observe(this)
  }

  #tearDown() {
    this.#generation++
    this.#aborter?.abort()
    this.#observer?.disconnect()
    this.#observer = undefined
    clearTimeout(this.#timer)
    this.#embed?.destroy(this.#container())
    this.#embed = undefined
  }

  #container() {
    return this.renderRoot?.querySelector<HTMLElement>('.embed')
  }

  /** Host (and member) information once per setup, then embed.js with this element's namespace. */
  async #prepare(generation: number): Promise<CalEmbed | undefined> {
    const signal = this.#aborter!.signal
    const api = this.api || scriptOrigin
    // Without the member the booking page still works, just not pre-filled: say so, carry on.
    this.#info ??= Promise.all([
      fetchHostInfo(this.fetch, api, this.username, signal),
      this.memberToken && fetchMember(this.fetch, api, this.memberToken, signal).catch((err) => {
        if (!signal.aborted) this.dispatchEvent(new ChurchhubErrorEvent({ code: 'member-unavailable', message: err.message, bookingUrl: undefined }))
      }),
    ]) as Promise<[HostInfo, MemberInfo | undefined]>
    let host: HostInfo, member: MemberInfo | undefined
    try {
      ;[host, member] = await this.#info
    } catch (err) {
      if (generation === this.#generation) this.#fail('host-unavailable', (err as Error).message)
      return undefined
    }
    if (generation !== this.#generation) return undefined
    this.host = host
    const embed = (this.#embed ??= new CalEmbed({
      embedJsUrl: host.embedJsUrl,
      calOrigin: host.calOrigin,
      calLink: this.#calLink,
      config: this.#bookingConfig(member),
      ui: this.#uiConfig(),
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
    this.status = 'loading'
    this.#startWatchdog(generation)
    const embed = await this.#prepare(generation)
    if (!embed) return
    await this.updateComplete
    embed.inline(this.#container()!)
  }

  /** Opens the booking page in Cal's modal (popup and floating modes). */
  async open() {
    const generation = this.#generation
    if (this.status === 'loading') return
    this.status = 'loading'
    // One iframe per namespace: a second opening starts a fresh embed rather than reuse Cal's closed modal.
    if (this.#opened) {
      this.#embed?.destroy()
      this.#embed = undefined
    }
    this.#startWatchdog(generation)
    const embed = await this.#prepare(generation)
    if (!embed) return
    this.#opened = true
    const box = embed.modal()
    box?.addEventListener('close', () => this.renderRoot.querySelector('button')?.focus(), { once: true })
  }

  #startWatchdog(generation: number) {
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      if (generation === this.#generation && this.status === 'loading') this.#fail('timeout', `not ready after ${this.timeout} ms`)
    }, this.timeout)
  }

  #onCalEvent(type: string, data: Record<string, any>) {
    // Also after the timeout: the link is offered meanwhile, but a late calendar still beats it.
    if (type === 'linkReady' && this.status !== 'ready') {
      clearTimeout(this.#timer)
      this.status = 'ready'
      // The modal's iframe is hidden until the page is ready; then the keyboard user is taken into it.
      if (this.mode !== 'inline') this.#embed?.modalBox()?.querySelector('iframe')?.focus()
      this.dispatchEvent(new ChurchhubReadyEvent({ calLink: this.#calLink, mode: this.mode }))
    } else if (type === 'linkFailed') {
      this.#fail('link-failed', `Cal.com could not show ${this.#calLink} (${String(data.code)})`)
    } else if (type === 'bookingSuccessfulV2' || type === 'bookingSuccessful') {
      // The page posts the deprecated bookingSuccessful, then bookingSuccessfulV2, for one booking
      // (a recurring series: V2 only; older pages: the old one only). Whichever comes first is
      // reported; the other is recognised by its uid.
      const v1 = type === 'bookingSuccessful'
      const b = v1 ? data.booking ?? {} : data
      this.#report({
        uid: String(b.uid),
        start: b.startTime ?? data.date,
        end: b.endTime,
        eventTypeId: b.eventTypeId ?? data.eventType?.id,
        eventType: (v1 && data.eventType?.slug) || this.event || undefined,
        status: b.status,
        paymentRequired: Boolean(b.paymentRequired),
      })
    }
  }

  #report(detail: BookingDetail) {
    if (this.#reported.has(detail.uid)) return
    this.#reported.add(detail.uid)
    this.dispatchEvent(new ChurchhubBookingSuccessfulEvent(detail))
    if (this.analytics === 'datalayer') {
      const w = window as unknown as { dataLayer?: unknown[] }
      ;(w.dataLayer ??= []).push({
        event: 'churchhub_booking',
        churchhub_host: this.username,
        churchhub_event_type: detail.eventType,
        churchhub_booking_uid: detail.uid,
        churchhub_status: detail.status,
      })
    }
  }

  #fail(code: ErrorCode, message: string) {
    if (this.status === 'error') return
    clearTimeout(this.#timer)
    if (code !== 'timeout') {
      this.#embed?.destroy(this.#container())
      this.#embed = undefined
    }
    this.status = 'error'
    this.dispatchEvent(new ChurchhubErrorEvent({ code, message, bookingUrl: this.bookingUrl }))
  }

  #bookingConfig(member: MemberInfo | undefined): Record<string, string> {
    const config: Record<string, string> = {}
    const name = this.name || member?.name
    const email = this.email || member?.email
    if (name) config.name = name
    if (email) config.email = email
    if (this.notes) config.notes = this.notes
    if (this.theme) config.theme = this.theme
    if (this.layout) config.layout = this.layout
    return config
  }

  #uiConfig(): UiConfig {
    const ui: UiConfig = {}
    if (this.theme) ui.theme = this.theme
    if (this.layout) ui.layout = this.layout
    const brand = this.brandColor || getComputedStyle(this).getPropertyValue('--churchhub-brand-color').trim()
    if (brand) {
      ui.styles = { branding: { brandColor: brand } }
      ui.cssVarsPerTheme = { light: { 'cal-brand': brand }, dark: { 'cal-brand': brand } }
    }
    return ui
  }

  #startConsented = () => {
    void this.#showInline(this.#generation)
  }

  #warmUp = () => {
    if (!this.consent) void this.#prepare(this.#generation)
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
          class=${this.mode === 'floating' ? 'button floating' : 'button'}
          @pointerenter=${this.#warmUp}
          @focus=${this.#warmUp}
          @click=${() => void this.open()}
        >
          ${this.label || t.book}
        </button>
        <span class="visually-hidden" role="status">${this.status === 'loading' ? t.loading : ''}</span>
        ${this.status === 'error' ? this.#fallback() : nothing}`
    }
    const busy = this.status === 'waiting' || this.status === 'loading'
    return html`<div part="base" class="base" aria-busy=${busy ? 'true' : 'false'}>
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
      <div part="embed" class=${this.status === 'ready' ? 'embed' : 'embed pending'}></div>
    </div>`
  }
}
