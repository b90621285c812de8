import { LitElement, html, nothing, type PropertyValues } from 'lit'
import { property, state } from 'lit/decorators.js'
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
// Cal's page posts bookingSuccessful then bookingSuccessfulV2; the older one is used alone only
// when the newer one has not followed within this long (an older booking page).
const V2_GRACE_MS = 1500
// Changing any of these after the embed started means a different booking page: start over.
const RESTART_ON: (keyof ChurchhubBookingElement)[] = ['username', 'event', 'mode', 'name', 'email', 'notes', 'memberToken', 'theme', 'brandColor', 'layout', 'api']

const onOff = { fromAttribute: (v: string | null) => v !== 'false' && v !== 'off' }

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

  /** The host's ChurchHub username. */
  @property({ reflect: true }) username = ''
  /** An event-type slug (`30min`); without it the host's list of event types. */
  @property() event = ''
  @property({ reflect: true }) mode: Mode = 'inline'
  /** Button text in popup and floating modes. */
  @property() label = ''
  /** Pre-fills the booking form. */
  @property() name = ''
  @property() email = ''
  @property() notes = ''
  /** A member assertion signed by the church site: the member's own email is pre-filled. */
  @property({ attribute: 'member-token' }) memberToken = ''
  @property() theme: '' | 'light' | 'dark' | 'auto' = ''
  @property({ attribute: 'brand-color' }) brandColor = ''
  @property() layout: '' | 'month_view' | 'week_view' | 'column_view' = ''
  /** Language of the element's own words (`en`, `es`); default: the page's `<html lang>`. */
  @property({ attribute: 'lang' }) locale = ''
  /** The ChurchHub server; default: the server this script was loaded from. */
  @property() api = ''
  /** Nothing of Cal.com is fetched before the element nears the viewport (popup: first hover, focus or click). `lazy="false"` loads at once. */
  @property({ converter: onOff }) lazy = true
  /** Shows a click-to-load card: nothing is requested from Cal.com before the visitor agrees. */
  @property({ type: Boolean }) consent = false
  /** `datalayer`: also push a booking event (no name, email or notes) to `window.dataLayer`. */
  @property() analytics = ''
  /** Milliseconds to wait for the booking page before showing the plain link instead. */
  @property({ type: Number }) timeout = 15_000

  @state() private status: Status = 'waiting'
  @state() private host: HostInfo | undefined
  @state() private errorCode: ErrorCode | undefined

  private embed: CalEmbed | undefined
  private observer: IntersectionObserver | undefined
  private aborter: AbortController | undefined
  private hostInfo: Promise<HostInfo> | undefined
  private member: Promise<MemberInfo | undefined> | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private pendingV1: { detail: BookingDetail; timer: ReturnType<typeof setTimeout> } | undefined
  private reported = new Set<string>()
  private opened = false
  private generation = 0

  /** The I/O seam: replace it to serve host information from elsewhere (tests, other transports). */
  fetch: FetchLike = (input, init) => window.fetch(input, init)

  private get strings() {
    return stringsFor(this.locale || document.documentElement.lang)
  }

  private get calLink() {
    return this.host ? (this.event ? `${this.host.calLink}/${this.event}` : this.host.calLink) : ''
  }

  /** The plain booking page on Cal.com, offered when the embed cannot be shown. */
  get bookingUrl(): string | undefined {
    return this.host ? `${this.host.calOrigin.replace(/\/+$/, '')}/${this.calLink}` : undefined
  }

  override connectedCallback() {
    super.connectedCallback()
    this.setUp()
  }

  override disconnectedCallback() {
    super.disconnectedCallback()
    this.tearDown()
  }

  protected override updated(changed: PropertyValues<ChurchhubBookingElement>) {
    if (!this.isConnected || !this.hasUpdated) return
    if (RESTART_ON.some((key) => changed.has(key) && changed.get(key) !== undefined)) {
      this.tearDown()
      this.setUp()
    }
  }

  private setUp() {
    const generation = ++this.generation
    this.aborter = new AbortController()
    this.status = 'waiting'
    this.errorCode = undefined
    this.host = undefined
    this.hostInfo = undefined
    this.member = undefined
    this.opened = false
    if (this.mode !== 'inline') {
      if (!this.lazy && !this.consent) void this.prepare(generation)
      return
    }
    if (this.consent) {
      this.status = 'consent'
      return
    }
    if (!this.lazy) {
      void this.showInline(generation)
      return
    }
    this.observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return
        this.observer?.disconnect()
        void this.showInline(generation)
      },
      { rootMargin: LAZY_MARGIN },
    )
    this.observer.observe(this)
  }

  private tearDown() {
    this.generation++
    this.aborter?.abort()
    this.observer?.disconnect()
    this.observer = undefined
    clearTimeout(this.timer)
    if (this.pendingV1) clearTimeout(this.pendingV1.timer)
    this.pendingV1 = undefined
    this.embed?.destroy(this.container())
    this.embed = undefined
  }

  private container() {
    return this.renderRoot?.querySelector<HTMLElement>('.embed') ?? undefined
  }

  /** Host (and member) information once per setup, then embed.js with this element's namespace. */
  private async prepare(generation: number): Promise<CalEmbed | undefined> {
    const signal = this.aborter!.signal
    this.hostInfo ??= fetchHostInfo(this.fetch, this.api || scriptOrigin, this.username, signal)
    this.member ??= this.memberToken ? fetchMember(this.fetch, this.api || scriptOrigin, this.memberToken, signal).catch((err) => {
      if (!signal.aborted) this.dispatchEvent(new ChurchhubErrorEvent({ code: 'member-unavailable', message: String(err.message), bookingUrl: undefined }))
      return undefined
    }) : Promise.resolve(undefined)
    let host: HostInfo, member: MemberInfo | undefined
    try {
      ;[host, member] = await Promise.all([this.hostInfo, this.member])
    } catch (err) {
      if (generation === this.generation) this.fail('host-unavailable', (err as Error).message)
      return undefined
    }
    if (generation !== this.generation) return undefined
    this.host = host
    const embed = (this.embed ??= new CalEmbed({
      embedJsUrl: host.embedJsUrl,
      calOrigin: host.calOrigin,
      calLink: this.calLink,
      config: this.bookingConfig(member),
      ui: this.uiConfig(),
      iframeTitle: this.strings.iframeTitle,
      root: this.renderRoot,
      onEvent: (type, data) => this.onCalEvent(type, data),
    }))
    if (!(await embed.loaded)) {
      if (generation === this.generation) this.fail('embed-unavailable', `${host.embedJsUrl} could not be loaded`)
      return undefined
    }
    if (generation !== this.generation || this.embed !== embed) return undefined
    this.adoptCalVariables()
    return embed
  }

  private async showInline(generation: number) {
    this.status = 'loading'
    this.startWatchdog(generation)
    const embed = await this.prepare(generation)
    if (!embed) return
    await this.updateComplete
    embed.inline(this.container()!)
  }

  /** Opens the booking page in Cal's modal (popup and floating modes). */
  async open() {
    const generation = this.generation
    if (this.status === 'loading') return
    this.status = 'loading'
    // One iframe per namespace: a second opening starts a fresh embed rather than reuse Cal's closed modal.
    if (this.opened) {
      this.embed?.destroy()
      this.embed = undefined
    }
    this.startWatchdog(generation)
    const embed = await this.prepare(generation)
    if (!embed) return
    this.opened = true
    const box = embed.modal()
    box?.addEventListener('close', () => this.button()?.focus(), { once: true })
  }

  private button() {
    return this.renderRoot.querySelector<HTMLButtonElement>('button[part~="button"]')
  }

  private startWatchdog(generation: number) {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      if (generation === this.generation && this.status === 'loading') this.fail('timeout', `the booking page was not ready after ${this.timeout} ms`)
    }, this.timeout)
  }

  private onCalEvent(type: string, data: Record<string, any>) {
    if (type === 'linkReady' && this.status === 'loading') {
      clearTimeout(this.timer)
      this.status = 'ready'
      // The modal's iframe is hidden until the page is ready; then the keyboard user is taken into it.
      if (this.mode !== 'inline') this.embed?.modalBox()?.querySelector('iframe')?.focus()
      this.dispatchEvent(new ChurchhubReadyEvent({ calLink: this.calLink, mode: this.mode }))
    } else if (type === 'linkFailed') {
      this.fail('link-failed', `Cal.com could not show ${this.calLink} (${String(data.code)})`)
    } else if (type === 'bookingSuccessfulV2') {
      const pending = this.pendingV1?.detail.uid === data.uid ? this.pendingV1 : undefined
      if (pending) clearTimeout(pending.timer)
      this.pendingV1 = undefined
      this.report({
        uid: String(data.uid),
        title: data.title,
        start: data.startTime,
        end: data.endTime,
        eventTypeId: data.eventTypeId,
        eventType: pending?.detail.eventType ?? (this.event || undefined),
        status: data.status,
        paymentRequired: Boolean(data.paymentRequired),
      })
    } else if (type === 'bookingSuccessful') {
      const booking = data.booking ?? {}
      const detail: BookingDetail = {
        uid: String(booking.uid),
        title: booking.title,
        start: booking.startTime ?? data.date,
        end: booking.endTime,
        eventTypeId: booking.eventTypeId ?? data.eventType?.id,
        eventType: data.eventType?.slug ?? (this.event || undefined),
        status: booking.status,
        paymentRequired: Boolean(booking.paymentRequired),
      }
      if (this.pendingV1) clearTimeout(this.pendingV1.timer)
      this.pendingV1 = { detail, timer: setTimeout(() => (this.pendingV1 = undefined, this.report(detail)), V2_GRACE_MS) }
    }
  }

  private report(detail: BookingDetail) {
    if (this.reported.has(detail.uid)) return
    this.reported.add(detail.uid)
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

  private fail(code: ErrorCode, message: string) {
    if (this.status === 'error') return
    clearTimeout(this.timer)
    this.embed?.destroy(this.container())
    this.embed = undefined
    this.status = 'error'
    this.errorCode = code
    this.dispatchEvent(new ChurchhubErrorEvent({ code, message, bookingUrl: this.bookingUrl }))
  }

  private bookingConfig(member: MemberInfo | undefined): Record<string, string> {
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

  private uiConfig(): UiConfig {
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

  // embed.js writes its `--cal-*` variables into document.head only; Cal's loader inside our shadow
  // root needs them too. A constructed sheet is not inline style, so a strict CSP allows it.
  private adoptCalVariables() {
    const text = document.getElementById('cal-css-vars')?.textContent
    const root = this.shadowRoot
    if (!text || !root || (root as any).__calVars) return
    const sheet = new CSSStyleSheet()
    sheet.replaceSync(text)
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
    ;(root as any).__calVars = true
  }

  private startConsented = () => {
    void this.showInline(this.generation)
  }

  private warmUp = () => {
    if (!this.consent) void this.prepare(this.generation)
  }

  private fallback() {
    const t = this.strings
    const url = this.bookingUrl
    return html`<div part="fallback" class="fallback" role="alert">
      <p>${this.errorCode === 'host-unavailable' ? t.hostFailed : t.failed}</p>
      ${url ? html`<a part="link" href=${url}>${t.openLink}</a>` : nothing}
    </div>`
  }

  protected override render() {
    const t = this.strings
    if (this.mode !== 'inline') {
      return html`<button
          part="button"
          type="button"
          class=${this.mode === 'floating' ? 'button floating' : 'button'}
          @pointerenter=${this.warmUp}
          @focus=${this.warmUp}
          @click=${() => void this.open()}
        >
          ${this.label || t.book}
        </button>
        <span class="visually-hidden" role="status">${this.status === 'loading' ? t.loading : ''}</span>
        ${this.status === 'error' ? this.fallback() : nothing}`
    }
    const busy = this.status === 'waiting' || this.status === 'loading'
    return html`<div part="base" class="base" aria-busy=${busy ? 'true' : 'false'}>
      ${this.status === 'consent'
        ? html`<div part="consent" class="card">
            <p>${t.consent}</p>
            <button part="consent-button button" type="button" class="button" @click=${this.startConsented}>${t.consentButton}</button>
          </div>`
        : nothing}
      ${this.status === 'error' ? this.fallback() : nothing}
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
