import type { DocumentFetcher } from './document-fetch.ts'
import { fetchRobots, ROBOTS_MIN_BYTES, ROBOTS_TIMEOUT_MS, type RobotsOutcome } from './robots-fetch.ts'
import { ALLOWED, robotsOrigin, type RobotsRules, type RobotsVerdict } from './robots-rules.ts'

/**
 * # robots.txt per origin, fetched once (RFC 9309 §2.3, §2.4)
 *
 * The first URL asked about on an origin starts one fetch; everyone else asking meanwhile waits
 * for that same fetch. Then:
 * - rules or "unavailable" (4xx, everything allowed) are kept for `cacheMaxAgeMs` (24 h: §2.4
 *   says a cached copy should not be used longer) and fetched again when next asked after that;
 * - "unreachable" (5xx, network trouble) disallows everything on the origin until a retry time,
 *   1 min after the first failure, doubling up to `unreachableRetryMaxMs`. If a refresh fails
 *   while earlier rules are cached, those rules stay in force (§2.4 allows that when the file is
 *   unreachable). After `unreachableAllowAfterMs` (30 days, the example in §2.3.1.4) of nothing
 *   but failures an origin is treated as having no robots.txt: the RFC permits that, and a
 *   long-lived schedule should not block a site forever over an old outage.
 *
 * The clock is injected, so tests and the engine agree on what "now" is; there are no timers here
 * beyond the fetch's own deadline.
 */

export interface RobotsCacheOptions {
  /** Sent when fetching and, unless a check names another, the agent whose group applies. */
  readonly userAgent: string
  readonly timeoutMs?: number
  /** At least 500 KiB (RFC 9309 §2.5). */
  readonly maxBytes?: number
  /** How robots.txt files are fetched: the engine's fetcher over the run's HTTP client. */
  readonly fetch: DocumentFetcher
  /** Epoch ms. */
  readonly clock?: () => number
  readonly cacheMaxAgeMs?: number
  readonly unreachableRetryMs?: number
  readonly unreachableRetryMaxMs?: number
  readonly unreachableAllowAfterMs?: number
}

export const ROBOTS_CACHE_DEFAULTS = {
  timeoutMs: ROBOTS_TIMEOUT_MS,
  maxBytes: ROBOTS_MIN_BYTES,
  cacheMaxAgeMs: 24 * 3_600_000,
  unreachableRetryMs: 60_000,
  unreachableRetryMaxMs: 3_600_000,
  unreachableAllowAfterMs: 30 * 86_400_000
} as const

/** For the hosts view: what robots.txt currently means for an origin, with a short label. */
export type RobotsStatus =
  | { readonly kind: 'not-fetched'; readonly label: string }
  | { readonly kind: 'fetching'; readonly label: string }
  | {
      readonly kind: 'rules'
      readonly label: string
      readonly groups: number
      readonly status: number
      readonly truncated: boolean
      readonly crawlDelayMs: number | null
      readonly sitemaps: number
    }
  | { readonly kind: 'allowed-all'; readonly label: string; readonly status: number | null }
  | {
      readonly kind: 'unreachable'
      readonly label: string
      /** Epoch ms when the next fetch may happen; everything is disallowed until then. */
      readonly untilMs: number
      readonly detail: string
      readonly failures: number
    }

type Settled =
  | {
      readonly kind: 'rules'
      readonly rules: RobotsRules
      readonly status: number
      readonly truncated: boolean
    }
  | { readonly kind: 'unavailable'; readonly status: number }
  | { readonly kind: 'unreachable'; readonly detail: string }

interface Entry {
  settled: Settled | null
  fetching: Promise<void> | null
  /** Epoch ms after which the next ask fetches again. */
  refreshAt: number
  /** Consecutive unreachable fetches. */
  failures: number
  /** Epoch ms of the first failure in the current run of failures. */
  unreachableSince: number | null
  /** The latest failure's detail, also while cached rules stay in force. */
  lastFailure: string | null
}

/** 1 min, 2, 4, … up to the max: the wait before fetching an unreachable robots.txt again. */
export function unreachableRetryDelayMs(failures: number, firstMs: number, maxMs: number): number {
  return Math.min(maxMs, firstMs * 2 ** Math.max(0, failures - 1))
}

export class RobotsCache {
  readonly #entries = new Map<string, Entry>()
  readonly #options: Required<RobotsCacheOptions>
  readonly #cancel = new AbortController()

  constructor(options: RobotsCacheOptions) {
    this.#options = { ...ROBOTS_CACHE_DEFAULTS, clock: Date.now, ...options }
    if (this.#options.maxBytes < ROBOTS_MIN_BYTES) {
      throw new RangeError(`maxBytes must be at least ${ROBOTS_MIN_BYTES} (RFC 9309 §2.5)`)
    }
  }

  /** May `url` be fetched? Fetches the origin's robots.txt first when needed (shared with concurrent askers). */
  async check(url: string, userAgent = this.#options.userAgent): Promise<RobotsVerdict> {
    const origin = robotsOrigin(url)
    for (let round = 0; round < 3; round += 1) {
      const known = this.verdict(url, userAgent)
      if (known !== null) return known
      await this.load(origin)
    }
    // Only reachable when each fetch ends already past its own refresh time (a zero retry time).
    return this.#verdictOf(origin, this.#entries.get(origin), url, userAgent)
  }

  /** The verdict without waiting: null when the origin's robots.txt has to be (re)fetched first (call load). */
  verdict(url: string | URL, userAgent = this.#options.userAgent): RobotsVerdict | null {
    const origin = robotsOrigin(url)
    const entry = this.#entries.get(origin)
    if (!entry || entry.fetching || entry.settled === null) return null
    if (this.#options.clock() >= entry.refreshAt) return null
    return this.#verdictOf(origin, entry, url, userAgent)
  }

  /** Fetches the origin's robots.txt unless a fresh copy is cached; resolves when it is settled. */
  load(originOrUrl: string): Promise<void> {
    const origin = robotsOrigin(originOrUrl)
    let entry = this.#entries.get(origin)
    if (!entry) {
      entry = {
        settled: null,
        fetching: null,
        refreshAt: 0,
        failures: 0,
        unreachableSince: null,
        lastFailure: null
      }
      this.#entries.set(origin, entry)
    }
    if (entry.fetching) return entry.fetching
    if (entry.settled !== null && this.#options.clock() < entry.refreshAt) return Promise.resolve()
    const current = entry
    current.fetching = fetchRobots(origin, {
      userAgent: this.#options.userAgent,
      timeoutMs: this.#options.timeoutMs,
      maxBytes: this.#options.maxBytes,
      signal: this.#cancel.signal,
      fetch: this.#options.fetch
    })
      .then((outcome) => {
        this.#settle(current, outcome)
      })
      .finally(() => {
        current.fetching = null
      })
    return current.fetching
  }

  /** Crawl-delay of the agent's group on this origin, in ms; null when none is set or nothing is loaded. */
  crawlDelayMs(originOrUrl: string, userAgent = this.#options.userAgent): number | null {
    const settled = this.#entries.get(robotsOrigin(originOrUrl))?.settled
    return settled?.kind === 'rules' ? settled.rules.crawlDelayMs(userAgent) : null
  }

  /** Sitemap URLs the origin's robots.txt lists (empty when none or not loaded). */
  sitemaps(originOrUrl: string): readonly string[] {
    const settled = this.#entries.get(robotsOrigin(originOrUrl))?.settled
    return settled?.kind === 'rules' ? settled.rules.sitemaps() : []
  }

  status(originOrUrl: string): RobotsStatus {
    const origin = robotsOrigin(originOrUrl)
    const entry = this.#entries.get(origin)
    if (!entry) return { kind: 'not-fetched', label: 'not fetched' }
    const settled = entry.settled
    if (settled === null) {
      return entry.fetching
        ? { kind: 'fetching', label: 'fetching' }
        : { kind: 'not-fetched', label: 'not fetched' }
    }
    switch (settled.kind) {
      case 'rules': {
        const crawlDelayMs = settled.rules.crawlDelayMs(this.#options.userAgent)
        const notes = [
          `${settled.rules.groups} ${settled.rules.groups === 1 ? 'group' : 'groups'}`,
          ...(settled.truncated
            ? [`only the first ${Math.round(this.#options.maxBytes / 1024)} KiB read`]
            : []),
          ...(entry.lastFailure ? [`refresh failed: ${entry.lastFailure}, kept the cached copy`] : [])
        ]
        return {
          kind: 'rules',
          label: `rules (${notes.join('; ')})`,
          groups: settled.rules.groups,
          status: settled.status,
          truncated: settled.truncated,
          crawlDelayMs,
          sitemaps: settled.rules.sitemaps().length
        }
      }
      case 'unavailable':
        return { kind: 'allowed-all', label: `allowed-all (${settled.status})`, status: settled.status }
      case 'unreachable':
        if (this.#givenUp(entry)) {
          return {
            kind: 'allowed-all',
            label: `allowed-all (unreachable for ${days(this.#options.unreachableAllowAfterMs)} days: ${settled.detail})`,
            status: null
          }
        }
        return {
          kind: 'unreachable',
          label: `unreachable until ${clockTime(entry.refreshAt)} (${settled.detail})`,
          untilMs: entry.refreshAt,
          detail: settled.detail,
          failures: entry.failures
        }
    }
  }

  /** Every origin asked about so far, with its status (for the hosts view). */
  statuses(): { readonly origin: string; readonly status: RobotsStatus }[] {
    return [...this.#entries.keys()].map((origin) => ({ origin, status: this.status(origin) }))
  }

  /** The run stopped: fetches in flight end at once and their origins are unreachable. Final: later fetches end the same way. */
  cancel(): void {
    this.#cancel.abort()
  }

  #settle(entry: Entry, outcome: RobotsOutcome): void {
    const now = this.#options.clock()
    if (outcome.kind === 'unreachable') {
      entry.failures += 1
      entry.unreachableSince ??= now
      entry.lastFailure = outcome.detail
      entry.refreshAt =
        now +
        unreachableRetryDelayMs(
          entry.failures,
          this.#options.unreachableRetryMs,
          this.#options.unreachableRetryMaxMs
        )
      // A cached file stays in force through a failed refresh (RFC 9309 §2.4).
      if (entry.settled === null || entry.settled.kind === 'unreachable') {
        entry.settled = { kind: 'unreachable', detail: outcome.detail }
      }
      return
    }
    entry.failures = 0
    entry.unreachableSince = null
    entry.lastFailure = null
    entry.refreshAt = now + this.#options.cacheMaxAgeMs
    entry.settled =
      outcome.kind === 'rules'
        ? { kind: 'rules', rules: outcome.rules, status: outcome.status, truncated: outcome.truncated }
        : { kind: 'unavailable', status: outcome.status }
  }

  #givenUp(entry: Entry): boolean {
    return (
      entry.unreachableSince !== null &&
      this.#options.clock() - entry.unreachableSince >= this.#options.unreachableAllowAfterMs
    )
  }

  #verdictOf(origin: string, entry: Entry | undefined, url: string | URL, userAgent: string): RobotsVerdict {
    const settled = entry?.settled
    if (!entry || !settled) {
      return {
        allowed: false,
        rule: 'robots.txt not fetched',
        line: 0,
        message: `robots.txt of ${origin} could not be fetched.`
      }
    }
    switch (settled.kind) {
      case 'rules':
        return settled.rules.check(url, userAgent)
      case 'unavailable':
        return ALLOWED
      case 'unreachable':
        if (this.#givenUp(entry)) return ALLOWED
        return {
          allowed: false,
          rule: `robots.txt unreachable (${settled.detail})`,
          line: 0,
          message: `robots.txt of ${origin} is unreachable (${settled.detail}), so the whole site is disallowed until ${clockTime(entry.refreshAt)} (RFC 9309 §2.3.1.4).`
        }
    }
  }
}

const pad = (n: number): string => String(n).padStart(2, '0')

/** Local wall-clock time, HH:MM:SS: the hosts view shows when an origin will be tried again. */
export function clockTime(epochMs: number): string {
  const d = new Date(epochMs)
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

const days = (ms: number): number => Math.round(ms / 86_400_000)
