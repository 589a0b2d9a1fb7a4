import { DEFAULT_CONFIG, type RunConfig } from '../../shared/config.ts'
import type { RequestResult } from '../../shared/result.ts'
import { RunStats } from '../../shared/stats.ts'
import { TimeBuckets } from '../../shared/time-series.ts'
import type { RunStore } from '../../electron/core/store/index.ts'

/**
 * A run in a real store, as a crawl would leave it: input URLs, results written through the batched
 * writer, and (unless `saveFigures` is false, as for a crawl killed before its first save) the
 * summary, stats and series saved with the final state.
 */
export interface StoredRunSpec {
  readonly id: string
  readonly name?: string
  readonly note?: string
  readonly config?: RunConfig
  readonly results: readonly RequestResult[]
  /** Input URLs beyond the results' (URLs not fetched yet). */
  readonly extraUrls?: readonly string[]
  readonly saveFigures?: boolean
  readonly state?: 'completed' | 'cancelled' | 'running'
  /** Default: half a second before the first result started. */
  readonly createdAt?: number
}

export function storeRun(store: RunStore, spec: StoredRunSpec): void {
  const results = spec.results
  const urls = [...results.map((r) => r.url), ...(spec.extraUrls ?? [])]
  const startedAt = Math.min(...results.map((r) => r.startedAt))
  const finishedAt = Math.max(...results.map((r) => r.finishedAt))
  const state = spec.state ?? 'completed'
  store.createRun({
    id: spec.id,
    name: spec.name ?? `run ${spec.id}`,
    note: spec.note ?? '',
    config: spec.config ?? DEFAULT_CONFIG,
    urls,
    createdAt: spec.createdAt ?? startedAt - 500,
    state: 'running'
  })
  store.updateRun(spec.id, { startedAt })
  const writer = store.resultWriter(spec.id)
  for (const result of results) writer.add(result)
  writer.close()
  if (spec.saveFigures === false) return
  const stats = new RunStats({ runId: spec.id, total: urls.length, startedAt })
  const series = new TimeBuckets({ startedAt })
  for (const result of results) {
    stats.recordResult(result)
    series.record(result)
  }
  const finished = state === 'running' ? null : finishedAt
  store.updateRun(spec.id, {
    state,
    finishedAt: finished,
    summary: stats.summary({
      state,
      inFlight: 0,
      queued: 0,
      waitingRetry: 0,
      now: finishedAt,
      finishedAt: finished
    }),
    stats: stats.toJSON(),
    series: series.toJSON()
  })
}
