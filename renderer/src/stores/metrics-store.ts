import { create } from 'zustand'
import type { FrontierSample, RunNotice, TrapReport } from '../../../shared/api.ts'
import type { ErrorCode } from '../../../shared/errors.ts'
import type { HostDecision } from '../../../shared/events.ts'
import type { HistogramBucket } from '../../../shared/histogram.ts'
import { LATENCY_MIN_SAMPLES, LATENCY_WINDOW_MS, type SeriesPoint } from '../../../shared/time-series.ts'
import { getRunData, type MarkPoint, type RecentSample, type RunData } from './run-data.ts'
import { isLive, useRunStore } from './run-store.ts'

/**
 * Chart-ready arrays derived from the raw run data on a timer (≤ 10×/s), so charts redraw at most
 * that often whatever the event rate. Arrays are replaced, never mutated; one that did not change
 * keeps its identity so memoised charts skip the render.
 */
export interface MetricsState {
  readonly runId: string | null
  readonly startedAt: number
  readonly series: readonly SeriesPoint[]
  /** The scatter's sample of requests (see RunData.sample), oldest first. */
  readonly recent: readonly RecentSample[]
  /** Results the sample was drawn from, and the run's finished results (the same once caught up). */
  readonly sampleSeen: number
  readonly sampleOf: number
  readonly buckets: readonly HistogramBucket[]
  readonly marks: readonly MarkPoint[]
  /** Status and error code counts, copied from the summary at the tick: same object until they change. */
  readonly byStatus: Readonly<Record<string, number>>
  readonly byError: Readonly<Partial<Record<ErrorCode, number>>>
  /** Whole-run percentiles (ms) for the distribution chart's markers. */
  readonly p50: number | null
  readonly p95: number | null
  readonly p99: number | null
  /** Bumped at most twice a second while results arrive: the results tables refetch on it. */
  readonly resultsRevision: number
  /** Adaptive-concurrency decisions, NEWEST first (the decision log). */
  readonly decisions: readonly HostDecision[]
  /** The same decisions as chart marks, oldest first. */
  readonly decisionMarks: readonly MarkPoint[]
  /** Spider traps reported, newest first. */
  readonly traps: readonly TrapReport[]
  /** Sitemap problems, newest first. */
  readonly notices: readonly RunNotice[]
  /** Queue size over time (spider runs; empty otherwise). */
  readonly frontier: readonly FrontierSample[]
  /** Finished results per depth (index = depth); empty for a list run. */
  readonly depthCounts: readonly number[]
}

export const MAX_SERIES_POINTS = 2_000
export const DISTRIBUTION_BINS = 60
/** 4 Hz: inside the 4–10 Hz the charts stay smooth at, with room left on a 2-core machine. */
export const DERIVE_INTERVAL_MS = 250
const REVISION_INTERVAL_MS = 500
/**
 * The distribution and breakdown charts change slowly and cost as much to redraw as the time
 * series (~25 ms each on a busy 2-core machine), so they refresh once a second, not every tick.
 */
const SLOW_INTERVAL_MS = 1_000
/** With nothing new, a live run's series still extends to "now" (a stall shows as zeros), once a second. */
const IDLE_EXTEND_MS = 1_000
/** Percentile lines over the last 10 s of results, at least 20 of them (shared/time-series.ts). */
export const SERIES_WINDOW = { ms: LATENCY_WINDOW_MS, minSamples: LATENCY_MIN_SAMPLES } as const

const EMPTY: Omit<MetricsState, 'resultsRevision'> = {
  runId: null,
  startedAt: 0,
  series: [],
  recent: [],
  sampleSeen: 0,
  sampleOf: 0,
  buckets: [],
  marks: [],
  byStatus: {},
  byError: {},
  p50: null,
  p95: null,
  p99: null,
  decisions: [],
  decisionMarks: [],
  traps: [],
  notices: [],
  frontier: [],
  depthCounts: []
}

export const useMetricsStore = create<MetricsState>()(() => ({ ...EMPTY, resultsRevision: 0 }))

interface DeriveMemo {
  data: RunData | null
  version: number
  marksLength: number
  derivedAt: number
  slowAt: number
  slowVersion: number
  seenAtRevision: number
  revisionAt: number
  wasLive: boolean
  spiderVersion: number
}

const memo: DeriveMemo = {
  data: null,
  version: -1,
  marksLength: -1,
  derivedAt: 0,
  slowAt: 0,
  slowVersion: -1,
  seenAtRevision: 0,
  revisionAt: 0,
  wasLive: false,
  spiderVersion: -1
}

/** One derivation step: called by the ticker, and directly by tests. One store update at most. */
export function deriveMetrics(now: number = Date.now()): void {
  const data = getRunData()
  const run = useRunStore.getState()
  const store = useMetricsStore.getState()
  if (!data) {
    if (store.runId !== null)
      useMetricsStore.setState({ ...EMPTY, resultsRevision: store.resultsRevision + 1 })
    memo.data = null
    return
  }
  const live = isLive(run.status)
  const sameData = memo.data === data
  const changed = !sameData || memo.version !== data.version
  const finishing = memo.wasLive && !live
  // Results throttled out of the last revision bump still get one once the interval has passed.
  const revisionDue =
    data.resultsSeen !== memo.seenAtRevision && now - memo.revisionAt >= REVISION_INTERVAL_MS
  const extend = live && now - memo.derivedAt >= IDLE_EXTEND_MS
  const spiderChanged = !sameData || memo.spiderVersion !== data.spiderVersion
  const slowStale = !sameData || memo.slowVersion !== data.version
  const slowDue = slowStale && (!sameData || finishing || !live || now - memo.slowAt >= SLOW_INTERVAL_MS)
  if (!changed && !finishing && !revisionDue && !extend && !slowDue) return

  const summary = run.summary
  const end = live ? now : (summary?.finishedAt ?? undefined)
  const next: { -readonly [K in keyof MetricsState]?: MetricsState[K] } = {
    runId: data.runId,
    startedAt: data.startedAt,
    series: data.buckets.series({ maxPoints: MAX_SERIES_POINTS, now: end, window: SERIES_WINDOW })
  }
  if (changed) {
    next.recent = data.recentPoints()
    next.sampleSeen = data.sample.seen
    next.sampleOf = Math.max(data.sample.seen, summary?.runId === data.runId ? summary.done : 0)
    if (!sameData || data.marks.length !== memo.marksLength) next.marks = [...data.marks]
  }
  if (spiderChanged) {
    if (
      !sameData ||
      data.decisions.length !== store.decisions.length ||
      data.decisions.at(-1) !== store.decisions[0]
    ) {
      next.decisions = data.decisions.toReversed()
      next.decisionMarks = [...data.decisionMarks]
    }
    if (!sameData || data.traps.length !== store.traps.length || data.traps.at(-1) !== store.traps[0])
      next.traps = data.traps.toReversed()
    if (!sameData || data.notices.length !== store.notices.length || data.notices.at(-1) !== store.notices[0])
      next.notices = data.notices.toReversed()
    if (
      !sameData ||
      data.frontier.at(-1) !== store.frontier.at(-1) ||
      data.frontier.length !== store.frontier.length
    )
      next.frontier = [...data.frontier]
    const depths = data.spider?.depthCounts ?? []
    if (!sameNumbers(store.depthCounts, depths)) next.depthCounts = [...depths]
    memo.spiderVersion = data.spiderVersion
  }
  if (slowDue) {
    next.buckets = data.histogram.buckets({ maxBuckets: DISTRIBUTION_BINS })
    memo.slowAt = now
    memo.slowVersion = data.version
  }
  if (slowDue && summary && summary.runId === data.runId) {
    // Breakdown charts re-render only when a count moved, not on every batch's new summary object.
    if (!sameCounts(store.byStatus, summary.byStatus)) next.byStatus = summary.byStatus
    if (!sameCounts(store.byError, summary.byError)) next.byError = summary.byError
    next.p50 = summary.latency.p50
    next.p95 = summary.latency.p95
    next.p99 = summary.latency.p99
  }
  if (!sameData || finishing || revisionDue) {
    next.resultsRevision = store.resultsRevision + 1
    memo.seenAtRevision = data.resultsSeen
    memo.revisionAt = now
  }
  memo.data = data
  memo.version = data.version
  memo.marksLength = data.marks.length
  memo.derivedAt = now
  memo.wasLive = live
  useMetricsStore.setState(next)
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}

function sameCounts(
  a: Readonly<Record<string, number | undefined>>,
  b: Readonly<Record<string, number | undefined>>
): boolean {
  if (a === b) return true
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every((k) => a[k] === b[k])
}

let ticker: ReturnType<typeof setInterval> | null = null

/** Starts the derivation timer (idempotent); returns a stop function. */
export function startMetricsTicker(intervalMs = DERIVE_INTERVAL_MS): () => void {
  if (ticker === null) {
    ticker = setInterval(() => {
      deriveMetrics()
    }, intervalMs)
  }
  return () => {
    if (ticker !== null) clearInterval(ticker)
    ticker = null
  }
}
