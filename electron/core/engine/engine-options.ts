import type { HostLiveFigures } from '../../../shared/api.ts'
import type { RunConfig } from '../../../shared/config.ts'
import type { RunStats } from '../../../shared/stats.ts'
import type { FrontierFactory } from '../crawl/url-frontier.ts'

/** How a CrawlEngine is made and started, and what it tells about a host. */

export interface EngineOptions {
  readonly config: RunConfig
  /** The run's id, made by the run lifecycle (core/run/lifecycle.ts): the engine makes none of its own. */
  readonly runId: string
  /** Uniform [0,1) source for backoff jitter. */
  readonly random?: () => number
  /** How often a run-progress event is emitted. */
  readonly progressIntervalMs?: number
  /** A frontier of the caller's (e.g. backed by the run store); start()'s tasks must then be empty. */
  readonly frontier?: FrontierFactory
}

export interface StartOptions {
  /** A resumed run's counts (its total already the whole run's). */
  readonly stats?: RunStats
  /** Spider mode, resumed: URLs already fetched (deduped against, counted in maxPages). */
  readonly known?: Iterable<string>
  /** Spider mode: the first id a discovered URL gets (default: one past the largest task id). */
  readonly nextId?: number
}

/** What the engine knows about one host now: the hosts view's live columns. */
export type HostLiveState = HostLiveFigures
