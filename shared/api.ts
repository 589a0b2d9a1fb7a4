// Over 400 lines: the one contract between the renderer and main; every payload both sides derive from is here.
import { z } from 'zod'
import { COMPARE_EXPORT_FORMATS, EXPORT_FORMATS } from './export-formats.ts'
import {
  LIMITS,
  liveSettingsPatchSchema,
  runConfigPatchSchema,
  type LiveSettings,
  type LiveSettingsPatch,
  type RunConfig,
  type RunConfigInput
} from './config.ts'
import { ERROR_CODES, type ErrorCode } from './errors.ts'
import type { FrontierCounts, HostDecision } from './events.ts'
import type { HistogramData } from './histogram.ts'
import type { RequestResult } from './result.ts'
import type { RunStatus } from './run-status.ts'
import type { LatencyFigures, RunSummary } from './summary.ts'
import type { TimeBucketsData } from './time-series.ts'
import type { InvalidLine } from './url-list.ts'

/**
 * The one contract between the renderer and main. The preload, the browser host's WebSocket
 * server, main's IPC handlers and the renderer's transport all derive from this file: the method
 * list, each method's payload schema, and the event batch shape.
 */

// ---- payloads ----------------------------------------------------------------------------------

const runId = z.string().min(1).max(200)

export interface AppInfo {
  readonly version: string
  /** Which transport the renderer is talking through. */
  readonly transport: 'electron' | 'browser'
  readonly platform: string
}

export interface DemoTargetInfo {
  readonly origin: string
  /** The generated workshop URL list, one per line. */
  readonly urlsText: string
}

export interface StartRunRequest {
  /** URLs, one per line (blank lines and # comments skipped; CSV lines use their first URL field). */
  readonly urlsText: string
  readonly config: RunConfigInput
  readonly name?: string
}

export interface StartRunResponse {
  readonly runId: string
  readonly total: number
  readonly invalid: readonly InvalidLine[]
  readonly duplicates: number
}

export interface RunInfo {
  readonly runId: string
  readonly name: string
  /** The analyst's note ('' when none). */
  readonly note: string
  /** Who drives it and how it stands (shared/run-status.ts draws the transitions). */
  readonly status: RunStatus
  readonly createdAt: number
  readonly total: number
  readonly summary: RunSummary
}

/** A live settings change, marked on the charts. */
export interface SettingsMark {
  readonly at: number
  readonly changed: LiveSettingsPatch
}

/**
 * Finished results in struct-of-arrays form: what charts need, compact on the wire.
 * `status` 0 = no response; `ok` 1/0; `code` '' when the request succeeded.
 */
export interface CompactResults {
  readonly id: number[]
  readonly finishedAt: number[]
  readonly totalMs: number[]
  readonly status: number[]
  readonly ok: number[]
  readonly code: (ErrorCode | '')[]
}

export interface InFlightSample {
  readonly at: number
  readonly inFlight: number
  readonly limit: number
}

/** A spider trap reported (the URL was not fetched). */
export interface TrapReport {
  readonly at: number
  readonly url: string
  readonly code: string
  readonly message: string
  readonly foundOn: number | null
}

/** Something about the run's sources the person should know (a sitemap that could not be read). */
export interface RunNotice {
  readonly at: number
  readonly source: 'sitemap'
  readonly message: string
}

/** The frontier over time, for the queue-size chart (one sample per batch at most). */
export interface FrontierSample {
  readonly at: number
  readonly queued: number
  readonly discovered: number
}

/** What robots.txt means for one origin right now. */
export interface RobotsRow {
  readonly origin: string
  readonly label: string
  readonly crawlDelayMs: number | null
}

/** Spider-mode aggregates, in batches and snapshots; null for a list-mode run. */
export interface SpiderState {
  readonly frontier: FrontierCounts
  /** Finished results per depth: index = depth. */
  readonly depthCounts: readonly number[]
  /** Traps reported so far (the latest MAX_TRAPS_KEPT are listed in snapshots). */
  readonly trapCount: number
}

/**
 * What a run's record keeps of its decision log, traps, sitemap problems, robots.txt statuses and
 * frontier (saved with its counts), so a reopened or resumed run shows them as they were.
 */
export interface SpiderRecord {
  readonly decisions: readonly HostDecision[]
  readonly traps: readonly TrapReport[]
  readonly trapCount: number
  readonly notices: readonly RunNotice[]
  readonly robots: readonly RobotsRow[]
  readonly safeguardReason: string | null
  readonly frontier: FrontierCounts
  readonly depthCounts: readonly number[]
  readonly frontierSeries: readonly FrontierSample[]
}

/** Most recent decisions / traps a snapshot carries (older ones are dropped from the log). */
export const MAX_DECISIONS_KEPT = 1_000
export const MAX_TRAPS_KEPT = 500
export const MAX_NOTICES_KEPT = 200
export const MAX_FRONTIER_SAMPLES = 2_000

/** Everything that happened in a run over ~100 ms, in one message. */
export interface EventBatch {
  readonly runId: string
  /** Seq of the first and last engine event covered (inclusive). */
  readonly fromSeq: number
  readonly toSeq: number
  readonly results: CompactResults
  /** Attempts that failed and will be retried, in this batch. */
  readonly retries: number
  readonly marks: readonly SettingsMark[]
  /** The run's status as of this batch (a batch comes from a run this process drives). */
  readonly status: RunStatus
  readonly settings: LiveSettings
  /** The latest summary (progress is coalesced: only the newest matters). */
  readonly summary: RunSummary
  readonly inFlight: InFlightSample
  /** Adaptive-concurrency decisions in this batch (also marked on the charts). */
  readonly decisions: readonly HostDecision[]
  /** Spider traps reported in this batch. */
  readonly traps: readonly TrapReport[]
  /** Sitemap problems reported in this batch. */
  readonly notices: readonly RunNotice[]
  /** robots.txt statuses that changed in this batch. */
  readonly robots: readonly RobotsRow[]
  /** Set when the failure safeguard paused the run in this batch: why. */
  readonly safeguardReason: string | null
  /** The latest spider aggregates (coalesced); null in list mode. */
  readonly spider: SpiderState | null
}

/** A run's full aggregate state; a (re)connecting renderer starts from this, then applies batches. */
export interface RunSnapshot {
  readonly runId: string
  readonly name: string
  readonly note: string
  /** Events up to and including this seq are in the snapshot; drop batches with toSeq ≤ seq. */
  readonly seq: number
  /** See RunInfo.status: resumeRun continues an interrupted or suspended run, stopRun ends it. */
  readonly status: RunStatus
  readonly config: RunConfig
  readonly settings: LiveSettings
  readonly summary: RunSummary
  readonly series: TimeBucketsData
  readonly histogram: HistogramData
  /** The most recent finished results (for the individual-request scatter). */
  readonly recent: CompactResults
  readonly marks: readonly SettingsMark[]
  readonly inFlight: InFlightSample
  /** The decision log, oldest first (the latest MAX_DECISIONS_KEPT). */
  readonly decisions: readonly HostDecision[]
  /** The latest MAX_TRAPS_KEPT traps, oldest first (spider.trapCount has the total). */
  readonly traps: readonly TrapReport[]
  /** The latest MAX_NOTICES_KEPT sitemap problems, oldest first. */
  readonly notices: readonly RunNotice[]
  readonly robots: readonly RobotsRow[]
  /** Why the safeguard paused the run, while it stays paused for that reason; else null. */
  readonly safeguardReason: string | null
  readonly spider: SpiderState | null
  /** Queue size over time (spider mode; empty in list mode). */
  readonly frontierSeries: readonly FrontierSample[]
}

/** Hosts getHosts lists at most (the busiest): a list run may touch 100,000 hosts. */
export const MAX_HOST_ROWS = 500

/** One host in the hosts view (host = host[:port], the per-host limit's key). */
export interface HostRow {
  readonly host: string
  /** Finished results (not attempts). */
  readonly requests: number
  readonly ok: number
  readonly failed: number
  /** 0–100; 0 when there are no requests. */
  readonly okPercent: number
  /** Total time of finished results; null when none. */
  readonly p50Ms: number | null
  readonly p95Ms: number | null
  /** The host's per-host limit now (adaptive concurrency may lower it); equals userLimit otherwise. */
  readonly currentLimit: number
  readonly userLimit: number
  /**
   * Epoch ms until which the host is held back: by Retry-After, or (backoff) until the last of its
   * retries wakes when it has nothing else to do; null when not held or held until the run resumes.
   */
  readonly pausedUntil: number | null
  /** Why the host is held back now; null when it is not. */
  readonly pauseReason: HostPauseReason | null
  /** robots.txt status label ("not fetched", "rules (2 groups)", "ignored", …). */
  readonly robots: string
  /** The robots.txt Crawl-delay honoured on this host (ms), capped; null when none. */
  readonly crawlDelayMs: number | null
  /** Requests on this host in flight now (0 for a run nothing drives). */
  readonly inFlight: number
  /** URLs waiting on this host to start (not counting retries asleep). */
  readonly queued: number
  /** Requests on this host sleeping before a retry (backoff or Retry-After). */
  readonly retrying: number
  /** The gap pacing keeps between request starts on this host (ms; 0 for none). */
  readonly gapMs: number
  /** What sets that gap; null when there is none. */
  readonly pacing: HostPacing | null
  /** Epoch ms before which pacing holds the host's next start; null when it may start now. */
  readonly nextStartAt: number | null
  /** Why the adaptive limit is below the user's ("after three 429s in 10 s"); null when it is not. */
  readonly limitReason: string | null
}

/**
 * What holds a host back: a Retry-After answer (the whole host waits), backoff (its only work is
 * retries asleep), or the failure safeguard (it paused the whole run).
 */
export type HostPauseReason = 'retry-after' | 'backoff' | 'safeguard'

/** What sets a host's pacing gap: the min delay, the rate cap, robots.txt's Crawl-delay (capped). */
export type HostPacing = 'min-delay' | 'rate' | 'crawl-delay' | 'crawl-delay-capped'

/** The figures of a host only a driving engine knows (limits, pauses, in flight, pacing). */
export type HostLiveFigures = Pick<
  HostRow,
  | 'host'
  | 'currentLimit'
  | 'userLimit'
  | 'pausedUntil'
  | 'pauseReason'
  | 'crawlDelayMs'
  | 'inFlight'
  | 'queued'
  | 'retrying'
  | 'gapMs'
  | 'pacing'
  | 'nextStartAt'
  | 'limitReason'
>

/** One page on the way from a seed to a result: the detail panel's "found via". */
export interface PathStep {
  readonly id: number
  readonly url: string
  readonly depth: number
}

export const RESULT_SORT_COLUMNS = [
  'id',
  'url',
  'host',
  'status',
  'errorCode',
  'attempts',
  'totalMs',
  'ttfbMs',
  'bytes',
  'finishedAt',
  'depth'
] as const
export type ResultSortColumn = (typeof RESULT_SORT_COLUMNS)[number]

export const resultQuerySchema = z
  .object({
    runId: z.string().min(1).max(200),
    offset: z.number().int().min(0).max(100_000_000),
    limit: z.number().int().min(1).max(1_000),
    sort: z
      .object({ column: z.enum(RESULT_SORT_COLUMNS), direction: z.enum(['asc', 'desc']) })
      .strict()
      .default({ column: 'id', direction: 'asc' }),
    outcome: z.enum(['all', 'ok', 'failed']).default('all'),
    statuses: z.array(z.number().int().min(0).max(999)).max(100).default([]),
    errorCodes: z.array(z.enum(ERROR_CODES)).max(ERROR_CODES.length).default([]),
    hosts: z.array(z.string().max(300)).max(100).default([]),
    /** Link depths (RequestResult.depth); a list run's results are all depth 0. */
    depths: z.array(z.number().int().min(0).max(LIMITS.maxDepthMax)).max(100).default([]),
    /** Case-insensitive substring of URL, final URL, title or error message. */
    search: z.string().max(500).default('')
  })
  .strict()

export type ResultQuery = z.output<typeof resultQuerySchema>
export type ResultQueryInput = z.input<typeof resultQuerySchema>

/** Every result of a run, unfiltered: one page of `limit` from `offset`, in `sort` order (default by id). */
export function unfilteredQuery(
  runId: string,
  page: { readonly offset?: number; readonly limit: number; readonly sort?: ResultQuery['sort'] }
): ResultQuery {
  return {
    runId,
    offset: page.offset ?? 0,
    limit: page.limit,
    sort: page.sort ?? { column: 'id', direction: 'asc' },
    outcome: 'all',
    statuses: [],
    errorCodes: [],
    hosts: [],
    depths: [],
    search: ''
  }
}

/** One table row: what the tables show; the detail panel asks for the full result. */
export interface ResultRow {
  readonly id: number
  readonly url: string
  readonly host: string
  readonly status: number | null
  readonly ok: boolean
  readonly errorCode: ErrorCode | null
  readonly errorMessage: string | null
  readonly attempts: number
  readonly totalMs: number
  readonly ttfbMs: number
  readonly bytes: number
  readonly title: string | null
  readonly finishedAt: number
  /** Link hops from a seed (RequestResult.depth): 0 for list URLs, seeds and sitemap URLs. */
  readonly depth: number
}

export interface ResultPage {
  /** Rows matching the query in all (not just this page). */
  readonly total: number
  readonly offset: number
  readonly rows: readonly ResultRow[]
}

/** Values present in a run, for the filter menus. */
export interface ResultFacets {
  readonly statuses: readonly { readonly value: number; readonly count: number }[]
  readonly errorCodes: readonly { readonly value: ErrorCode; readonly count: number }[]
  readonly hosts: readonly { readonly value: string; readonly count: number }[]
  /** Link depths, shallowest first (not by count: depth is an order). A list run has only depth 0. */
  readonly depths: readonly { readonly value: number; readonly count: number }[]
}

export interface FailureGroup {
  readonly code: ErrorCode
  readonly count: number
  /** One line of advice for this code in this run (e.g. lower concurrency). */
  readonly suggestion: string
  readonly sampleUrls: readonly string[]
}

/**
 * What the app remembers between launches: settings only. The URL list being set up is kept
 * apart (getUrlDraft / saveUrlDraft): it can be megabytes, and settings are saved far more often.
 */
export const preferencesSchema = z
  .object({
    config: runConfigPatchSchema.default({}),
    presetId: z.string().max(50).nullable().default(null),
    demoOffered: z.boolean().default(false),
    theme: z.enum(['system', 'light', 'dark']).default('system')
  })
  .strict()
export type Preferences = z.output<typeof preferencesSchema>

/** The longest URL list kept between launches (a run takes up to 200 M characters). */
export const MAX_URL_DRAFT_CHARS = 200_000_000

// ---- comparing two runs ------------------------------------------------------------------------

/**
 * How one URL differs between a base run and another run (matched by URL):
 * - newly-failing: ok in base, failed in other; fixed: the reverse;
 * - status-changed: both have a response and the status differs (and neither of the above);
 * - much-slower: both ok, other's total time ≥ 2× base's and ≥ base + 250 ms (MUCH_SLOWER_*);
 * - only-in-base / only-in-other: the URL was fetched in one run only.
 */
export const CHANGE_KINDS = [
  'newly-failing',
  'fixed',
  'status-changed',
  'much-slower',
  'only-in-base',
  'only-in-other'
] as const
export type ChangeKind = (typeof CHANGE_KINDS)[number]
export const MUCH_SLOWER_FACTOR = 2
export const MUCH_SLOWER_MIN_DELTA_MS = 250

export interface HostLatency {
  readonly count: number
  readonly p50: number | null
  readonly p95: number | null
}

export interface HostDelta {
  readonly host: string
  /** null when the host does not appear in that run. */
  readonly base: HostLatency | null
  readonly other: HostLatency | null
}

/** Both runs side by side: what the comparison's charts and host table show. */
export interface RunComparison {
  readonly base: RunInfo
  readonly other: RunInfo
  readonly histograms: { readonly base: HistogramData; readonly other: HistogramData }
  readonly latency: { readonly base: LatencyFigures; readonly other: LatencyFigures }
  /** Hosts of either run, most requests first (at most MAX_COMPARED_HOSTS). */
  readonly hosts: readonly HostDelta[]
  /** URLs per kind of change. */
  readonly changeCounts: Readonly<Record<ChangeKind, number>>
  /** URLs in both runs. */
  readonly matched: number
}
export const MAX_COMPARED_HOSTS = 500

export interface UrlSide {
  readonly id: number
  readonly status: number | null
  readonly ok: boolean
  readonly errorCode: ErrorCode | null
  readonly totalMs: number
}

export interface UrlChange {
  readonly url: string
  readonly kind: ChangeKind
  readonly base: UrlSide | null
  readonly other: UrlSide | null
}

export const changeQuerySchema = z
  .object({
    baseRunId: runId,
    otherRunId: runId,
    /** Which kinds to list (empty = every change). */
    changes: z.array(z.enum(CHANGE_KINDS)).max(CHANGE_KINDS.length).default([]),
    /** Case-insensitive substring of the URL. */
    search: z.string().max(500).default(''),
    offset: z.number().int().min(0).max(100_000_000),
    limit: z.number().int().min(1).max(1_000)
  })
  .strict()
export type ChangeQuery = z.output<typeof changeQuerySchema>
export type ChangeQueryInput = z.input<typeof changeQuerySchema>

export interface ChangePage {
  readonly total: number
  readonly offset: number
  readonly rows: readonly UrlChange[]
}

// ---- the run store ------------------------------------------------------------------------------

/** Whether runs are being recorded, and if not, why. */
export type StoreStatus =
  | { readonly kind: 'ok'; readonly path: string }
  /**
   * The database could not be opened (corrupt, foreign, newer, unreadable). It was not modified;
   * runs are kept in memory until startFreshStore() moves it aside and creates a new one.
   */
  | {
      readonly kind: 'unavailable'
      readonly path: string
      readonly code: string
      readonly message: string
      /** True when a fresh database can replace it (the old file is kept beside it). */
      readonly canStartFresh: boolean
    }
  /** A fresh database replaced an unusable one; the old file was kept at `keptAs`. */
  | { readonly kind: 'replaced'; readonly path: string; readonly keptAs: string }

// The formats are declared in shared/export-formats.ts; re-exported here with the export request.
export { EXPORT_FORMATS, type ExportFormat } from './export-formats.ts'

export const exportRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run'), runId, format: z.enum(EXPORT_FORMATS) }).strict(),
  z
    .object({
      kind: z.literal('compare'),
      baseRunId: runId,
      otherRunId: runId,
      format: z.enum(COMPARE_EXPORT_FORMATS),
      /** Which changes (empty = every change). */
      changes: z.array(z.enum(CHANGE_KINDS)).max(CHANGE_KINDS.length).default([]),
      search: z.string().max(500).default('')
    })
    .strict()
])
export type ExportRequest = z.output<typeof exportRequestSchema>
export type ExportRequestInput = z.input<typeof exportRequestSchema>

/**
 * What an export did. The desktop app asks where to save and writes the file itself ('saved' or
 * 'cancelled'); the browser host answers with a one-time download address the page opens.
 */
export type ExportOutcome =
  | { readonly kind: 'saved'; readonly path: string; readonly bytes: number }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'download'; readonly url: string; readonly filename: string }

// ---- the API -----------------------------------------------------------------------------------

export interface CrawlerApi {
  getAppInfo(): Promise<AppInfo>
  /** Starts (once) the built-in demo target and returns its workshop URL list. */
  startDemoTarget(): Promise<DemoTargetInfo>
  startRun(request: StartRunRequest): Promise<StartRunResponse>
  pauseRun(runId: string): Promise<void>
  resumeRun(runId: string): Promise<void>
  stopRun(runId: string): Promise<void>
  updateSettings(runId: string, patch: LiveSettingsPatch): Promise<LiveSettings>
  /** The run's snapshot; without a runId, the newest run's (null when there is none). */
  getSnapshot(runId?: string): Promise<RunSnapshot | null>
  queryResults(query: ResultQueryInput): Promise<ResultPage>
  getResultFacets(runId: string): Promise<ResultFacets>
  getResult(runId: string, id: number): Promise<RequestResult | null>
  getFailureGroups(runId: string): Promise<readonly FailureGroup[]>
  /** Per-host figures for the hosts view (spider or list run), most requests first, at most MAX_HOST_ROWS. */
  getHosts(runId: string): Promise<readonly HostRow[]>
  /** Seed → … → the result `id`, following foundOn (just the result itself for a list URL; [] when unknown). */
  getPath(runId: string, id: number): Promise<readonly PathStep[]>
  /** Every stored run and every run of this session, newest first. */
  listRuns(): Promise<readonly RunInfo[]>
  renameRun(runId: string, name: string): Promise<RunInfo>
  setRunNote(runId: string, note: string): Promise<RunInfo>
  /** Deletes a run and its results for good (refused while it runs). */
  deleteRun(runId: string): Promise<void>
  /** Starts a new run with the same URLs and settings as a stored one. */
  rerun(runId: string): Promise<StartRunResponse>
  exportRun(request: ExportRequestInput): Promise<ExportOutcome>
  compareRuns(baseRunId: string, otherRunId: string): Promise<RunComparison>
  queryChanges(query: ChangeQueryInput): Promise<ChangePage>
  getStoreStatus(): Promise<StoreStatus>
  /** Moves an unusable database aside (kept, renamed) and starts recording in a fresh one. */
  startFreshStore(): Promise<StoreStatus>
  getPreferences(): Promise<Preferences>
  savePreferences(preferences: Preferences): Promise<void>
  /** The URL list Setup was left with ('' when none). */
  getUrlDraft(): Promise<string>
  /** Keeps Setup's URL list for the next launch (at most MAX_URL_DRAFT_CHARS). */
  saveUrlDraft(text: string): Promise<void>
  /** Receives every event batch of every run; returns the unsubscribe function. */
  onEvents(listener: (batch: EventBatch) => void): () => void
}

/** The request/response methods (everything but onEvents), each with its argument schema. */

export const API_METHODS = {
  getAppInfo: z.tuple([]),
  startDemoTarget: z.tuple([]),
  startRun: z.tuple([
    z
      .object({
        urlsText: z.string().max(200_000_000),
        config: z.unknown(),
        name: z.string().max(200).optional()
      })
      .strict()
  ]),
  pauseRun: z.tuple([runId]),
  resumeRun: z.tuple([runId]),
  stopRun: z.tuple([runId]),
  updateSettings: z.tuple([runId, liveSettingsPatchSchema]),
  getSnapshot: z.union([z.tuple([]), z.tuple([runId.optional()])]),
  queryResults: z.tuple([resultQuerySchema]),
  getResultFacets: z.tuple([runId]),
  getResult: z.tuple([runId, z.number().int().min(0)]),
  getFailureGroups: z.tuple([runId]),
  getHosts: z.tuple([runId]),
  getPath: z.tuple([runId, z.number().int().min(0)]),
  listRuns: z.tuple([]),
  renameRun: z.tuple([runId, z.string().trim().min(1).max(200)]),
  setRunNote: z.tuple([runId, z.string().max(10_000)]),
  deleteRun: z.tuple([runId]),
  rerun: z.tuple([runId]),
  exportRun: z.tuple([exportRequestSchema]),
  compareRuns: z.tuple([runId, runId]),
  queryChanges: z.tuple([changeQuerySchema]),
  getStoreStatus: z.tuple([]),
  startFreshStore: z.tuple([]),
  getPreferences: z.tuple([]),
  savePreferences: z.tuple([preferencesSchema]),
  getUrlDraft: z.tuple([]),
  saveUrlDraft: z.tuple([z.string().max(MAX_URL_DRAFT_CHARS)])
} as const satisfies { [K in Exclude<keyof CrawlerApi, 'onEvents'>]: z.ZodType }

export type ApiMethod = keyof typeof API_METHODS
export const API_METHOD_NAMES = Object.keys(API_METHODS) as ApiMethod[]

/** IPC channel per method, and the one push channel for event batches. */
export const channelOf = (method: ApiMethod): string => `crawler:${method}`
export const EVENTS_CHANNEL = 'crawler:events'
/** The renderer asks main to start (or stop) pushing batches to it. */
export const SUBSCRIBE_CHANNEL = 'crawler:subscribe'
export const UNSUBSCRIBE_CHANNEL = 'crawler:unsubscribe'

/** What a refused call answers: which argument and why. */
export class ApiError extends Error {
  readonly code: 'BAD_REQUEST' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'INTERNAL'
  constructor(code: ApiError['code'], message: string) {
    super(message)
    this.code = code
    this.name = 'ApiError'
  }
}
