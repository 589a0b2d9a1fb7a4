import { RunStats } from '../../../shared/stats.ts'
import type { RunStore } from './run-store.ts'
import type { StoredRun } from './run-records.ts'

/**
 * A stored run's counts, as a resume or an export continues from them. The saved RunStats are used
 * when they agree with the rows (a run saves them right after writing its rows, so equal counts
 * mean the same results); otherwise — a process killed after committing rows but before its next
 * save, or a run killed before its first save — they are recomputed from the rows, which are the
 * truth.
 */
export function restoreRunStats(store: RunStore, run: StoredRun): RunStats {
  if (run.stats !== null && run.stats.ok + run.stats.failed === store.countResults(run.runId)) {
    try {
      return RunStats.fromJSON(run.stats)
    } catch {
      // A later build's format: the rows are the truth anyway.
    }
  }
  return statsFromRows(store, run)
}

/** A run's RunStats recomputed from its stored results: exact whatever was saved before a crash. */
export function statsFromRows(store: RunStore, run: StoredRun): RunStats {
  const stats = new RunStats({
    runId: run.runId,
    total: run.total,
    startedAt: run.startedAt ?? run.createdAt
  })
  for (const result of store.iterateResults(run.runId, 'id')) stats.recordResult(result)
  return stats
}
