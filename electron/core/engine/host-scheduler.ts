import { BandedQueue } from '../crawl/banded-queue.ts'

/**
 * Which request goes next: a global limit (the semaphore), a limit per host, and per-host pauses
 * (Retry-After), all changeable while a run goes. Hosts with work take turns (round robin), so one
 * big host cannot starve the others. Pure bookkeeping: no I/O, no timers; the engine drives it.
 *
 * Optional hooks (spider mode and politeness): a host's own limit below the user's (adaptive
 * concurrency, one request at a time until robots.txt is read), and a pacer that spaces request
 * starts on a host. A host held back by time (a pause or its pacing) with work waiting asks for a
 * wake-up through `onWakeNeeded(host, at)`; the engine keeps one timer per such host and calls
 * `wake` then, so nothing polls.
 *
 * Bands (`bandOf`, the spider's link depth) keep a crawl breadth first with many requests in
 * flight. A page first reached through a longer path keeps that depth, and near the depth limit
 * its links are lost: on a 50,000-page site at 200 requests at once, 2,000–2,900 pages within the
 * limit (3–4%) were never found. Two rules:
 * - A lower band always starts first on a host.
 * - An item of band b waits while items of band b − 2 or lower are in flight (one of them may
 *   still link to it at band b − 1), for at most `bandHoldMs` after the latest of them started, so
 *   one hanging page cannot stall the crawl. Adjacent bands overlap freely, which keeps the
 *   concurrency filled between levels.
 */

export interface HostState<T> {
  readonly name: string
  readonly queue: BandedQueue<T>
  active: number
  /** Epoch ms before which nothing starts on this host. */
  pausedUntil: number
}

export interface Limits {
  readonly concurrency: number
  readonly perHostConcurrency: number
}

/** Spaces request starts per host (see HostPacer). */
export interface StartPacer {
  /** Epoch ms at which the next request on `host` may start: `now` or later. */
  earliestStart(host: string, now: number): number
  noteStart(host: string, now: number): void
}

export interface SchedulerHooks<T = unknown> {
  /** The host's own limit; the scheduler never goes above the user's per-host limit either way. */
  readonly hostLimit?: (host: string) => number
  readonly pacer?: StartPacer
  /** A host with work waits for time alone (pause or pacing) until `at`: call wake(host, …) then. */
  readonly onWakeNeeded?: (host: string, at: number) => void
  /** The item's band (a small integer ≥ 0): lower bands start first on a host. */
  readonly bandOf?: (item: T) => number
  /** How long a started item holds back items two or more bands above it (ms; 0 = not at all). */
  readonly bandHoldMs?: number
}

export class HostScheduler<T> {
  readonly #hosts = new Map<string, HostState<T>>()
  /** Hosts that could start a request now, in turn order. */
  readonly #ready = new Set<HostState<T>>()
  #limits: Limits
  readonly #hooks: SchedulerHooks<T>
  #active = 0
  #queued = 0
  /** Items in flight per band, and when the latest of each band started (bands only). */
  readonly #bandActive: number[] = []
  readonly #bandLatestStart: number[] = []
  /** Hosts whose next item waits for shallower items in flight; re-checked as those finish. */
  readonly #bandHeld = new Set<HostState<T>>()

  constructor(limits: Limits, hooks: SchedulerHooks<T> = {}) {
    this.#limits = limits
    this.#hooks = hooks
  }

  /** The limit that applies to one host now. */
  limitOf(hostName: string): number {
    const own = this.#hooks.hostLimit?.(hostName)
    return own === undefined
      ? this.#limits.perHostConcurrency
      : Math.min(own, this.#limits.perHostConcurrency)
  }

  get active(): number {
    return this.#active
  }

  get queued(): number {
    return this.#queued
  }

  get limits(): Limits {
    return this.#limits
  }

  setLimits(limits: Limits, now: number): void {
    this.#limits = limits
    for (const host of this.#hosts.values()) this.#refresh(host, now)
  }

  host(name: string): HostState<T> {
    let host = this.#hosts.get(name)
    if (!host) {
      host = { name, queue: new BandedQueue<T>(this.#hooks.bandOf ?? null), active: 0, pausedUntil: 0 }
      this.#hosts.set(name, host)
    }
    return host
  }

  /** Every host seen so far (the hosts view). */
  hostList(): HostState<T>[] {
    return [...this.#hosts.values()]
  }

  /** Adds work; `front` puts a retry ahead of the host's fresh work. */
  enqueue(hostName: string, item: T, now: number, front = false): void {
    const host = this.host(hostName)
    if (front) host.queue.unshift(item)
    else host.queue.push(item)
    this.#queued += 1
    this.#refresh(host, now)
  }

  /** The next item allowed to start now, marked active; null when none may start. */
  next(now: number): { readonly item: T; readonly host: HostState<T> } | null {
    if (this.#active >= this.#limits.concurrency) return null
    for (const host of this.#ready) {
      this.#ready.delete(host)
      const head = host.queue.peek()
      if (head === undefined) continue
      const band = this.#bandOf(head)
      const heldUntil = this.#heldUntil(band, now)
      if (heldUntil > now) {
        this.#bandHeld.add(host)
        this.#hooks.onWakeNeeded?.(host.name, heldUntil)
        continue
      }
      const item = host.queue.shift()
      if (item === undefined) continue
      this.#bandActive[band] = (this.#bandActive[band] ?? 0) + 1
      this.#bandLatestStart[band] = now
      this.#queued -= 1
      host.active += 1
      this.#active += 1
      this.#hooks.pacer?.noteStart(host.name, now)
      // Re-adding puts the host at the back of the turn order.
      this.#refresh(host, now)
      return { item, host }
    }
    return null
  }

  /** A started item finished (or went to sleep before a retry): its slots free up. */
  release(host: HostState<T>, now: number, item: T): void {
    host.active -= 1
    this.#active -= 1
    const band = this.#bandOf(item)
    const left = (this.#bandActive[band] ?? 1) - 1
    this.#bandActive[band] = left
    if (left === 0 && this.#bandHeld.size > 0) {
      for (const held of this.#bandHeld) {
        this.#bandHeld.delete(held)
        this.#refresh(held, now)
      }
    }
    this.#refresh(host, now)
  }

  /** Holds a host back until `until` (epoch ms); extends but never shortens a pause. */
  pauseHost(hostName: string, until: number, now: number): void {
    const host = this.host(hostName)
    host.pausedUntil = Math.max(host.pausedUntil, until)
    this.#refresh(host, now)
  }

  /** Re-checks a host whose pause (or hold) may have ended. */
  wake(hostName: string, now: number): void {
    const host = this.#hosts.get(hostName)
    if (!host) return
    this.#bandHeld.delete(host)
    this.#refresh(host, now)
  }

  /** Drops all queued work (cancel). */
  clear(): void {
    this.#ready.clear()
    this.#bandHeld.clear()
    this.#hosts.clear()
    this.#queued = 0
  }

  #bandOf(item: T): number {
    const bandOf = this.#hooks.bandOf
    return bandOf === undefined ? 0 : Math.max(0, Math.floor(bandOf(item)))
  }

  /** Until when an item of `band` waits for items two or more bands below still in flight (0: no wait). */
  #heldUntil(band: number, now: number): number {
    const hold = this.#hooks.bandHoldMs ?? 0
    if (hold <= 0) return 0
    let until = 0
    const last = Math.min(band - 2, this.#bandActive.length - 1)
    for (let b = 0; b <= last; b++) {
      if ((this.#bandActive[b] ?? 0) === 0) continue
      const end = (this.#bandLatestStart[b] ?? 0) + hold
      if (end > now && end > until) until = end
    }
    return until
  }

  #refresh(host: HostState<T>, now: number): void {
    if (host.queue.length === 0 || host.active >= this.limitOf(host.name)) {
      this.#ready.delete(host)
      return
    }
    const pacer = this.#hooks.pacer
    const notBefore = pacer
      ? Math.max(host.pausedUntil, pacer.earliestStart(host.name, now))
      : host.pausedUntil
    if (notBefore <= now) {
      if (!this.#ready.has(host)) this.#ready.add(host)
    } else {
      this.#ready.delete(host)
      this.#hooks.onWakeNeeded?.(host.name, notBefore)
    }
  }
}
