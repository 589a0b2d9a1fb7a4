/**
 * How a demo "host" behaves under load, the way real servers do:
 *
 * - **Capacity.** A host has `workers`: that many requests are worked on at once. Past it, requests
 *   wait in a first-come queue for a free worker, so latency = queueing + the route's own service
 *   time (its scripted delay). A client that sends more at once than a host can serve gets slower
 *   answers, not more throughput.
 * - **Rate limit.** A host may have a token bucket (`perSecond` tokens a second, up to `burst`
 *   saved). A request that finds a token is served; one that finds none is answered at once with
 *   429 and a Retry-After of the whole seconds until the bucket holds a token again (at least 1),
 *   so a client that honours it finds a token when it comes back. A client within the rate is never
 *   refused.
 *
 * Written here rather than taken from a rate-limiting library: those (bottleneck, p-queue, limiter)
 * delay the caller, while the demo must refuse and say exactly when to come back, from a clock the
 * tests can set. Pure except for the pool's callbacks: `now` is passed in.
 */

export interface DemoRateLimit {
  /** Tokens added a second: the sustained request rate the host accepts. */
  readonly perSecond: number
  /** Tokens the bucket holds at most: how many requests may come at once after a quiet spell. */
  readonly burst: number
}

export interface DemoHostLoad {
  /** Requests worked on at once; more wait in a queue. null: unlimited (every request at once). */
  readonly workers: number | null
  /** null: no rate limit. */
  readonly rateLimit: DemoRateLimit | null
}

/** Every request at once, no rate limit: how a target behaves unless told otherwise. */
export const DEMO_UNLOADED: DemoHostLoad = Object.freeze({ workers: null, rateLimit: null })

/** The origin (by index) the workshop's rate limit is on; the demo list homes its API calls there. */
export const DEMO_API_HOST = 1

/**
 * The workshop demo's three hosts. Only the API-like host is rate limited, as in a real crawl
 * (APIs meter callers; sites mostly slow down): a Retry-After pause then holds back that host
 * while the others go on, which is what the demo teaches. Its rate, 100 requests a second, is below
 * what 32 requests at once can ask of it (16 workers over ~80 ms of average service: about 200 a
 * second), so a run at per-host 32 meets 429s there; one at the workshop preset (32 over three
 * hosts, ~11 each) asks for about 130 a second and meets a few. Its burst is one second of tokens,
 * so the one-second Retry-After pause a client honours refills the bucket, not less. The other
 * hosts have room for 24 and 12 requests at once: a run at per-host 32 sees their latency grow
 * by queueing.
 */
export const DEMO_WORKSHOP_LOAD: readonly DemoHostLoad[] = Object.freeze([
  { workers: 24, rateLimit: null },
  { workers: 16, rateLimit: { perSecond: 100, burst: 100 } },
  { workers: 12, rateLimit: null }
])

export function checkHostLoad(load: DemoHostLoad, where: string): void {
  if (load.workers !== null && (!Number.isInteger(load.workers) || load.workers < 1))
    throw new Error(`${where}: workers must be a whole number ≥ 1 or null, got ${String(load.workers)}`)
  const limit = load.rateLimit
  if (limit === null) return
  if (!Number.isFinite(limit.perSecond) || limit.perSecond <= 0)
    throw new Error(`${where}: rateLimit.perSecond must be > 0, got ${String(limit.perSecond)}`)
  if (!Number.isFinite(limit.burst) || limit.burst < 1)
    throw new Error(`${where}: rateLimit.burst must be ≥ 1, got ${String(limit.burst)}`)
}

export type TakeResult =
  | { readonly ok: true; readonly remaining: number }
  | { readonly ok: false; readonly retryAfterSeconds: number }

/** A token bucket that starts full. */
export class TokenBucket {
  readonly #perMs: number
  readonly #burst: number
  #tokens: number
  #at: number

  constructor(limit: DemoRateLimit, now: number) {
    this.#perMs = limit.perSecond / 1000
    this.#burst = limit.burst
    this.#tokens = limit.burst
    this.#at = now
  }

  #refill(now: number): void {
    if (now > this.#at) {
      this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#at) * this.#perMs)
      this.#at = now
    }
  }

  /** Takes a token, or says in whole seconds (≥ 1) when the bucket will hold one. */
  take(now: number): TakeResult {
    this.#refill(now)
    if (this.#tokens >= 1) {
      this.#tokens -= 1
      return { ok: true, remaining: Math.floor(this.#tokens) }
    }
    const waitMs = (1 - this.#tokens) / this.#perMs
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) }
  }
}

/**
 * A host's workers: `acquire` runs `start` when a worker is free (at once, or after those queued
 * before it) and returns a cancel; the caller calls `release` once its answer is done.
 */
export class WorkerPool {
  readonly #workers: number
  #busy = 0
  readonly #queue = new Set<() => void>()

  constructor(workers: number) {
    this.#workers = workers
  }

  get busy(): number {
    return this.#busy
  }

  get queued(): number {
    return this.#queue.size
  }

  /** Returns a function that withdraws the request if it is still waiting (a no-op once started). */
  acquire(start: () => void): () => void {
    if (this.#busy < this.#workers) {
      this.#busy += 1
      start()
      return () => {}
    }
    const waiter = (): void => {
      this.#busy += 1
      start()
    }
    this.#queue.add(waiter)
    return () => {
      this.#queue.delete(waiter)
    }
  }

  release(): void {
    this.#busy = Math.max(0, this.#busy - 1)
    // Sets iterate in insertion order: the oldest waiter goes first.
    const next = this.#queue.values().next()
    if (!next.done) {
      this.#queue.delete(next.value)
      next.value()
    }
  }
}
