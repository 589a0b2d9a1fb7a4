import type { LiveSettings, LiveSettingsPatch, RunConfig } from './config.ts'
import type { RequestFailure } from './errors.ts'
import type { RequestResult } from './result.ts'
import type { RunState } from './run-state.ts'
import type { RunSummary } from './summary.ts'

export type { RunState } from './run-state.ts'

interface EventBase {
  /** Strictly increasing per run, from 1. */
  readonly seq: number
  /** Epoch ms. */
  readonly at: number
}

export interface RunStartedEvent extends EventBase {
  readonly kind: 'run-started'
  readonly runId: string
  readonly total: number
  readonly config: RunConfig
}

export interface RequestStartedEvent extends EventBase {
  readonly kind: 'request-started'
  readonly id: number
  readonly url: string
  readonly attempt: number
}

export interface AttemptFailedEvent extends EventBase {
  readonly kind: 'attempt-failed'
  readonly id: number
  readonly url: string
  readonly attempt: number
  readonly error: RequestFailure
  readonly retryInMs: number
  readonly retryReason: 'backoff' | 'retry-after'
}

export interface RequestFinishedEvent extends EventBase {
  readonly kind: 'request-finished'
  readonly result: RequestResult
}

export interface RunProgressEvent extends EventBase {
  readonly kind: 'run-progress'
  readonly summary: RunSummary
}

export interface SettingsChangedEvent extends EventBase {
  readonly kind: 'settings-changed'
  readonly changed: LiveSettingsPatch
  readonly settings: LiveSettings
}

export interface RunStateChangedEvent extends EventBase {
  readonly kind: 'run-state-changed'
  readonly state: RunState
}

export interface RunFinishedEvent extends EventBase {
  readonly kind: 'run-finished'
  readonly state: 'completed' | 'cancelled'
  readonly summary: RunSummary
}

/** One adaptive-concurrency change on a host, in plain words (see AdaptiveLimiter). */
export interface HostDecision {
  readonly host: string
  readonly from: number
  readonly to: number
  /** Epoch ms. */
  readonly at: number
  readonly kind: 'decrease' | 'increase' | 'user-limit'
  /** "shop.example: 8 → 4 after three 429s in 10 s". */
  readonly reason: string
}

/** Spider frontier totals since the run started. */
export interface FrontierCounts {
  /** URLs waiting to be fetched (robots.txt checks included). */
  readonly queued: number
  /** Distinct normalised URLs seen (seeds, sitemap URLs and links). */
  readonly discovered: number
  /** Links to a URL already seen. */
  readonly deduped: number
  /** Links outside the scope (host/site/patterns). */
  readonly outOfScope: number
  /** URLs caught by the spider-trap rules (reported, not fetched). */
  readonly trapped: number
  /** Links not followed for depth, maxPages or the per-host budget. */
  readonly overLimit: number
  /** Links not followed because of rel=nofollow / meta robots nofollow. */
  readonly nofollow: number
  /** Deepest depth enqueued so far. */
  readonly maxDepthSeen: number
}

/** A URL the frontier accepted: it will be fetched under this id. */
export interface DiscoveredUrl {
  readonly id: number
  readonly url: string
  readonly depth: number
  readonly foundOn: number | null
}

/** Links of one page (or one sitemap) went through the frontier: the totals after it. */
export interface UrlDiscoveredEvent extends EventBase {
  readonly kind: 'url-discovered'
  /** The page the links were found on; null for seeds and sitemap URLs. */
  readonly foundOn: number | null
  /** URLs enqueued by this page/sitemap. */
  readonly added: number
  /**
   * The URLs enqueued (not the seeds), for the run store: a resumed run continues its frontier.
   * Main keeps them to itself: event batches carry only the counts.
   */
  readonly urls: readonly DiscoveredUrl[]
  readonly frontier: FrontierCounts
}

export interface HostDecisionEvent extends EventBase {
  readonly kind: 'host-decision'
  readonly decision: HostDecision
}

/** The failure safeguard paused the run (a run-state-changed 'paused' follows). */
export interface SafeguardTrippedEvent extends EventBase {
  readonly kind: 'safeguard-tripped'
  /** "Paused: 62% of the last 200 requests failed (threshold 50%); most were CONNECT_REFUSED on shop.example". */
  readonly reason: string
}

/** A discovered URL the trap rules refused: reported here, never fetched. */
export interface TrapDetectedEvent extends EventBase {
  readonly kind: 'trap-detected'
  readonly url: string
  /** A TrapCode, e.g. REPEATING_PATH, GROWING_QUERY. */
  readonly code: string
  readonly message: string
  /** The page it was found on. */
  readonly foundOn: number | null
}

/**
 * A sitemap could not be read, or only in part (unreachable, not XML, too big, bad entries, limits
 * reached): the run goes on with what was read, and the person is told.
 */
export interface SitemapProblemEvent extends EventBase {
  readonly kind: 'sitemap-problem'
  readonly message: string
}

/** What robots.txt means for an origin changed (fetched, unreachable, …). */
export interface RobotsStatusEvent extends EventBase {
  readonly kind: 'robots-status'
  /** scheme://host[:port] */
  readonly origin: string
  /** Short label for the hosts view, e.g. "rules (3 groups), Crawl-delay 2 s". */
  readonly label: string
  readonly crawlDelayMs: number | null
}

export type EngineEvent =
  | RunStartedEvent
  | RequestStartedEvent
  | AttemptFailedEvent
  | RequestFinishedEvent
  | RunProgressEvent
  | SettingsChangedEvent
  | RunStateChangedEvent
  | RunFinishedEvent
  | UrlDiscoveredEvent
  | HostDecisionEvent
  | SafeguardTrippedEvent
  | TrapDetectedEvent
  | SitemapProblemEvent
  | RobotsStatusEvent

export type EngineEventKind = EngineEvent['kind']

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`)
}
