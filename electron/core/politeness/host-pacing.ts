/**
 * # Per-host pacing
 *
 * Besides how many requests a host has in flight (the scheduler's per-host limit), a polite
 * crawler spaces out when requests *start* on a host. Three settings ask for a gap, and the
 * largest wins:
 * - `minDelayMs`: the user's minimum delay between two request starts on a host;
 * - `maxRequestsPerSecond`: the user's rate cap, as a fixed spacing of ceil(1000 / rate) ms, so a
 *   host never sees a burst (a token bucket would allow one after an idle spell);
 * - `crawlDelayMs`: the host's robots.txt `Crawl-delay` (seconds in the file, ms here). It is not
 *   in RFC 9309 (§2.2.4 leaves other records to crawlers); we honour it as a gap between request
 *   starts, as Bing and Yandex do, but never above `maxCrawlDelayMs` (60 s by default): a
 *   robots.txt asking for `Crawl-delay: 86400` would otherwise stall a run for days, and the
 *   reason shown says it was capped.
 *
 * Pure bookkeeping, like the scheduler: the engine asks `earliestStart(host, now)`, waits or
 * picks another host, and calls `noteStart(host, now)` when a request really starts. No timers.
 */

export interface PacingPolicy {
  /** Least time between two request starts on one host; 0 for none. */
  readonly minDelayMs: number
  /** Most request starts per second on one host; null for no cap. */
  readonly maxRequestsPerSecond: number | null
  /** The host's robots.txt Crawl-delay in ms; null when it sets none (or robots.txt is ignored). */
  readonly crawlDelayMs: number | null
  /** The longest Crawl-delay honoured. */
  readonly maxCrawlDelayMs: number
}

export const PACING_DEFAULTS: PacingPolicy = Object.freeze({
  minDelayMs: 0,
  maxRequestsPerSecond: null,
  crawlDelayMs: null,
  maxCrawlDelayMs: 60_000
})

/** Which setting sets the gap; `crawl-delay-capped` when robots.txt asked for more than the cap. */
export type PacingSource = 'none' | 'min-delay' | 'rate' | 'crawl-delay' | 'crawl-delay-capped'

export interface PacingGap {
  readonly gapMs: number
  readonly source: PacingSource
  /** For the hosts view and the decision log, e.g. "shop.example: one request every 2000 ms (robots.txt Crawl-delay: 2 s)". */
  readonly reason: string
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`

function validate(policy: PacingPolicy): PacingPolicy {
  const bad = (field: string, value: unknown, rule: string) =>
    new RangeError(`${field} must be ${rule}, got ${String(value)}`)
  if (!(Number.isFinite(policy.minDelayMs) && policy.minDelayMs >= 0)) {
    throw bad('minDelayMs', policy.minDelayMs, 'a finite number ≥ 0')
  }
  const rate = policy.maxRequestsPerSecond
  if (rate !== null && !(Number.isFinite(rate) && rate > 0)) {
    throw bad('maxRequestsPerSecond', rate, 'null or a finite number > 0')
  }
  if (policy.crawlDelayMs !== null && !(policy.crawlDelayMs >= 0)) {
    throw bad('crawlDelayMs', policy.crawlDelayMs, 'null or a number ≥ 0')
  }
  if (!(Number.isFinite(policy.maxCrawlDelayMs) && policy.maxCrawlDelayMs >= 0)) {
    throw bad('maxCrawlDelayMs', policy.maxCrawlDelayMs, 'a finite number ≥ 0')
  }
  return policy
}

/** The gap between request starts a policy asks for, and why. Ties go to Crawl-delay, then the rate. */
export function pacingGap(host: string, policy: PacingPolicy): PacingGap {
  const candidates: { gapMs: number; source: PacingSource; why: string }[] = []
  if (policy.crawlDelayMs !== null && policy.crawlDelayMs > 0) {
    const asked = policy.crawlDelayMs
    if (asked > policy.maxCrawlDelayMs) {
      candidates.push({
        gapMs: policy.maxCrawlDelayMs,
        source: 'crawl-delay-capped',
        why: `robots.txt asks for Crawl-delay: ${seconds(asked)}, capped at ${seconds(policy.maxCrawlDelayMs)} (Max crawl delay) so one host cannot stall the run`
      })
    } else {
      candidates.push({
        gapMs: asked,
        source: 'crawl-delay',
        why: `robots.txt Crawl-delay: ${seconds(asked)}`
      })
    }
  }
  if (policy.maxRequestsPerSecond !== null) {
    candidates.push({
      gapMs: Math.ceil(1000 / policy.maxRequestsPerSecond),
      source: 'rate',
      why: `at most ${policy.maxRequestsPerSecond} requests/s`
    })
  }
  if (policy.minDelayMs > 0) {
    candidates.push({ gapMs: policy.minDelayMs, source: 'min-delay', why: 'Min delay' })
  }
  let best: (typeof candidates)[number] | undefined
  for (const candidate of candidates) if (!best || candidate.gapMs > best.gapMs) best = candidate
  if (!best || best.gapMs <= 0) return { gapMs: 0, source: 'none', reason: `${host}: not paced` }
  const every = `${host}: one request every ${best.gapMs} ms`
  return {
    gapMs: best.gapMs,
    source: best.source,
    reason: best.source === 'crawl-delay-capped' ? `${every}: ${best.why}` : `${every} (${best.why})`
  }
}

export class HostPacer {
  #defaults: PacingPolicy
  readonly #overrides = new Map<string, Partial<PacingPolicy>>()
  /** Epoch ms of the latest request start per host. */
  readonly #lastStart = new Map<string, number>()

  constructor(defaults: Partial<PacingPolicy> = {}) {
    this.#defaults = validate({ ...PACING_DEFAULTS, ...defaults })
  }

  /** The user's settings for every host; may change while a run goes (applies to the next start). */
  setDefaults(defaults: Partial<PacingPolicy>): void {
    const next = validate({ ...this.#defaults, ...defaults })
    for (const override of this.#overrides.values()) validate({ ...next, ...override })
    this.#defaults = next
  }

  /** Settings for one host on top of the defaults, e.g. `{ crawlDelayMs }` once its robots.txt is read. */
  setPolicy(host: string, policy: Partial<PacingPolicy>): void {
    const merged = { ...this.#overrides.get(host), ...policy }
    validate({ ...this.#defaults, ...merged })
    this.#overrides.set(host, merged)
  }

  policy(host: string): PacingPolicy {
    return { ...this.#defaults, ...this.#overrides.get(host) }
  }

  gap(host: string): PacingGap {
    return pacingGap(host, this.policy(host))
  }

  /** Epoch ms at which the next request on `host` may start: `now` or later. */
  earliestStart(host: string, now: number): number {
    const last = this.#lastStart.get(host)
    if (last === undefined) return now
    return Math.max(now, last + this.gap(host).gapMs)
  }

  /** A request started on `host` at `now` (even if it started early: the next one is spaced from it). */
  noteStart(host: string, now: number): void {
    const last = this.#lastStart.get(host)
    this.#lastStart.set(host, last === undefined ? now : Math.max(last, now))
  }
}
