import type { ErrorCode } from './errors.ts'
import type { RunState } from './run-state.ts'

/** Latency figures in ms over finished requests (final attempt total time); null before any result. */
export interface LatencyFigures {
  readonly count: number
  readonly min: number | null
  readonly mean: number | null
  readonly p50: number | null
  readonly p90: number | null
  readonly p95: number | null
  readonly p99: number | null
  readonly max: number | null
}

/** The running summary a run reports; the same shape in the engine, the dashboard and exports. */
export interface RunSummary {
  readonly runId: string
  readonly state: RunState
  /** URLs to fetch (valid, de-duplicated). */
  readonly total: number
  /** URLs with a final result. */
  readonly done: number
  readonly ok: number
  readonly failed: number
  /** Attempts beyond each request's first. */
  readonly retries: number
  readonly inFlight: number
  /** Waiting for a slot (not yet started, or retry due). */
  readonly queued: number
  /** Sleeping before a retry (these hold no slot). */
  readonly waitingRetry: number
  readonly byStatus: Readonly<Record<string, number>>
  readonly byError: Readonly<Partial<Record<ErrorCode, number>>>
  readonly latency: LatencyFigures
  /** Decoded body bytes over all results. */
  readonly bytes: number
  readonly startedAt: number
  readonly finishedAt: number | null
  readonly elapsedMs: number
  /** Results per second over the whole run. */
  readonly throughputPerSecond: number
  /** Results per second over the last few seconds. */
  readonly recentPerSecond: number
  /** Time left at the recent rate; null when unknown. */
  readonly etaMs: number | null
  /** Σ request latency ÷ elapsed: how much faster than fetching one at a time. */
  readonly speedup: number | null
}
