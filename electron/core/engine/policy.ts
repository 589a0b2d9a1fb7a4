import type { HostDecision } from '../../../shared/events.ts'
import type { RequestFailure } from '../../../shared/errors.ts'
import type { RobotsAnswer } from '../crawl/robots-gate.ts'
import type { UrlFrontier } from '../crawl/url-frontier.ts'
import type { HostPoliteness, PolitenessSettings, ResultSample } from '../politeness/politeness.ts'

/**
 * # What the engine asks of the policy units, and when
 *
 * The engine is plumbing: scheduler slots, attempts, retries, timers, events, cancel. What to
 * fetch and how gently is decided by three units it calls through these interfaces only. They are
 * declared here (types, no code) or beside their implementation on the policy side, and the units
 * never import the engine (the lint's one-way rule): what they need from it, they get as ports.
 *
 * - **Frontier** (crawl/url-frontier.ts; ListFrontier, SpiderFrontier): where work comes from.
 *   Pulled when the scheduler runs low or a free slot finds nothing it may start; told when a task
 *   starts and what its page yielded; asked per attempt whether to extract links; its `pending`
 *   and `settled` decide, with the engine's own counts, when the run is complete.
 * - **Robots** (crawl/robots-gate.ts; spider mode with respectRobots): before a task's first
 *   attempt, and before each redirect. Its host limit caps a host at one request until its
 *   robots.txt is read.
 * - **Politeness** (politeness/politeness.ts; every run): the scheduler's pacing and host limits
 *   at every look at a host, the adaptive limit after every attempt, the failure safeguard after
 *   every result, and live settings changes.
 */

export interface RobotsPolicy {
  /** Whenever the scheduler looks at a host: 1 until its robots.txt is read, else +∞. */
  hostLimit(host: string): number
  /** Before a task's first attempt: the answer, when the origin's file is at hand (else null). */
  answer(url: URL): RobotsAnswer | null
  /** When `answer` was null: reads the file (applying its Crawl-delay through a port) and answers. */
  read(url: URL, host: string): Promise<RobotsAnswer>
  /** Before each redirect is followed: a failure stops the attempt. */
  readonly checkRedirect: (target: URL) => Promise<RequestFailure | null>
  /** On cancel. */
  cancel(): void
}

export interface PolitenessPolicy {
  /** Whenever the scheduler looks at a host: its own limit (adaptive), +∞ for none. */
  hostLimit(host: string): number
  /** Whenever the scheduler looks at a host with work: when its next start may be. */
  earliestStart(host: string, now: number): number
  /** When a request starts (again after a robots.txt read: pacing counts from the request). */
  noteStart(host: string, now: number): void
  /** When robots.txt was read: the host's Crawl-delay. */
  setCrawlDelay(host: string, crawlDelayMs: number | null): void
  /** After every attempt, before its slot is released: a change of the host's limit to report. */
  noteAttempt(
    host: string,
    status: number | null,
    code: RequestFailure['code'] | null,
    durationMs: number,
    now: number
  ): HostDecision | null
  /** After every result while running: the reason to pause the run, once until `rearm`. */
  noteResult(result: ResultSample, now: number): string | null
  /** On resume. */
  rearm(): void
  /** On a live settings change: host limits that came down with the user's. */
  update(settings: PolitenessSettings, now: number): readonly HostDecision[]
  /** For the hosts view. */
  hostView(host: string, userLimit: number, now: number): HostPoliteness
}

/** The crawl units start() builds for a run, from its mode (or the caller's frontier). */
export interface CrawlPolicy {
  readonly frontier: UrlFrontier
  readonly robots: RobotsPolicy | null
}
