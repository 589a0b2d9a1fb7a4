import type { LiveSettings } from '../../../shared/config.ts'
import type { ErrorCode } from '../../../shared/errors.ts'
import { AdaptiveLimiter, adaptiveSignalOf, type AdaptiveDecision } from './adaptive-limit.ts'
import { FailureSafeguard } from './failure-safeguard.ts'
import { HostPacer, type PacingGap, type PacingSource } from './host-pacing.ts'

/**
 * A run's politeness in one unit, as the engine asks for it: per-host pacing (host-pacing.ts), the
 * adaptive per-host limit (adaptive-limit.ts, when on) and the failure safeguard
 * (failure-safeguard.ts), all following the live settings. Every run has one, list or spider.
 *
 * The scheduler asks `hostLimit` and `earliestStart` whenever it looks at a host, thousands of
 * times a second: each host's pacing gap is kept until a setting or its Crawl-delay changes, and
 * the time of its latest start is kept here (not in HostPacer, which would work the gap out again
 * on every ask). Pure: `now` is passed in, no timers.
 */

export type PolitenessSettings = Pick<
  LiveSettings,
  | 'perHostMinDelayMs'
  | 'perHostMaxRequestsPerSecond'
  | 'maxCrawlDelayMs'
  | 'perHostConcurrency'
  | 'adaptiveConcurrency'
  | 'failureSafeguardPercent'
>

/** A finished result as the safeguard judges it: its host and, when it failed, why. */
export interface ResultSample {
  readonly host: string
  readonly error: { readonly code: ErrorCode; readonly status?: number } | null
}

/** The hosts view's politeness columns for one host. */
export interface HostPoliteness {
  /** The limit in force: the adaptive limit when on, never above the user's. */
  readonly currentLimit: number
  /** The Crawl-delay honoured (ms, capped at Max crawl delay); null when none. */
  readonly crawlDelayMs: number | null
  /** The gap pacing keeps between request starts on the host (ms; 0 for none). */
  readonly gapMs: number
  /** What sets that gap: the min delay, the rate cap or robots.txt's Crawl-delay. */
  readonly gapSource: PacingSource
  /** Epoch ms before which pacing holds the host's next start; null when it may start now. */
  readonly nextStartAt: number | null
  /** Why the adaptive limit is below the user's ("after three 429s in 10 s"); null when it is not. */
  readonly limitReason: string | null
}

const pacingOf = (s: PolitenessSettings) => ({
  minDelayMs: s.perHostMinDelayMs,
  maxRequestsPerSecond: s.perHostMaxRequestsPerSecond,
  maxCrawlDelayMs: s.maxCrawlDelayMs
})

export class Politeness {
  readonly #pacer: HostPacer
  /** Each host's pacing gap (and what sets it), worked out once per change. */
  readonly #gaps = new Map<string, PacingGap>()
  /** Epoch ms of the latest request start per host. */
  readonly #lastStart = new Map<string, number>()
  #limiter: AdaptiveLimiter | null
  readonly #safeguard: FailureSafeguard
  #safeguardOn: boolean

  constructor(settings: PolitenessSettings) {
    this.#pacer = new HostPacer(pacingOf(settings))
    this.#limiter = settings.adaptiveConcurrency ? new AdaptiveLimiter(settings.perHostConcurrency) : null
    this.#safeguard = new FailureSafeguard({ thresholdPercent: settings.failureSafeguardPercent })
    this.#safeguardOn = settings.failureSafeguardPercent !== null
  }

  /** The host's own limit (the adaptive one), +∞ when it has none; the scheduler applies the user's too. */
  hostLimit(host: string): number {
    return this.#limiter?.limit(host) ?? Number.POSITIVE_INFINITY
  }

  /** Epoch ms at which the next request on `host` may start: `now` or later. */
  earliestStart(host: string, now: number): number {
    const last = this.#lastStart.get(host)
    if (last === undefined) return now
    const gap = this.#gap(host).gapMs
    return gap === 0 ? now : Math.max(now, last + gap)
  }

  #gap(host: string): PacingGap {
    let gap = this.#gaps.get(host)
    if (gap === undefined) {
      gap = this.#pacer.gap(host)
      this.#gaps.set(host, gap)
    }
    return gap
  }

  /** A request started on `host` (even early: the next one is spaced from it). */
  noteStart(host: string, now: number): void {
    const last = this.#lastStart.get(host)
    this.#lastStart.set(host, last === undefined ? now : Math.max(last, now))
  }

  /** The host's robots.txt asks for this Crawl-delay (null: none). */
  setCrawlDelay(host: string, crawlDelayMs: number | null): void {
    if (this.#pacer.policy(host).crawlDelayMs === crawlDelayMs) return
    this.#pacer.setPolicy(host, { crawlDelayMs })
    this.#gaps.delete(host)
  }

  /**
   * One attempt's outcome (retries included: a 429 that is retried still asks us to slow down);
   * returns the change of the host's limit, if any. A cancelled attempt says nothing.
   */
  noteAttempt(
    host: string,
    status: number | null,
    code: ErrorCode | null,
    durationMs: number,
    now: number
  ): AdaptiveDecision | null {
    if (!this.#limiter || code === 'ABORTED') return null
    return this.#limiter.noteResult(host, adaptiveSignalOf(status, code), code ? null : durationMs, now)
  }

  /** One finished result; returns the reason to pause the run, once, until `rearm`. */
  noteResult(result: ResultSample, now: number): string | null {
    if (!this.#safeguardOn || this.#safeguard.tripped) return null
    const failure = result.error
    const verdict = this.#safeguard.note(
      {
        host: result.host,
        failure: failure
          ? { code: failure.code, ...(failure.status === undefined ? {} : { status: failure.status }) }
          : null
      },
      now
    )
    return verdict.trip ? verdict.reason : null
  }

  /** The run resumed: the safeguard judges it afresh. */
  rearm(): void {
    this.#safeguard.rearm()
  }

  /** Live settings changed; returns the host limits that came down with the user's limit. */
  update(settings: PolitenessSettings, now: number): readonly AdaptiveDecision[] {
    this.#pacer.setDefaults(pacingOf(settings))
    this.#gaps.clear()
    this.#safeguard.setOptions({ thresholdPercent: settings.failureSafeguardPercent })
    this.#safeguardOn = settings.failureSafeguardPercent !== null
    if (!settings.adaptiveConcurrency) {
      this.#limiter = null
    } else if (!this.#limiter) {
      this.#limiter = new AdaptiveLimiter(settings.perHostConcurrency)
    } else if (this.#limiter.userLimit !== settings.perHostConcurrency) {
      return this.#limiter.setUserLimit(settings.perHostConcurrency, now)
    }
    return []
  }

  hostView(host: string, userLimit: number, now: number): HostPoliteness {
    const policy = this.#pacer.policy(host)
    const gap = this.#gap(host)
    const next = this.earliestStart(host, now)
    return {
      currentLimit: Math.min(userLimit, this.#limiter?.limit(host) ?? userLimit),
      crawlDelayMs:
        policy.crawlDelayMs === null ? null : Math.min(policy.crawlDelayMs, policy.maxCrawlDelayMs),
      gapMs: gap.gapMs,
      gapSource: gap.source,
      nextStartAt: next > now ? next : null,
      limitReason: this.#limiter?.loweredBecause(host) ?? null
    }
  }
}
