import { z } from 'zod'
import {
  liveSettingsPatchSchema,
  runConfigPatchSchema,
  type LiveSettings,
  type LiveSettingsPatch,
  type RunConfig,
  type RunConfigInput
} from './config.ts'
import { ERROR_CODES, type ErrorCode } from './errors.ts'
import type { RunState } from './events.ts'
import type { HistogramData } from './histogram.ts'
import type { RequestResult } from './result.ts'
import type { RunSummary } from './summary.ts'
import type { TimeBucketsData } from './time-series.ts'
import type { InvalidLine } from './url-list.ts'

/**
 * The one contract between the renderer and main. The preload, the browser host's WebSocket
 * server, main's IPC handlers and the renderer's transport all derive from this file: the method
 * list, each method's payload schema, and the event batch shape.
 */

// ---- payloads ----------------------------------------------------------------------------------

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
  readonly state: RunState
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
  readonly state: RunState
  readonly settings: LiveSettings
  /** The latest summary (progress is coalesced: only the newest matters). */
  readonly summary: RunSummary
  readonly inFlight: InFlightSample
}

/** A run's full aggregate state; a (re)connecting renderer starts from this, then applies batches. */
export interface RunSnapshot {
  readonly runId: string
  readonly name: string
  /** Events up to and including this seq are in the snapshot; drop batches with toSeq ≤ seq. */
  readonly seq: number
  readonly state: RunState
  readonly config: RunConfig
  readonly settings: LiveSettings
  readonly summary: RunSummary
  readonly series: TimeBucketsData
  readonly histogram: HistogramData
  /** The most recent finished results (for the individual-request scatter). */
  readonly recent: CompactResults
  readonly marks: readonly SettingsMark[]
  readonly inFlight: InFlightSample
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
  'finishedAt'
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
    /** Case-insensitive substring of URL, final URL, title or error message. */
    search: z.string().max(500).default('')
  })
  .strict()

export type ResultQuery = z.output<typeof resultQuerySchema>
export type ResultQueryInput = z.input<typeof resultQuerySchema>

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
}

export interface FailureGroup {
  readonly code: ErrorCode
  readonly count: number
  /** One line of advice for this code in this run (e.g. lower concurrency). */
  readonly suggestion: string
  readonly sampleUrls: readonly string[]
}

/** What the app remembers between launches. */
export const preferencesSchema = z
  .object({
    config: runConfigPatchSchema.default({}),
    presetId: z.string().max(50).nullable().default(null),
    urlsText: z.string().max(20_000_000).default(''),
    demoOffered: z.boolean().default(false),
    theme: z.enum(['system', 'light', 'dark']).default('system')
  })
  .strict()
export type Preferences = z.output<typeof preferencesSchema>

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
  listRuns(): Promise<readonly RunInfo[]>
  getPreferences(): Promise<Preferences>
  savePreferences(preferences: Preferences): Promise<void>
  /** Receives every event batch of every run; returns the unsubscribe function. */
  onEvents(listener: (batch: EventBatch) => void): () => void
}

/** The request/response methods (everything but onEvents), each with its argument schema. */
const runId = z.string().min(1).max(200)

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
  listRuns: z.tuple([]),
  getPreferences: z.tuple([]),
  savePreferences: z.tuple([preferencesSchema])
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
