import type { RunSummary } from '../../../shared/summary.ts'
import type { StoredRun } from '../store/index.ts'
import { markup, type HtmlValue, type SafeHtml } from './html-escape.ts'
import {
  EMPTY,
  formatBytes,
  formatCount,
  formatDuration,
  formatMs,
  formatRate,
  formatShare,
  formatSpeedup
} from '../../../shared/format.ts'
import { formatDateTime } from './report-format.ts'

/**
 * The report's head and summary: the run's name and note, when it ran, and its figures. Each figure
 * carries its raw number in data-value, so the report can be read by a program as well as a person.
 */

/** What a reader needs to know about the state a run was saved in. */
export function stateText(run: Pick<StoredRun, 'state' | 'paused'>): string {
  switch (run.state) {
    case 'completed':
      return 'completed'
    case 'cancelled':
      return 'stopped before the end'
    case 'idle':
    case 'running':
    case 'paused':
      // A saved run that neither completed nor stopped was interrupted, or was still going when
      // exported: the store cannot tell which.
      return run.paused || run.state === 'paused' ? 'unfinished (paused)' : 'unfinished'
  }
}

/** One figure of a <dl class="figures">, its raw number in data-value. */
export function figure(
  name: string,
  label: string,
  shown: HtmlValue,
  value: number | null,
  detail?: HtmlValue
): SafeHtml {
  const raw = value === null || !Number.isFinite(value) ? '' : String(value)
  return markup`<div>
    <dt>${label}</dt>
    <dd data-figure="${name}" data-value="${raw}">
      ${shown}${detail !== undefined && markup` <small>${detail}</small>`}
    </dd>
  </div>`
}

export interface ReportHead {
  readonly run: StoredRun
  readonly summary: RunSummary
  readonly version: string
  readonly now: number
}

export function reportHeader({ run, version, now }: ReportHead): SafeHtml {
  const made = `Crawlboard${version === '' ? '' : ` ${version}`}`
  return markup`<header>
    <p class="kicker">Crawlboard run report</p>
    <h1 id="run-name">${run.name}</h1>
    <p class="muted">
      Run <code>${run.runId}</code> · report made
      <time datetime="${new Date(now).toISOString()}">${formatDateTime(now)}</time> by ${made}
    </p>
    ${run.note.trim() !== '' && markup`<p class="note" id="run-note">${run.note}</p>`}
  </header>`
}

function timeFigure(name: string, label: string, at: number | null): SafeHtml {
  const shown =
    at === null ? EMPTY : markup`<time datetime="${new Date(at).toISOString()}">${formatDateTime(at)}</time>`
  return markup`<div>
    <dt>${label}</dt>
    <dd data-figure="${name}" data-value="${at ?? ''}"><small>${shown}</small></dd>
  </div>`
}

export function summarySection(head: ReportHead, recomputed: boolean): SafeHtml {
  const { run, summary: s } = head
  const l = s.latency
  return markup`<section id="summary" aria-labelledby="summary-title">
    <h2 id="summary-title">Summary</h2>
    <dl class="figures">
      ${figure('state', 'State', stateText(run), null)} ${timeFigure('created', 'Created', run.createdAt)}
      ${timeFigure('started', 'Started', run.startedAt)} ${timeFigure('finished', 'Finished', run.finishedAt)}
      ${run.startedAt === null ? figure('duration', 'Duration', EMPTY, null) : figure('duration', 'Duration', formatDuration(s.elapsedMs), s.elapsedMs)}
    </dl>
    <h3>Requests</h3>
    <dl class="figures">
      ${figure('total', 'URLs', formatCount(s.total), s.total)}
      ${figure('done', 'Finished', formatCount(s.done), s.done, s.total > 0 ? formatShare(s.done, s.total) : undefined)}
      ${figure('ok', 'OK', markup`<span class="ok">${formatCount(s.ok)}</span>`, s.ok, formatShare(s.ok, s.done))}
      ${figure('failed', 'Failed', markup`<span class="failed">${formatCount(s.failed)}</span>`, s.failed, formatShare(s.failed, s.done))}
      ${figure('retries', 'Retries', formatCount(s.retries), s.retries)}
      ${figure('bytes', 'Downloaded', formatBytes(s.bytes), s.bytes, `${formatCount(s.bytes)} bytes`)}
      ${figure('throughput', 'Throughput', formatRate(s.throughputPerSecond), s.throughputPerSecond)}
      ${figure('speedup', 'Speedup vs one at a time', formatSpeedup(s.speedup), s.speedup)}
    </dl>
    <h3>Latency <span class="muted">(total time of each request's final attempt)</span></h3>
    <dl class="figures">
      ${figure('latency-min', 'min', formatMs(l.min), l.min)}
      ${figure('latency-p50', 'p50', formatMs(l.p50), l.p50)}
      ${figure('latency-p90', 'p90', formatMs(l.p90), l.p90)}
      ${figure('latency-p95', 'p95', formatMs(l.p95), l.p95)}
      ${figure('latency-p99', 'p99', formatMs(l.p99), l.p99)}
      ${figure('latency-max', 'max', formatMs(l.max), l.max)}
      ${figure('latency-mean', 'mean', formatMs(l.mean), l.mean)}
    </dl>
    ${
      recomputed &&
      s.done > 0 &&
      markup`<p class="notice">
        This run was saved without up-to-date figures (it was interrupted, or still running when exported):
        they were recomputed from its ${formatCount(s.done)} stored results. Time paused is counted as running
        time.
      </p>`
    }
  </section>`
}
