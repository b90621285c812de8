// Within this distance of the viewport an inline element starts loading: by the time the visitor
// scrolls to it, the booking page is usually there.
const LAZY_MARGIN = '200px'

export interface LoadingPlan {
  inline: boolean
  lazy: boolean
  consent: boolean
}

export interface LoadingSteps {
  /** Inline: load and show the booking page now. */
  show: () => void
  /** Popup and floating: load what the modal needs, before the first click. */
  prepare: () => void
  /** Show the click-to-load card instead. */
  ask: () => void
}

/**
 * When an element may start on Cal.com (at once, near the viewport, or after the visitor's
 * consent) and how long the booking page may take before the plain link is offered instead.
 */
export class LoadingControl {
  #observer: IntersectionObserver | undefined
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(private readonly element: Element) {}

  begin(plan: LoadingPlan, steps: LoadingSteps) {
    if (!plan.inline) {
      // The button stays idle until hovered, focused or clicked, unless told to load at once.
      if (!plan.lazy && !plan.consent) steps.prepare()
    } else if (plan.consent) {
      steps.ask()
    } else if (!plan.lazy) {
      steps.show()
    } else if (this.#near()) {
      // Already in view as the script runs (a calendar on the first screen): start now, not after
      // the first frame an IntersectionObserver would wait for.
      steps.show()
    } else {
      this.#observer = new IntersectionObserver(
        (entries) => {
          if (!entries.some((e) => e.isIntersecting)) return
          this.#observer?.disconnect()
          steps.show()
        },
        { rootMargin: LAZY_MARGIN },
      )
      this.#observer.observe(this.element)
    }
  }

  // A box (not inside display:none) within the margin of the viewport's height.
  #near() {
    const box = this.element.getBoundingClientRect()
    return box.width && box.top < innerHeight + 200 && box.bottom > -200
  }

  /** Calls `expired` after `ms` unless `settle()` or `stop()` comes first. */
  watch(ms: number, expired: () => void) {
    this.settle()
    this.#timer = setTimeout(expired, ms)
  }

  settle() {
    clearTimeout(this.#timer)
  }

  stop() {
    this.#observer?.disconnect()
    this.#observer = undefined
    this.settle()
  }
}
