import { ERROR_ADVICE, type ErrorCode } from '../../shared/errors.ts'
import type { FrontierCounts, HostDecision } from '../../shared/events.ts'
import { statusText, type RunStatus } from '../../shared/run-status.ts'
import type { RunSummary } from '../../shared/summary.ts'
import {
  formatBytes,
  formatDuration,
  formatDurationShort,
  formatMs,
  formatRate,
  formatShare,
  formatSpeedup
} from '../../shared/format.ts'

/** Terminal text for the runner: progress lines and the final summary table (figures as in the app). */

export function progressLine(s: RunSummary, width: number): string {
  const fraction = s.total === 0 ? 1 : s.done / s.total
  const pct = `${Math.floor(fraction * 100)}%`.padStart(4)
  const stats =
    ` ${pct} ${s.done}/${s.total}  ok ${s.ok}  failed ${s.failed}  retries ${s.retries}` +
    `  ${formatRate(s.recentPerSecond)}  p95 ${formatMs(s.latency.p95)}  ETA ${formatDurationShort(s.etaMs)}` +
    (s.state === 'paused' ? '  [paused]' : '')
  const barWidth = Math.max(10, Math.min(40, width - stats.length - 3))
  const filled = Math.round(fraction * barWidth)
  return `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]${stats}`
}

export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  return rows
    .map(
      (row) =>
        '  ' +
        row
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd()
    )
    .join('\n')
}

/** The closing summary; `status` says how the run ended ("interrupted: SIGINT (Ctrl-C) stopped it"). */
export function summaryTable(s: RunSummary, status: RunStatus): string {
  const lines: string[] = []
  const pct = (n: number) => (s.done === 0 ? '' : `(${formatShare(n, s.done)})`)
  lines.push(
    `Run ${s.runId}: ${statusText(status)}${status.kind === 'interrupted' ? `: ${status.reason}` : ''}`
  )
  lines.push(
    table([
      ['URLs', `${s.done} of ${s.total} done`],
      ['ok', `${s.ok} ${pct(s.ok)}`],
      ['failed', `${s.failed} ${pct(s.failed)}`],
      ['retries', String(s.retries)],
      ['elapsed', formatDuration(s.elapsedMs)],
      ['throughput', formatRate(s.throughputPerSecond)],
      ['speedup vs sequential', formatSpeedup(s.speedup)],
      ['downloaded', formatBytes(s.bytes)]
    ])
  )
  const l = s.latency
  lines.push('Latency')
  lines.push(
    table([
      ['min', 'p50', 'p90', 'p95', 'p99', 'max', 'mean'],
      [l.min, l.p50, l.p90, l.p95, l.p99, l.max, l.mean].map(formatMs)
    ])
  )
  const statuses = Object.entries(s.byStatus).sort(([a], [b]) => a.localeCompare(b))
  if (statuses.length > 0) {
    lines.push('Status codes')
    lines.push(table(statuses.map(([code, n]) => [code === 'none' ? 'no response' : code, String(n)])))
  }
  const errors = (Object.entries(s.byError) as [ErrorCode, number][]).sort((a, b) => b[1] - a[1])
  if (errors.length > 0) {
    lines.push('Failures by code')
    lines.push(table(errors.map(([code, n]) => [code, String(n), ERROR_ADVICE[code]])))
  }
  return lines.join('\n')
}

/** What a spider run (or a run with adaptive limits or the safeguard) reports at the end. */
export interface SpiderReport {
  readonly spider: boolean
  readonly frontier: FrontierCounts | null
  readonly decisions: readonly HostDecision[]
  readonly droppedDecisions: number
  readonly traps: readonly { readonly url: string; readonly code: string; readonly message: string }[]
  readonly trapCount: number
  /** Sitemaps that could not be read, or only in part. */
  readonly sitemapProblems: readonly string[]
  /** robots.txt status per origin. */
  readonly robots: ReadonlyMap<string, string>
  readonly safeguard: string | null
}

/** "  found 1234  queued 56  depth 3": appended to the progress line in spider mode. */
export function spiderProgress(frontier: FrontierCounts | null): string {
  if (frontier === null) return ''
  return `  found ${frontier.discovered}  queued ${frontier.queued}  depth ${frontier.maxDepthSeen}`
}

export function spiderSummary(r: SpiderReport): string {
  const lines: string[] = []
  const f = r.frontier
  if (r.spider && f !== null) {
    lines.push('Spider')
    lines.push(
      table([
        ['URLs found', String(f.discovered)],
        ['deepest', String(f.maxDepthSeen)],
        ['duplicate links', String(f.deduped)],
        ['out of scope', String(f.outOfScope)],
        ['nofollow', String(f.nofollow)],
        ['over a limit', `${f.overLimit} (depth, pages, per-host budget)`],
        ['traps', String(f.trapped)]
      ])
    )
  }
  if (r.robots.size > 0) {
    lines.push('robots.txt')
    lines.push(table([...r.robots].map(([origin, label]) => [origin, label])))
  }
  if (r.trapCount > 0) {
    lines.push(`Traps (${r.trapCount}; URLs not fetched)`)
    lines.push(table(r.traps.map((t) => [t.code, t.url.length > 100 ? `${t.url.slice(0, 100)}…` : t.url])))
  }
  if (r.sitemapProblems.length > 0) {
    lines.push(`Sitemap problems (${r.sitemapProblems.length})`)
    for (const message of r.sitemapProblems.slice(0, 20)) lines.push(`  ${message}`)
  }
  if (r.decisions.length > 0) {
    lines.push(`Host decisions (${r.decisions.length + r.droppedDecisions})`)
    for (const d of r.decisions.slice(-50))
      lines.push(`  ${new Date(d.at).toISOString().slice(11, 19)}  ${d.reason}`)
  }
  if (r.safeguard !== null) lines.push(`Safeguard: ${r.safeguard}`)
  return lines.join('\n')
}
