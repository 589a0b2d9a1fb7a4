import type { FrontierSample, SpiderRecord } from '../../../shared/api.ts'
import type { RunConfig } from '../../../shared/config.ts'
import type { StoredRun } from '../store/index.ts'
import { markup, type SafeHtml } from './html-escape.ts'
import { figure as chartFigure } from './report-charts.ts'
import { EMPTY, formatCount, formatDuration, formatMs, formatShare } from '../../../shared/format.ts'
import { formatTick } from './report-format.ts'
import { niceTicks, timeUnit } from './report-scale.ts'
import { figure } from './report-summary.ts'
import { barRows, lineChart, type BarRow } from './report-svg.ts'
import { urlCell } from './report-tables.ts'

/**
 * The report's Spider section: what the spider found and refused (frontier counts, traps, sitemap
 * problems), how deep it went (pages per depth), what robots.txt said per origin, the scope it kept
 * to in plain words, and the decision log. A run saved before the record was kept (spider null)
 * still gets what its stored rows can tell, and is told the rest was not recorded.
 */

/** Rows in the traps, sitemap-problems and decision-log lists: the latest, newest first. */
export const SPIDER_LIST_ROWS = 50
/** Depth rows drawn; deeper results are summed into the last row ("24+"). */
const MAX_DEPTH_ROWS = 25

export interface DepthCount {
  readonly value: number
  readonly count: number
}

export interface SpiderReportInput {
  readonly run: StoredRun
  /** Finished results per depth from the stored rows (the store's depth facet), shallowest first. */
  readonly depths: readonly DepthCount[]
  /** Finished results in all. */
  readonly done: number
}

/** A spider run, or any run whose record logged decisions or sitemap problems. */
export function hasSpiderSection(run: StoredRun): boolean {
  if (run.config.mode === 'spider') return true
  const r = run.spider
  return r !== null && (r.decisions.length > 0 || r.notices.length > 0)
}

/** The latest `n` of a list kept oldest first, newest first. */
function latest<T>(items: readonly T[], n = SPIDER_LIST_ROWS): T[] {
  return items.slice(Math.max(0, items.length - n)).reverse()
}

/** When something happened, as time since the run started, with the exact instant machine-readable. */
function when(at: number, startedAt: number): SafeHtml {
  return markup`<time datetime="${new Date(at).toISOString()}">${formatDuration(Math.max(0, at - startedAt))}</time>`
}

const plural = (n: number, one: string, many: string): string => `${formatCount(n)} ${n === 1 ? one : many}`

/**
 * The scope settings as sentences. Read through Partial: a run stored by an older build may lack
 * some of them, and a missing one is left out rather than guessed.
 */
export function scopeSentences(config: Partial<RunConfig>): string[] {
  const out: string[] = []
  if (config.scope === 'host') out.push("Links were followed on the seeds' own hosts only.")
  if (config.scope === 'site') {
    out.push("Links were followed within the seeds' sites (same registrable domain, subdomains included).")
  }
  if (config.scope === 'any') out.push('Links were followed to any host.')
  if (config.maxDepth !== undefined) {
    out.push(
      config.maxDepth === 0
        ? 'Only the seeds were fetched (depth limit 0: no link was followed).'
        : `Pages up to ${plural(config.maxDepth, 'link', 'links')} from a seed were fetched (seeds and sitemap URLs are depth 0).`
    )
  }
  if (config.maxPages !== undefined) {
    const perHost =
      config.perHostBudget === null || config.perHostBudget === undefined
        ? ''
        : `, and at most ${plural(config.perHostBudget, 'page', 'pages')} per host`
    out.push(`At most ${plural(config.maxPages, 'page', 'pages')} in all${perHost}.`)
  }
  if (config.includePatterns !== undefined && config.includePatterns.length > 0) {
    out.push(`Only URLs matching one of these were followed: ${config.includePatterns.join('  ·  ')}`)
  }
  if (config.excludePatterns !== undefined && config.excludePatterns.length > 0) {
    out.push(`URLs matching any of these were never followed: ${config.excludePatterns.join('  ·  ')}`)
  }
  if (config.stripQueryParams !== undefined && config.stripQueryParams.length > 0) {
    out.push(`Query parameters removed before URLs were compared: ${config.stripQueryParams.join(', ')}.`)
  }
  if (config.followNofollow !== undefined) {
    out.push(
      config.followNofollow
        ? 'Links marked nofollow were followed too.'
        : 'Links marked nofollow (rel="nofollow" or a meta robots nofollow) were not followed.'
    )
  }
  if (config.respectRobots !== undefined) {
    out.push(
      config.respectRobots
        ? 'robots.txt was honoured: a disallowed URL was not fetched (it shows as ROBOTS_DISALLOWED), and Crawl-delay paced its host.'
        : 'robots.txt was ignored.'
    )
  }
  const sitemaps = config.sitemapUrls ?? []
  if (sitemaps.length > 0 || config.robotsSitemaps === true) {
    const listed =
      sitemaps.length > 0 ? `${plural(sitemaps.length, 'sitemap', 'sitemaps')} (${sitemaps.join(', ')})` : ''
    const robots = config.robotsSitemaps === true ? 'the Sitemap: lines of each robots.txt read' : ''
    out.push(`Seeds were added from ${[listed, robots].filter((s) => s !== '').join(' and ')}.`)
  }
  if (
    config.maxUrlLength !== undefined &&
    config.maxVariantsPerPath !== undefined &&
    config.maxVariantChain !== undefined
  ) {
    out.push(
      `Refused as traps: URLs longer than ${formatCount(config.maxUrlLength)} characters, query variants of one path beyond ${formatCount(config.maxVariantsPerPath)}, and chains of more than ${formatCount(config.maxVariantChain)} pages each found on a query variant of itself.`
    )
  }
  return out
}

/** Bars of the depth chart, shallowest first; the deepest beyond MAX_DEPTH_ROWS summed in one. */
export function depthRows(depths: readonly DepthCount[], done: number): BarRow[] {
  const sorted = [...depths].filter((d) => d.count > 0).sort((a, b) => a.value - b.value)
  const shown = sorted.length > MAX_DEPTH_ROWS ? sorted.slice(0, MAX_DEPTH_ROWS - 1) : sorted
  const rest = sorted.slice(shown.length)
  const row = (label: string, value: number): BarRow => ({
    label,
    value,
    cls: 'c-hist',
    note: `${formatCount(value)} (${formatShare(value, done)})`
  })
  const rows = shown.map((d) => row(`depth ${d.value}`, d.count))
  const first = rest[0]
  if (first !== undefined) {
    rows.push(
      row(
        `depth ${first.value}+`,
        rest.reduce((n, d) => n + d.count, 0)
      )
    )
  }
  return rows
}

export function depthFigure(depths: readonly DepthCount[], done: number): SafeHtml {
  const title = 'Pages per depth'
  const rows = depthRows(depths, done)
  if (rows.length === 0) return chartFigure(title, [], 'No page finished in this run.', 'depth')
  return chartFigure(
    title,
    [],
    barRows('Pages per depth: finished results by link depth from a seed (seeds are depth 0)', rows),
    'depth'
  )
}

/** Queue size over the run, from the record's frontier samples. */
export function queueFigure(samples: readonly FrontierSample[], startedAt: number): SafeHtml {
  const title = 'Queue over time'
  if (samples.length < 2)
    return chartFigure(title, [], 'Too few queue samples were recorded to draw.', 'queue')
  const first = samples[0]?.at ?? startedAt
  const origin = Math.min(startedAt, first)
  const spanS = Math.max(1, ((samples[samples.length - 1]?.at ?? origin) - origin) / 1000)
  const unit = timeUnit(spanS)
  const max = Math.max(1, ...samples.map((s) => s.queued))
  return chartFigure(
    title,
    [{ cls: 'c-p50', name: 'queued' }],
    lineChart({
      label: 'Queue over time: URLs waiting to be fetched',
      x: {
        label: `time since start (${unit.unit})`,
        ticks: niceTicks(0, spanS / unit.seconds, 6),
        format: formatTick
      },
      y: { label: 'URLs queued', ticks: niceTicks(0, max, 5, { integer: true }), format: formatTick },
      series: [
        {
          cls: 'c-p50',
          points: samples.map((s) => [(s.at - origin) / 1000 / unit.seconds, s.queued] as const),
          area: true
        }
      ]
    }),
    'queue'
  )
}

function frontierFigures(record: SpiderRecord, ended: boolean, done: number): SafeHtml {
  const f = record.frontier
  const count = (name: string, label: string, n: number) => figure(name, label, formatCount(n), n)
  return markup`<dl class="figures">
    ${count('spider-discovered', 'URLs discovered', f.discovered)}
    ${count('spider-fetched', 'Pages fetched', done)}
    ${count('spider-duplicates', 'Duplicate links', f.deduped)}
    ${count('spider-out-of-scope', 'Out of scope', f.outOfScope)}
    ${count('spider-nofollow', 'Nofollow', f.nofollow)}
    ${count('spider-over-limits', 'Over limits', f.overLimit)}
    ${count('spider-traps', 'Traps', Math.max(record.trapCount, f.trapped))}
    ${count('spider-max-depth', 'Deepest depth', f.maxDepthSeen)}
    ${!ended && f.queued > 0 && count('spider-queued', 'Still queued', f.queued)}
  </dl>`
}

/** What an old run's rows can still tell: pages fetched and the deepest depth fetched. */
function rowFigures(depths: readonly DepthCount[], done: number): SafeHtml {
  const deepest = depths.reduce((m, d) => (d.count > 0 ? Math.max(m, d.value) : m), -1)
  return markup`<dl class="figures">
    ${figure('spider-fetched', 'Pages fetched', formatCount(done), done)}
    ${deepest >= 0 ? figure('spider-max-depth', 'Deepest depth fetched', formatCount(deepest), deepest) : figure('spider-max-depth', 'Deepest depth fetched', EMPTY, null)}
  </dl>`
}

function robotsPart(record: SpiderRecord, config: Partial<RunConfig>): SafeHtml {
  const title = markup`<h3 id="spider-robots-title">robots.txt per origin</h3>`
  if (record.robots.length === 0) {
    const why =
      config.respectRobots === false ? 'robots.txt was ignored in this run.' : 'No robots.txt was read.'
    return markup`${title}<p class="muted">${why}</p>`
  }
  const rows = [...record.robots]
    .sort((a, b) => (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0))
    .map(
      (r) => markup`<tr data-origin="${r.origin}">
        <td><span class="url">${r.origin}</span></td>
        <td>${r.label}</td>
        <td class="num">${formatMs(r.crawlDelayMs)}</td>
      </tr>`
    )
  return markup`${title}
    <table class="robots" aria-labelledby="spider-robots-title">
      <thead><tr><th>Origin</th><th>Status</th><th class="num">Crawl-delay</th></tr></thead>
      <tbody>${rows}</tbody>
    </table>`
}

function shownOf(shown: number, total: number, what: string): string {
  return shown < total
    ? `The latest ${formatCount(shown)} of ${plural(total, what, `${what}s`)}, newest first.`
    : `${plural(total, what, `${what}s`)}, newest first.`
}

function trapsPart(record: SpiderRecord, startedAt: number): SafeHtml | null {
  if (record.traps.length === 0) return null
  const total = Math.max(record.trapCount, record.traps.length)
  const rows = latest(record.traps).map(
    (t) => markup`<tr data-trap="${t.code}">
      <td class="num">${when(t.at, startedAt)}</td>
      <td><span class="code">${t.code}</span></td>
      <td>${t.message}</td>
      <td>${urlCell(t.url)}</td>
    </tr>`
  )
  return markup`<h3 id="spider-traps-title">Traps</h3>
    <p class="muted">${shownOf(rows.length, total, 'trap')} Trapped URLs were reported, not fetched.</p>
    <table class="traps" aria-labelledby="spider-traps-title">
      <thead><tr><th class="num">Since start</th><th>Code</th><th>Why</th><th>URL</th></tr></thead>
      <tbody>${rows}</tbody>
    </table>`
}

function noticesPart(record: SpiderRecord, startedAt: number): SafeHtml | null {
  if (record.notices.length === 0) return null
  const items = latest(record.notices).map(
    (n) =>
      markup`<li data-notice="${n.source}">${when(n.at, startedAt)} <span class="pre">${n.message}</span></li>`
  )
  return markup`<h3 id="spider-notices-title">Sitemap problems</h3>
    <p class="muted">${shownOf(items.length, record.notices.length, 'problem')} The run went on with what could be read.</p>
    <ul class="changes notices" aria-labelledby="spider-notices-title">${items}</ul>`
}

function decisionsPart(record: SpiderRecord, startedAt: number): SafeHtml | null {
  if (record.decisions.length === 0) return null
  const rows = latest(record.decisions).map(
    (d) => markup`<tr data-decision="${d.kind}">
      <td class="num">${when(d.at, startedAt)}</td>
      <td><span class="url">${d.host}</span></td>
      <td class="num">${d.from} → ${d.to}</td>
      <td>${d.reason}</td>
    </tr>`
  )
  return markup`<h3 id="spider-decisions-title">Decision log</h3>
    <p class="muted">${shownOf(rows.length, record.decisions.length, 'decision')} Per-host limits changed by adaptive concurrency or by hand.</p>
    <table class="decisions" aria-labelledby="spider-decisions-title">
      <thead><tr><th class="num">Since start</th><th>Host</th><th class="num">Limit</th><th>Why</th></tr></thead>
      <tbody>${rows}</tbody>
    </table>`
}

/** The section, or null when the run has nothing for it (a list run without decisions or notices). */
export function spiderSection({ run, depths, done }: SpiderReportInput): SafeHtml | null {
  if (!hasSpiderSection(run)) return null
  const config: Partial<RunConfig> = run.config
  const spider = config.mode === 'spider'
  const record = run.spider
  const startedAt = run.startedAt ?? run.createdAt
  const ended = run.state === 'completed' || run.state === 'cancelled'
  const title = spider ? 'Spider' : 'Decisions and notices'
  const scope = spider ? scopeSentences(config) : []
  const charts =
    spider &&
    markup`<div class="charts">
      ${depthFigure(depths, done)} ${record !== null && queueFigure(record.frontierSeries, startedAt)}
    </div>`
  const scopePart =
    scope.length > 0 &&
    markup`<h3>Scope</h3>
      <ul class="changes scope">${scope.map((s) => markup`<li>${s}</li>`)}</ul>`
  if (record === null) {
    return markup`<section id="spider" aria-labelledby="spider-title">
      <h2 id="spider-title">${title}</h2>
      ${rowFigures(depths, done)}
      <p class="notice" id="spider-not-recorded">
        This run was saved before Crawlboard kept a spider record: its frontier counts (URLs discovered,
        duplicates, out of scope, nofollow, over limits), traps, sitemap problems, robots.txt statuses,
        queue over time and decision log were not recorded. Pages per depth are counted from its stored
        results.
      </p>
      ${charts} ${scopePart}
    </section>`
  }
  return markup`<section id="spider" class="long" aria-labelledby="spider-title">
    <h2 id="spider-title">${title}</h2>
    ${spider && frontierFigures(record, ended, done)} ${charts} ${scopePart}
    ${spider && robotsPart(record, config)} ${spider && trapsPart(record, startedAt)}
    ${noticesPart(record, startedAt)} ${decisionsPart(record, startedAt)}
  </section>`
}
