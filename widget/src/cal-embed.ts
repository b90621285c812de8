import EmbedSnippet from '@calcom/embed-snippet'

/** What embed.js's `ui` instruction takes (`@calcom/embed-core` UiConfig, the parts we use). */
export interface UiConfig {
  theme?: 'light' | 'dark' | 'auto'
  layout?: string
  styles?: { branding?: { brandColor?: string } }
  cssVarsPerTheme?: Record<'light' | 'dark', Record<string, string>>
}

export interface CalEmbedOptions {
  embedJsUrl: string
  calOrigin: string
  calLink: string
  /** Flat booking-page parameters (prefill, theme, layout): embed.js puts each in the iframe URL. */
  config: Record<string, string>
  ui: UiConfig
  iframeTitle: string
  /** Only events from the booking origin and from this embed's own iframe reach here. */
  onEvent: (type: string, data: Record<string, unknown>) => void
  /** Where the inline iframe will live when that is a shadow root (not searchable from `document`). */
  root?: ParentNode
}

interface CalEventDetail { type: string; fullType: string; data: Record<string, unknown> }

type Instruction = (...args: unknown[]) => void
type Queue = Instruction & { q: unknown[] }
interface CalGlobal extends Queue {
  ns: Record<string, Queue>
  loaded?: boolean
  version?: string
}

// The events we listen for. `*` would also deliver embed.js's internal `__…` traffic.
const ACTIONS = ['linkReady', 'linkFailed', 'bookingSuccessful', 'bookingSuccessfulV2']

// Namespaces must be unique on the page even when this bundle is loaded twice, and contain no `:`.
const prefix = `churchhub${Math.random().toString(36).slice(2, 7)}`
let counter = 0

let embedLoad: Promise<boolean> | undefined

/**
 * Starts loading embed.js (once per page) before any booking link is known, so that the host
 * answer and the script travel at the same time. The snippet appends embed.js only on the first
 * instruction, and the first instruction (`init`) needs the booking origin the host answer brings:
 * so the queue is installed by the snippet and the script appended here, as the snippet would.
 * When `window.Cal` already exists (another snippet on the page), that copy is used as it is.
 */
export function startEmbedJs(url: string): Promise<boolean> {
  const Cal = (EmbedSnippet as unknown as (url: string) => CalGlobal)(url)
  if (Cal.version || Cal.loaded) return (embedLoad ??= Promise.resolve(true)) // someone else's snippet: rely on the element's timeout
  Cal.ns = {}
  Cal.q = []
  Cal.loaded = true
  const script = document.head.appendChild(document.createElement('script'))
  embedLoad = new Promise<boolean>((resolve) => {
    script.onload = () => resolve(true)
    script.onerror = () => resolve(false)
  })
  script.src = url
  return embedLoad
}

/** Opens the connection to the booking origin while embed.js and the host answer are on their way. */
export function preconnect(origin: string) {
  const link = document.head.appendChild(document.createElement('link'))
  link.rel = 'preconnect'
  link.href = origin
}

/** One Cal.com embed (one namespace, one iframe) owned by one element. */
export class CalEmbed {
  readonly namespace = `${prefix}${++counter}`
  #origin: string
  #sender: { data: unknown; trusted: boolean } | undefined
  #waiting: CalEventDetail | undefined
  #api: Instruction

  readonly #options: CalEmbedOptions

  constructor(options: CalEmbedOptions) {
    this.#options = options
    this.#origin = new URL(options.calOrigin).origin
    // First: the script must not be appended by the snippet's first instruction below.
    this.loaded = startEmbedJs(options.embedJsUrl)
    const Cal = (window as unknown as { Cal: CalGlobal }).Cal
    // Our own look at each message (origin, sender), paired with embed.js's re-fired event below.
    window.addEventListener('message', this.#recordSender, true)
    Cal('init', this.namespace, { origin: options.calOrigin, calOrigin: options.calOrigin })
    this.#api = Cal.ns[this.namespace]!
    for (const action of ACTIONS) this.#api('on', { action, callback: this.#deliver })
  }

  /** False when embed.js could not be loaded (the page has no booking calendar then). */
  readonly loaded: Promise<boolean>

  /** The booking page inside `container` (which may sit in a shadow root: embed.js accepts the element). */
  inline(container: HTMLElement) {
    this.#api('inline', { calLink: this.#options.calLink, elementOrSelector: container, config: { ...this.#options.config } })
    this.#api('ui', this.#options.ui)
    this.#retitle(container)
  }

  /** Cal's modal with the booking page; returns the modal box when embed.js made it at once. */
  modal(): HTMLElement | null | undefined {
    this.#api('modal', { calLink: this.#options.calLink, calOrigin: this.#options.calOrigin, config: { ...this.#options.config } })
    this.#api('ui', this.#options.ui)
    const box = this.modalBox()
    if (box) this.#retitle(box)
    return box
  }

  /** The modal box of this namespace, once embed.js is running (it is appended to `document.body`). */
  modalBox(): HTMLElement | null | undefined {
    return this.iframes(document).find((f) => f.parentElement?.localName === 'cal-modal-box')?.parentElement
  }

  /** Every iframe of this namespace under `root` (light DOM or a shadow root). */
  iframes(root: ParentNode): HTMLIFrameElement[] {
    return [...root.querySelectorAll('iframe')].filter((f) => f.name === `cal-embed=${this.namespace}`)
  }

  /** Stops listening and removes what embed.js made for this namespace. */
  destroy(container?: Element | null) {
    window.removeEventListener('message', this.#recordSender, true)
    for (const action of ACTIONS) this.#api('off', { action, callback: this.#deliver })
    const box = this.modalBox()
    if (box) {
      if (box.style.visibility !== 'hidden') box.setAttribute('state', 'closed') // restores the page's scrolling
      box.remove()
    }
    container?.replaceChildren()
  }

  // embed.js re-fires each message as `CAL:<ns>:<type>` from its own `message` listener, which may run
  // before or after ours (registration order). Both see the same `data` object, so the two halves
  // are matched by identity, whichever comes first.
  #recordSender = (event: MessageEvent) => {
    const fullType: unknown = event.data?.fullType
    if (typeof fullType !== 'string' || !fullType.startsWith(`CAL:${this.namespace}:`)) return
    const data: unknown = event.data.data
    const trusted = event.origin === this.#origin && this.#ownIframes().some((f) => f.contentWindow === event.source)
    const waiting = this.#waiting
    this.#waiting = undefined
    if (waiting && waiting.data === data) {
      if (trusted) this.#options.onEvent(waiting.type, waiting.data)
      return
    }
    this.#sender = { data, trusted }
  }

  // One listener for every action: embed.js adds it to `window` once per event name.
  #deliver = (event: Event) => {
    const detail = (event as CustomEvent<CalEventDetail>).detail
    if (!detail.data || typeof detail.data !== 'object') return
    const sender = this.#sender
    this.#sender = undefined
    if (sender?.data === detail.data) {
      // embed.js checks neither origin nor sender: anything on the page can post these messages.
      if (sender.trusted) this.#options.onEvent(detail.type, detail.data)
    } else {
      this.#waiting = detail
    }
  }

  #ownIframes() {
    return [...this.iframes(document), ...(this.#options.root ? this.iframes(this.#options.root) : [])]
  }

  #retitle(root: ParentNode) {
    for (const frame of this.iframes(root)) frame.title = this.#options.iframeTitle
  }
}
