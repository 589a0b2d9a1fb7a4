import { LogHistogram } from '../../../shared/histogram.ts'
import type { RequestResult } from '../../../shared/result.ts'
import { RunStats } from '../../../shared/stats.ts'
import type { RunSummary } from '../../../shared/summary.ts'
import { TimeBuckets } from '../../../shared/time-series.ts'
import type { RunStore, StoredRun } from '../store/index.ts'
import { yieldToEventLoop } from './output.ts'

/**
 * The figures an export reports for a run: its summary, latency histogram and time series. The
 * stored ones are used when they agree with the stored rows; a run killed before its first save
 * (or after committing results it had not yet counted) gets them recomputed from the rows, so an
 * export never contradicts the results it lists.
 */

export interface RunFigures {
  readonly summary: RunSummary
  /** Total latency of every finished request (final attempt), ms. */
  readonly latency: LogHistogram
  readonly series: TimeBuckets
  /** True when the figures were recomputed from the rows rather than read from the saved run. */
  readonly recomputed: boolean
}

/** Folds results, in any order, into the figures a saved run would hold. */
export class RowTally {
  readonly stats: RunStats
  readonly series: TimeBuckets
  private readonly run: StoredRun
  private lastFinishedAt: number | null = null

  constructor(run: StoredRun) {
    this.run = run
    const startedAt = run.startedAt ?? run.createdAt
    this.stats = new RunStats({ runId: run.runId, total: run.total, startedAt })
    this.series = new TimeBuckets({ startedAt })
  }

  add(result: RequestResult): void {
    this.stats.recordResult(result)
    this.series.record(result)
    if (Number.isFinite(result.finishedAt) && result.finishedAt > (this.lastFinishedAt ?? -Infinity)) {
      this.lastFinishedAt = result.finishedAt
    }
  }

  /**
   * The summary as of the run's end: its finish time when saved, else its last result (a killed
   * run's clock stopped there; measuring to "now" would make it look slower the older it gets).
   * Paused spans were not saved, so they count as active time.
   */
  summary(): RunSummary {
    const run = this.run
    return this.stats.summary({
      state: run.state,
      inFlight: 0,
      queued: 0,
      waitingRetry: 0,
      now: run.finishedAt ?? this.lastFinishedAt ?? run.updatedAt,
      finishedAt: run.finishedAt
    })
  }

  figures(): RunFigures {
    return { summary: this.summary(), latency: this.stats.latency, series: this.series, recomputed: true }
  }
}

/**
 * The saved figures when they count exactly the stored rows (the writers save them right after
 * flushing rows, so equal counts mean the same results); null when missing, stale or unreadable.
 */
export function savedFigures(store: RunStore, run: StoredRun): RunFigures | null {
  const { summary, stats, series } = run
  if (summary === null || stats === null || series === null) return null
  const rows = store.countResults(run.runId)
  if (summary.done !== rows || stats.ok + stats.failed !== rows) return null
  try {
    return {
      summary,
      latency: LogHistogram.fromJSON(stats.latency),
      series: TimeBuckets.fromJSON(series),
      recomputed: false
    }
  } catch {
    // Written by a later build or damaged: the rows are the truth anyway.
    return null
  }
}

/** Rows folded between two turns of the event loop while figures are recomputed. */
const ROWS_PER_TURN = 500

/**
 * The run's figures: saved ones when they agree with the rows, else one streamed pass over them
 * (a million rows take tens of seconds, so the pass yields to the event loop as it goes).
 */
export async function runFigures(store: RunStore, run: StoredRun): Promise<RunFigures> {
  const saved = savedFigures(store, run)
  if (saved !== null) return saved
  const tally = new RowTally(run)
  let n = 0
  for (const result of store.iterateResults(run.runId, 'id')) {
    tally.add(result)
    if (++n % ROWS_PER_TURN === 0) await yieldToEventLoop()
  }
  return tally.figures()
}
