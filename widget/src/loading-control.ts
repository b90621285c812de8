// Within this distance of the viewport an inline element starts loading: by the time the visitor
// scrolls to it, the booking page is usually there.
const LAZY_MARGIN = 200

/** Rendered (not inside display:none) and within the margin of the viewport's height. */
export function near(el: Element) {
  const box = el.getBoundingClientRect()
  return (el as HTMLElement).offsetParent && box.top < innerHeight + LAZY_MARGIN && box.bottom > -LAZY_MARGIN
}

/**
 * When an inline element may start on Cal.com (at once, or once near the viewport) and how long
 * the booking page may take before the plain link is offered instead.
 */
export class LoadingControl {
  #observer: IntersectionObserver | undefined
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(private readonly element: Element) {}

  /** Calls `show` now when `lazy` is false or the element is already near the viewport, else once it comes near. */
  whenNear(lazy: boolean, show: () => void) {
    // Already in view as the script runs (a calendar on the first screen): start now, not after
    // the first frame an IntersectionObserver would wait for.
    if (!lazy || near(this.element)) return show()
    this.#observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return
        this.stop()
        show()
      },
      { rootMargin: `${LAZY_MARGIN}px` },
    )
    this.#observer.observe(this.element)
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
    this.settle()
  }
}
