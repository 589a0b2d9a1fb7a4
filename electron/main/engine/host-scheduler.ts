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
 */

class Deque<T> {
  #items: (T | undefined)[] = []
  #head = 0

  get length(): number {
    return this.#items.length - this.#head
  }

  push(item: T): void {
    this.#items.push(item)
  }

  unshift(item: T): void {
    if (this.#head > 0) {
      this.#head -= 1
      this.#items[this.#head] = item
    } else {
      this.#items.unshift(item)
    }
  }

  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined
    const item = this.#items[this.#head]
    this.#items[this.#head] = undefined
    this.#head += 1
    // Compact once the consumed prefix dominates, keeping shift O(1) amortised.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
    return item
  }
}

export interface HostState<T> {
  readonly name: string
  readonly queue: Deque<T>
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

export interface SchedulerHooks {
  /** The host's own limit; the scheduler never goes above the user's per-host limit either way. */
  readonly hostLimit?: (host: string) => number
  readonly pacer?: StartPacer
  /** A host with work waits for time alone (pause or pacing) until `at`: call wake(host, …) then. */
  readonly onWakeNeeded?: (host: string, at: number) => void
}

export class HostScheduler<T> {
  readonly #hosts = new Map<string, HostState<T>>()
  /** Hosts that could start a request now, in turn order. */
  readonly #ready = new Set<HostState<T>>()
  #limits: Limits
  readonly #hooks: SchedulerHooks
  #active = 0
  #queued = 0

  constructor(limits: Limits, hooks: SchedulerHooks = {}) {
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
      host = { name, queue: new Deque<T>(), active: 0, pausedUntil: 0 }
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
      const item = host.queue.shift()
      if (item === undefined) continue
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
  release(host: HostState<T>, now: number): void {
    host.active -= 1
    this.#active -= 1
    this.#refresh(host, now)
  }

  /** Holds a host back until `until` (epoch ms); extends but never shortens a pause. */
  pauseHost(hostName: string, until: number, now: number): void {
    const host = this.host(hostName)
    host.pausedUntil = Math.max(host.pausedUntil, until)
    this.#refresh(host, now)
  }

  /** Re-checks a host whose pause may have ended. */
  wake(hostName: string, now: number): void {
    const host = this.#hosts.get(hostName)
    if (host) this.#refresh(host, now)
  }

  /** Drops all queued work (cancel). */
  clear(): void {
    this.#ready.clear()
    this.#hosts.clear()
    this.#queued = 0
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
