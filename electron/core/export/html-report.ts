import type { Writable } from 'node:stream'
import { unfilteredQuery, type ResultQuery } from '../../../shared/api.ts'
import type { RunStore, StoredRun } from '../store/index.ts'
import { markup, SafeHtml } from './html-escape.ts'
import { writeChunk } from './output.ts'
import {
  latencyDistributionFigure,
  latencyOverTimeFigure,
  statusFigure,
  throughputFigure
} from './report-charts.ts'
import { runFigures, type RunFigures } from './run-figures.ts'
import { MAX_SERIES_POINTS } from './report-scale.ts'
import { settingsSection } from './report-settings.ts'
import { hasSpiderSection, spiderSection } from './report-spider.ts'
import { REPORT_CSS } from './report-styles.ts'
import { reportHeader, summarySection, type ReportHead } from './report-summary.ts'
import { failuresSection, slowestSection } from './report-tables.ts'

/**
 * One self-contained HTML file about a run, to mail, archive or print: summary, settings, charts
 * (inline SVG drawn here), for a spider run what the spider did, failures by code and the slowest
 * URLs. It opens offline in any browser
 * and runs nothing: no script, no event handler, no external resource, and a CSP that forbids them
 * should anything slip through. Every text from a crawl or the analyst is escaped (markup`…`).
 */

export interface HtmlReportOptions {
  /** Crawlboard's version, printed in the header and footer ('' to leave it out). */
  readonly version: string
  /** When the report is made (epoch ms); default now. */
  readonly now?: number
}

const REPORT_PIECE_BYTES = 64 * 1024

/** Rows in the slowest-URLs table. */
export const SLOWEST_URLS = 50

/**
 * Nothing may load or run: no default source, inline style only, images only as data: URLs (none
 * are used today). Forms cannot post anywhere and nothing may frame the report.
 */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"

/** The slowest results, any outcome, slowest first. */
export function slowestQuery(runId: string, limit = SLOWEST_URLS): ResultQuery {
  return unfilteredQuery(runId, { limit, sort: { column: 'totalMs', direction: 'desc' } })
}

function chartsSection(figures: RunFigures): SafeHtml {
  const s = figures.summary
  // Up to the run's end, so the last interval's rate counts only the time it really covered.
  const end = s.startedAt + s.elapsedMs
  const points = figures.series.series({ maxPoints: MAX_SERIES_POINTS, now: end })
  return markup`<section id="charts" aria-labelledby="charts-title">
    <h2 id="charts-title">Charts</h2>
    <div class="charts">
      ${latencyOverTimeFigure(points)} ${latencyDistributionFigure(figures.latency, s.latency)}
      ${throughputFigure(points)} ${statusFigure(s.byStatus, s.done)}
    </div>
  </section>`
}

/** The whole document for a run whose figures are known. Pure apart from reading the store. */
export function renderHtmlReport(
  store: RunStore,
  run: StoredRun,
  figures: RunFigures,
  opts: HtmlReportOptions
): SafeHtml {
  const now = opts.now ?? Date.now()
  const head: ReportHead = { run, summary: figures.summary, version: opts.version, now }
  const s = figures.summary
  const slowest = store.queryResults(slowestQuery(run.runId)).rows
  const made = `Crawlboard${opts.version === '' ? '' : ` ${opts.version}`}`
  // Depths from the stored rows (an indexed count), so an old run without a spider record still
  // gets its pages per depth, and the chart never contradicts the results listed.
  const spider = hasSpiderSection(run)
    ? spiderSection({ run, depths: store.getResultFacets(run.runId).depths, done: s.done })
    : null
  return markup`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="${made}">
<title>${run.name} · Crawlboard report</title>
<style>${new SafeHtml(REPORT_CSS)}</style>
</head>
<body>
${reportHeader(head)}
<main>
${summarySection(head, figures.recomputed)}
${chartsSection(figures)}
${spider}
${failuresSection(store.failureCounts(run.runId), s.done, s.failed)}
${slowestSection(slowest, s.done)}
${settingsSection(run)}
</main>
<footer>Made by ${made}. This file is self-contained: it loads nothing and runs no script.</footer>
</body>
</html>
`
}

/**
 * Writes the report for `runId` to `out` (waiting for room as the stream asks) and returns how
 * many results the run holds. Does not end `out`. Throws when there is no such run.
 */
export async function writeHtmlReport(
  store: RunStore,
  runId: string,
  out: Writable,
  opts: HtmlReportOptions
): Promise<{ results: number }> {
  const run = store.getRun(runId)
  if (run === null) throw new Error(`There is no run ${runId} in ${store.path}`)
  const figures = await runFigures(store, run)
  // A report is tens of KB whatever the run's size. Encoded once, then written in pieces so a slow
  // reader sets the pace (bytes, not string slices: a slice could split a surrogate pair).
  const bytes = Buffer.from(renderHtmlReport(store, run, figures, opts).html, 'utf8')
  for (let i = 0; i < bytes.length; i += REPORT_PIECE_BYTES) {
    await writeChunk(out, bytes.subarray(i, i + REPORT_PIECE_BYTES))
  }
  return { results: figures.summary.done }
}
