import type { CompactResults, EventBatch, ResultRow, RunInfo, RunSnapshot } from '../../shared/api.ts'
import { DEFAULT_CONFIG, pickLive } from '../../shared/config.ts'
import type { ErrorCode, FailurePhase, RequestFailure } from '../../shared/errors.ts'
import type { RunState } from '../../shared/events.ts'
import { LogHistogram } from '../../shared/histogram.ts'
import type { AttemptRecord, RedirectHop, RequestResult, TimingPhases } from '../../shared/result.ts'
import { COMPLETED, drivenStatus, RUNNING, type RunStatus } from '../../shared/run-status.ts'
import type { LatencyFigures, RunSummary } from '../../shared/summary.ts'
import { TimeBuckets } from '../../shared/time-series.ts'

/**
 * The one place tests build results and runs from a few facts. Each builder takes a small spec
 * (only what the test is about) and fills in the rest with plain, deterministic values that agree
 * with each other the way the engine's would: a failure has no 200 status, the phases add up to the
 * total, a run's counts add up. Pure (shared/ only), so renderer, core and bench code can all use it.
 */

/** When fixtures happen, unless a spec says otherwise. */
export const FIXTURE_T0 = Date.parse('2026-11-22T12:00:00Z')

export interface ResultSpec {
  readonly id: number
  /** Default `http://<host>/p/<id>`. */
  readonly url?: string
  /** Default: the URL's. */
  readonly finalUrl?: string
  /** Default: the URL's host[:port], or a.test. */
  readonly host?: string
  readonly method?: 'GET' | 'HEAD'
  /** Default 200 for a result that is ok, none (null) for one that failed. */
  readonly status?: number | null
  /** Default: ok when there is no error code. */
  readonly ok?: boolean
  /** The failure's code; none (null) for a success. */
  readonly code?: ErrorCode | null
  /** Default `<code> on <host>`. */
  readonly message?: string
  readonly phase?: FailurePhase
  readonly retryable?: boolean
  /** The final attempt's total time; default 10 ms, half waiting for headers, half reading the body. */
  readonly totalMs?: number
  /** Phases to set beside the total (they are not re-balanced: the spec's word is final). */
  readonly timings?: Partial<Omit<TimingPhases, 'total'>>
  /** How many attempts it took (default 1; 0 for a URL never requested, as robots.txt refusals). */
  readonly attempts?: number
  readonly redirects?: readonly RedirectHop[]
  /** Default 1,000 bytes read. */
  readonly bytes?: number
  readonly contentType?: string | null
  /** Default `Page <id>` when the server answered, none when it did not. */
  readonly title?: string | null
  /** Default FIXTURE_T0. */
  readonly startedAt?: number
  /** Default: once every attempt has taken totalMs. */
  readonly finishedAt?: number
  readonly headers?: Readonly<Record<string, string>>
  readonly depth?: number
  readonly foundOn?: number | null
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host
  } catch {
    // Tests feed the exports hostile "URLs" (formulas, phone numbers) that no parser takes.
    return null
  }
}

/** One final result, as the engine reports it and the store keeps it. */
export function result(spec: ResultSpec): RequestResult {
  const host = spec.host ?? (spec.url === undefined ? null : hostOf(spec.url)) ?? 'a.test'
  const url = spec.url ?? `http://${host}/p/${String(spec.id)}`
  const code = spec.code ?? null
  const ok = spec.ok ?? code === null
  const status = spec.status === undefined ? (ok ? 200 : null) : spec.status
  const error: RequestFailure | null =
    code === null
      ? null
      : {
          code,
          message: spec.message ?? `${code} on ${host}`,
          phase: spec.phase ?? 'headers',
          retryable: spec.retryable ?? false,
          // The engine keeps the status that made an HTTP_STATUS failure.
          ...(code === 'HTTP_STATUS' && status !== null ? { status } : {})
        }
  const totalMs = spec.totalMs ?? 10
  const startedAt = spec.startedAt ?? FIXTURE_T0
  const count = spec.attempts ?? 1
  // A result may carry no usable time (NaN): its attempts still happened at some moment.
  const span = Number.isFinite(totalMs) ? totalMs : 0
  // Every attempt but the last was retried straight away with the same answer.
  const attempts = Array.from({ length: count }, (_, k): AttemptRecord => ({
    attempt: k + 1,
    startedAt: startedAt + k * span,
    durationMs: totalMs,
    status,
    error,
    outcome: k < count - 1 ? 'retry' : ok ? 'ok' : 'failed',
    waitBeforeNextMs: k < count - 1 ? 0 : null,
    waitReason: k < count - 1 ? 'backoff' : null
  }))
  return {
    id: spec.id,
    url,
    finalUrl: spec.finalUrl ?? url,
    host,
    method: spec.method ?? 'GET',
    status,
    ok,
    attempts,
    redirects: spec.redirects ?? [],
    error,
    timings: {
      queue: 0,
      dns: 0,
      connect: 0,
      tls: 0,
      ttfb: totalMs / 2,
      download: totalMs / 2,
      ...spec.timings,
      total: totalMs
    },
    bytes: spec.bytes ?? 1_000,
    contentType: spec.contentType === undefined ? (status === null ? null : 'text/html') : spec.contentType,
    title: spec.title === undefined ? (status === null ? null : `Page ${String(spec.id)}`) : spec.title,
    startedAt,
    finishedAt: spec.finishedAt ?? startedAt + Math.max(1, count) * span,
    headers: spec.headers ?? {},
    depth: spec.depth ?? 0,
    foundOn: spec.foundOn ?? null
  }
}

/** A result as the results table lists it (the store's row shape, written the obvious way). */
export function resultRow(r: RequestResult): ResultRow {
  return {
    id: r.id,
    url: r.url,
    host: r.host,
    status: r.status,
    ok: r.ok,
    errorCode: r.error?.code ?? null,
    errorMessage: r.error?.message ?? null,
    attempts: r.attempts.length,
    totalMs: r.timings.total,
    ttfbMs: r.timings.ttfb,
    bytes: r.bytes,
    title: r.title,
    finishedAt: r.finishedAt,
    depth: r.depth
  }
}

/** Results in the wire's struct-of-arrays form (status 0 = no response, code '' = none). */
export function compactResults(results: readonly RequestResult[] = []): CompactResults {
  return {
    id: results.map((r) => r.id),
    finishedAt: results.map((r) => r.finishedAt),
    totalMs: results.map((r) => r.timings.total),
    status: results.map((r) => r.status ?? 0),
    ok: results.map((r) => (r.ok ? 1 : 0)),
    code: results.map((r) => r.error?.code ?? '')
  }
}

export interface SummarySpec extends Partial<Omit<RunSummary, 'latency'>> {
  readonly latency?: Partial<LatencyFigures>
}

/**
 * A run's summary whose counts add up: done = ok + failed (unless the spec sets them apart), and
 * unless byStatus/byError say otherwise the ok results answered 200 and the failed ones 503.
 * Latency figures are unknown (null) but for their count, the results done.
 */
export function runSummary(spec: SummarySpec = {}): RunSummary {
  const failed = spec.failed ?? 0
  const ok = spec.ok ?? (spec.done ?? 0) - failed
  const done = spec.done ?? ok + failed
  const nonZero = (counts: Record<string, number>) =>
    Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0))
  return {
    runId: 'r1',
    state: 'running',
    total: done,
    queued: 0,
    retries: 0,
    inFlight: 0,
    waitingRetry: 0,
    bytes: 0,
    startedAt: FIXTURE_T0,
    finishedAt: null,
    elapsedMs: 0,
    throughputPerSecond: 0,
    recentPerSecond: 0,
    etaMs: null,
    speedup: null,
    ...spec,
    done,
    ok,
    failed,
    byStatus: spec.byStatus ?? nonZero({ '200': ok, '503': failed }),
    byError: spec.byError ?? nonZero({ HTTP_STATUS: failed }),
    latency: {
      count: done,
      min: null,
      mean: null,
      p50: null,
      p90: null,
      p95: null,
      p99: null,
      max: null,
      ...spec.latency
    }
  }
}

/** The engine state a status implies (an interrupted or suspended run was going when it stopped). */
function stateOf(status: RunStatus): RunState {
  return status.kind === 'completed' || status.kind === 'cancelled' ? status.kind : 'running'
}

export interface RunInfoSpec extends Partial<Omit<RunInfo, 'summary'>> {
  readonly runId: string
  /** Merged into the run's summary (its runId and total follow the run's; its state, the status's). */
  readonly summary?: SummarySpec
}

/** A run as History lists it; completed with every URL done unless the spec says otherwise. */
export function runInfo(spec: RunInfoSpec): RunInfo {
  const status = spec.status ?? COMPLETED
  const total = spec.total ?? spec.summary?.total ?? 0
  return {
    runId: spec.runId,
    name: spec.name ?? `Run ${spec.runId}`,
    note: spec.note ?? '',
    status,
    createdAt: spec.createdAt ?? FIXTURE_T0,
    total,
    summary: runSummary({ done: total, state: stateOf(status), ...spec.summary, runId: spec.runId, total })
  }
}

/** Everything empty: a batch of a run that is going and has nothing new to say but its summary. */
export function eventBatch(spec: Partial<EventBatch> = {}): EventBatch {
  const runId = spec.runId ?? 'r1'
  const fromSeq = spec.fromSeq ?? 1
  const settings = spec.settings ?? pickLive(DEFAULT_CONFIG)
  return {
    runId,
    fromSeq,
    toSeq: fromSeq,
    results: compactResults(),
    retries: 0,
    marks: [],
    status: RUNNING,
    settings,
    summary: runSummary({ runId }),
    inFlight: { at: FIXTURE_T0, inFlight: 0, limit: settings.concurrency },
    decisions: [],
    traps: [],
    notices: [],
    robots: [],
    safeguardReason: null,
    spider: null,
    ...spec
  }
}

/** A run's snapshot before anything happened in it, but what the spec says. */
export function runSnapshot(spec: Partial<RunSnapshot> = {}): RunSnapshot {
  const runId = spec.runId ?? 'r1'
  const summary = spec.summary ?? runSummary({ runId })
  const settings = spec.settings ?? pickLive(spec.config ?? DEFAULT_CONFIG)
  return {
    runId,
    name: `Run ${runId}`,
    note: '',
    seq: 0,
    status: drivenStatus(summary.state),
    config: DEFAULT_CONFIG,
    settings,
    summary,
    series: new TimeBuckets({ startedAt: summary.startedAt }).toJSON(),
    histogram: new LogHistogram().toJSON(),
    recent: compactResults(),
    marks: [],
    inFlight: { at: summary.startedAt, inFlight: 0, limit: settings.concurrency },
    decisions: [],
    traps: [],
    notices: [],
    robots: [],
    safeguardReason: null,
    spider: null,
    frontierSeries: [],
    ...spec
  }
}
