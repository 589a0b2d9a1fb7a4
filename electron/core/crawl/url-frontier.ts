import type { LiveSettings } from '../../../shared/config.ts'
import type {
  RobotsStatusEvent,
  SitemapProblemEvent,
  TrapDetectedEvent,
  UrlDiscoveredEvent
} from '../../../shared/events.ts'
import type { RequestResult } from '../../../shared/result.ts'
import type { ExtractedLinks, LinkExtractorOptions } from './link-extractor.ts'

/**
 * # The frontier seam: where the engine gets its work
 *
 * The engine pulls URL tasks from a frontier a window at a time, rather than being handed the
 * whole run at start: it asks for more when its scheduler runs low, or when a slot is free and
 * nothing it holds may start (so no slot idles that a whole-list enqueue would have filled). It
 * tells the frontier when a task starts and what a finished page yielded; the frontier decides
 * what comes next and reports its own events (discovered URLs, traps, sitemap problems) through
 * the ports. Results themselves go from the engine to the run layer (`request-finished` events),
 * never through here.
 *
 * Implemented by ListFrontier (a fixed list: list mode, and any resumed list run) and
 * SpiderFrontier (seeds, links and sitemaps through the admission gates). A frontier that outgrows
 * one process plugs in here too: one backed by the run store (streaming a million URLs without
 * holding them), or a distributed queue (e.g. Redis Streams with a consumer group, runners on many
 * machines as workers), where `pull` reads the next entries for this worker, `started`/`finished`
 * acknowledge them, and `settled` says the stream has ended. The engine takes one through
 * `EngineOptions.frontier`.
 */

/** A URL as a run's input gives it: a list URL, a seed, or a resumed run's pending URL. */
export interface UrlTask {
  /** Stable index of the URL in the run's input. */
  readonly id: number
  readonly url: string
  /** Link hops from a seed (spider mode; 0 for list URLs, seeds and sitemap URLs). */
  readonly depth?: number
  /** The id of the page it was found on (spider mode). */
  readonly foundOn?: number | null
}

/** One URL to fetch. */
export interface FrontierTask {
  /** Stable id: the URL's index in the run's input, or the id the frontier gave a discovered URL. */
  readonly id: number
  /** What is fetched, its fragment dropped. */
  readonly url: URL
  /**
   * host[:port]: per-host limits, pauses and pacing key on the authority, as robots.txt (RFC 9309)
   * is scoped: two ports on one machine are two services; default ports are dropped.
   */
  readonly host: string
  /** Link hops from a seed (0 in list mode). May still fall until the task starts (a shorter path). */
  readonly depth: number
  /** The id of the page it was found on; null for list URLs, seeds and sitemap URLs. */
  readonly foundOn: number | null
}

/** An event as a unit hands it over; the engine numbers (`seq`) and stamps (`at`) it. */
export type Unstamped<E> = E extends unknown ? Omit<E, 'seq' | 'at'> : never

/** What crawl units report (through the engine's event stream). */
export type CrawlEvent = Unstamped<
  UrlDiscoveredEvent | TrapDetectedEvent | SitemapProblemEvent | RobotsStatusEvent
>

/** What the engine offers a frontier. */
export interface FrontierPorts {
  /** Reports an event; the run's total is brought up to date with `total` first. */
  readonly emit: (event: CrawlEvent) => void
  /** Tasks pulled and not finished that wait in the engine (queued on a host or for a retry). */
  readonly queuedInEngine: () => number
  /** Something changed outside a call from the engine (a source was read): pull again, or complete. */
  readonly wake: () => void
}

export interface UrlFrontier {
  /** Tasks taken on so far, pulled or not: the run's URL count as far as this session knows it. */
  readonly total: number
  /** Tasks held and not pulled yet. */
  readonly pending: number
  /** False while a source (a sitemap) is still being read: more may come without a page finishing. */
  readonly settled: boolean
  /** Once, after run-started: report the starting counts, start reading sources. */
  start(): void
  /** Up to `max` tasks to schedule, lowest depth first; fewer (or none) when that is all there is now. */
  pull(max: number): readonly FrontierTask[]
  /** The task's first attempt starts: its depth is final. */
  started(task: FrontierTask): void
  /** Before each attempt: extract this page's links with these options, or not at all (null). */
  linksFrom(task: FrontierTask): LinkExtractorOptions | null
  /** A task's final result, with the links its page yielded; returns how many tasks it added. */
  finished(result: RequestResult, links: ExtractedLinks | null): number
  /** A live settings change (maxPages and perHostBudget bound what is taken on next). */
  updateSettings(settings: LiveSettings): void
  /** The run completed: report the final counts. */
  completed(): void
  /** The run was cancelled: stop reading sources, report nothing more. */
  cancel(): void
  /** Spider mode: sitemaps an origin's robots.txt lists, to read as sources (a frontier without it ignores them). */
  addSources?(sitemaps: readonly string[]): void
}

/** How a caller hands the engine a frontier of its own (EngineOptions.frontier). */
export type FrontierFactory = (ports: FrontierPorts) => UrlFrontier
