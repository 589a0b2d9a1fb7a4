/**
 * The engine's timers, all in one place so cancel and completion clear every one: retry sleeps
 * (a backoff holds no slot) and one wake-up per host held back by time (a Retry-After pause or
 * its pacing gap) with work waiting.
 */
export class RunTimers {
  readonly #timers = new Set<NodeJS.Timeout>()
  readonly #hostWakers = new Map<string, { readonly timer: NodeJS.Timeout; readonly at: number }>()

  /** Runs `fn` after `delayMs` unless cleared first. */
  after(delayMs: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      fn()
    }, delayMs)
    this.#timers.add(timer)
  }

  /**
   * The scheduler asks to look at a host again at `at` (its pause or pacing gap ends). One timer
   * per host: an earlier ask replaces a later timer, a later ask waits for the earlier one, whose
   * wake-up asks again if the host still has to wait. Node timers run on a monotonic clock and
   * pauses on Date.now(): a timer can fire a millisecond early, and the scheduler then re-asks.
   */
  wakeAt(host: string, at: number, wake: (host: string) => void): void {
    const existing = this.#hostWakers.get(host)
    if (existing && existing.at <= at) return
    if (existing) {
      clearTimeout(existing.timer)
      this.#timers.delete(existing.timer)
    }
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer)
        this.#hostWakers.delete(host)
        wake(host)
      },
      Math.max(0, at - Date.now())
    )
    this.#timers.add(timer)
    this.#hostWakers.set(host, { timer, at })
  }

  clear(): void {
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers.clear()
    this.#hostWakers.clear()
  }
}
