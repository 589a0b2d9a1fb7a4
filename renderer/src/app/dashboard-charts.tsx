import { memo, useMemo, type JSX } from 'react'
import type { CrawlerApi } from '../../../shared/api.ts'
import { FailureGroupsPanel } from '../features/results/index.ts'
import type { ErrorCode } from '../../../shared/errors.ts'
import { useShallow } from 'zustand/react/shallow'
import {
  DepthChart,
  ErrorBreakdownChart,
  InFlightChart,
  LatencyDistributionChart,
  LatencyOverTimeChart,
  QueueSizeChart,
  StatusBreakdownChart,
  ThroughputChart
} from '../features/charts/index.ts'
import { SERIES_WINDOW, useMetricsStore } from '../stores/metrics-store.ts'
import { isEnded, useRunStore } from '../stores/run-store.ts'

/**
 * The live charts, all fed from the metrics store: derived on the ticker (≤ 10×/s, ≤ 2,000 points a
 * series), each array keeping its identity until its content changes, so each memoised chart
 * redraws only when its own data moved. Isolated so the rest of the dashboard does not re-render
 * with chart updates, nor the charts with every event batch. Composed here in app/,
 * since features do not import each other.
 */
export const ChartsGrid = memo(function ChartsGrid(): JSX.Element {
  const m = useMetricsStore(
    useShallow((s) => ({
      series: s.series,
      recent: s.recent,
      sampleSeen: s.sampleSeen,
      sampleOf: s.sampleOf,
      buckets: s.buckets,
      marks: s.marks,
      startedAt: s.startedAt,
      byStatus: s.byStatus,
      byError: s.byError,
      p50: s.p50,
      p95: s.p95,
      p99: s.p99,
      decisionMarks: s.decisionMarks,
      frontier: s.frontier,
      depthCounts: s.depthCounts
    }))
  )
  const spider = useRunStore((s) => s.config?.mode === 'spider')
  // A finished run whose spider figures were not kept (an older or restored run) says so, not "yet".
  const notKept = useRunStore((s) => s.spider === null && isEnded(s.status))
  const emptyText = notKept ? 'Not kept for this run' : undefined
  // Settings changes and adaptive-concurrency decisions on one time line (each drawn its own way).
  const marks = useMemo(
    () =>
      m.decisionMarks.length === 0 ? m.marks : [...m.marks, ...m.decisionMarks].sort((a, b) => a.at - b.at),
    [m.marks, m.decisionMarks]
  )
  const last = m.series[m.series.length - 1]
  const endS = last ? last.t + last.spanS : 0
  return (
    <div className="charts-grid">
      <div className="charts-grid__wide">
        <LatencyOverTimeChart
          series={m.series}
          recent={m.recent}
          marks={marks}
          startedAt={m.startedAt}
          sampleSeen={m.sampleSeen}
          sampleOf={m.sampleOf}
          windowMs={SERIES_WINDOW.ms}
          minSamples={SERIES_WINDOW.minSamples}
        />
      </div>
      {/* Time series share a row, so their time axes line up; then the three distributions. */}
      <div className="charts-grid__half">
        <ThroughputChart series={m.series} marks={marks} startedAt={m.startedAt} />
      </div>
      <div className="charts-grid__half">
        <InFlightChart series={m.series} marks={marks} startedAt={m.startedAt} />
      </div>
      {spider ? (
        <>
          <div className="charts-grid__half">
            <QueueSizeChart
              samples={m.frontier}
              marks={marks}
              startedAt={m.startedAt}
              endS={endS}
              emptyText={emptyText}
            />
          </div>
          <div className="charts-grid__half">
            <DepthChart counts={m.depthCounts} emptyText={emptyText} />
          </div>
        </>
      ) : null}
      <div className="charts-grid__third">
        <LatencyDistributionChart buckets={m.buckets} p50={m.p50} p95={m.p95} p99={m.p99} />
      </div>
      <div className="charts-grid__third">
        <StatusBreakdownChart byStatus={m.byStatus} />
      </div>
      <div className="charts-grid__third">
        <ErrorBreakdownChart byError={m.byError} />
      </div>
    </div>
  )
})

/**
 * Failures grouped by code: advice and samples refreshed with the results revision (≤ 2×/s while
 * results arrive), counts from the run's summary.
 */
export function DashboardFailures({
  api,
  runId,
  onPickCode
}: {
  api: CrawlerApi
  runId: string
  onPickCode: (code: ErrorCode) => void
}): JSX.Element {
  const revision = useMetricsStore((s) => s.resultsRevision)
  // Counted from the same summary as the Failed card, so the two always agree.
  const live = useRunStore(
    useShallow((s) =>
      s.summary && s.summary.runId === runId
        ? { failed: s.summary.failed, byError: s.summary.byError }
        : undefined
    )
  )
  return (
    <FailureGroupsPanel api={api} runId={runId} revision={revision} onPickCode={onPickCode} live={live} />
  )
}
