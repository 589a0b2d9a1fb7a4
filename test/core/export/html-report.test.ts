import { DomUtils, parseDocument } from 'htmlparser2'
import { beforeAll, describe, expect, it } from 'vitest'
import type { RequestResult } from '../../../shared/result.ts'
import type { RunSummary } from '../../../shared/summary.ts'
import { REPORT_CSP, SLOWEST_URLS } from '../../../electron/core/export/index.ts'
import {
  all,
  byId,
  exportToFile,
  figureValue,
  HOSTILE_MESSAGE,
  HOSTILE_TITLE,
  HOSTILE_URL,
  one,
  results,
  RUN_NAME,
  RUN_NOTE,
  SCRIPT_URL,
  store,
  text,
  useReportStore,
  type Document
} from '../../helpers/report-store.ts'

/**
 * The HTML report of a run in a real SQLite store, read back with an HTML parser the way a browser
 * would see it: nothing in it can run or load anything, hostile crawled text shows only as text,
 * and its figures are the store's. A spider run's section is in html-report-spider.test.ts;
 * writing an export into a slow or closing destination, in export-streaming.test.ts.
 */

useReportStore()

describe('the HTML report of a run with hostile crawled text', () => {
  let html: string
  let doc: Document
  let exported: number

  beforeAll(async () => {
    const out = await exportToFile('hostile', 'html')
    html = out.text
    exported = out.results
    doc = parseDocument(html)
  })

  it('is one document that says how many results it covers', () => {
    expect(exported).toBe(3_000)
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true)
    expect(all(doc, (e) => e.name === 'html')).toHaveLength(1)
    expect(html.length).toBeLessThan(400_000)
  })

  it('has no script: no script element, no event handler attribute, no javascript: URL', () => {
    expect(all(doc, (e) => e.name === 'script' || e.name === 'noscript')).toEqual([])
    const attributes = all(doc, () => true).flatMap((e) => Object.entries(e.attribs))
    expect(attributes.length).toBeGreaterThan(500)
    expect(attributes.filter(([name]) => name.startsWith('on'))).toEqual([])
    expect(attributes.filter(([, value]) => /javascript:|vbscript:|data:text/i.test(value))).toEqual([])
    expect(html).not.toMatch(/<script/i)
  })

  it('loads nothing: no external resource, only http(s) links that send no referrer', () => {
    const loaders = [
      'link',
      'img',
      'iframe',
      'frame',
      'object',
      'embed',
      'source',
      'video',
      'audio',
      'track',
      'image',
      'use',
      'base',
      'input',
      'form'
    ]
    expect(all(doc, (e) => loaders.includes(e.name))).toEqual([])
    const fetching = [
      'src',
      'srcset',
      'data',
      'poster',
      'action',
      'formaction',
      'background',
      'xlink:href',
      'ping'
    ]
    expect(all(doc, (e) => fetching.some((a) => a in e.attribs))).toEqual([])
    const withHref = all(doc, (e) => 'href' in e.attribs)
    expect(withHref.length).toBeGreaterThan(0)
    for (const a of withHref) {
      expect(a.name).toBe('a')
      expect(a.attribs['href']).toMatch(/^https?:\/\//)
      expect(a.attribs['rel']?.split(' ').sort()).toEqual(['noopener', 'noreferrer'])
    }
    const css = all(doc, (e) => e.name === 'style')
      .map(text)
      .join('\n')
    expect(css).not.toMatch(/url\(|@import/i)
    expect(all(doc, (e) => e.name === 'style')).toHaveLength(1)
  })

  it('declares a CSP that forbids scripts and loads', () => {
    const csp = one(doc, (e) => e.name === 'meta' && e.attribs['http-equiv'] === 'Content-Security-Policy')
    expect(csp.attribs['content']).toBe(REPORT_CSP)
    expect(REPORT_CSP).toContain("default-src 'none'")
    expect(REPORT_CSP).toContain("style-src 'unsafe-inline'")
    expect(REPORT_CSP).toContain('img-src data:')
    expect(REPORT_CSP).not.toMatch(/script-src/)
  })

  it('shows hostile titles, URLs, messages, name and note only as text', () => {
    expect(html).not.toContain(HOSTILE_TITLE)
    expect(html).not.toContain('<img')
    expect(text(one(doc, byId('run-name')))).toBe(RUN_NAME)
    expect(text(one(doc, (e) => e.name === 'title'))).toBe(`${RUN_NAME} · Crawlboard report`)
    expect(text(one(doc, byId('run-note')))).toBe(RUN_NOTE)
    const slowest = text(one(doc, byId('slowest')))
    expect(slowest).toContain(HOSTILE_TITLE)
    expect(slowest).toContain(HOSTILE_URL)
    expect(slowest).toContain(SCRIPT_URL)
    expect(slowest).toContain(HOSTILE_MESSAGE)
    // The javascript: URL is listed, never linked.
    expect(all(doc, (e) => e.name === 'a' && text(e) === SCRIPT_URL)).toEqual([])
    expect(all(doc, (e) => e.name === 'span' && text(e) === SCRIPT_URL).length).toBeGreaterThan(0)
    // The hostile URL is a link, its quote and brackets escaped into the href's normal form.
    const link = one(doc, (e) => e.name === 'a' && text(e) === HOSTILE_URL)
    expect(link.attribs['href']).toBe(new URL(HOSTILE_URL).href)
  })

  it('reports the summary figures the store holds', () => {
    const run = store.getRun('hostile')!
    const summary = run.summary!
    const rows = store.summaryFromRows('hostile')
    expect(figureValue(doc, 'total')).toBe(run.total)
    expect(figureValue(doc, 'done')).toBe(rows.done)
    expect(figureValue(doc, 'ok')).toBe(rows.ok)
    expect(figureValue(doc, 'failed')).toBe(rows.failed)
    expect(figureValue(doc, 'retries')).toBe(rows.retries)
    expect(figureValue(doc, 'bytes')).toBe(rows.bytes)
    expect(figureValue(doc, 'throughput')).toBe(summary.throughputPerSecond)
    expect(figureValue(doc, 'duration')).toBe(summary.elapsedMs)
    for (const q of ['min', 'p50', 'p90', 'p95', 'p99', 'max'] as const) {
      expect(figureValue(doc, `latency-${q}`)).toBe(summary.latency[q])
    }
    expect(figureValue(doc, 'latency-max')).toBe(5_000)
    expect(figureValue(doc, 'created')).toBe(run.createdAt)
    expect(figureValue(doc, 'finished')).toBe(run.finishedAt)
    expect(text(one(doc, (e) => e.attribs['data-figure'] === 'state')).trim()).toBe('completed')
  })

  it('draws the four charts as inline SVG', () => {
    const charts = all(doc, (e) => e.name === 'figure' && 'data-chart' in e.attribs)
    expect(charts.map((c) => c.attribs['data-chart'])).toEqual([
      'latency-time',
      'latency-distribution',
      'throughput',
      'status'
    ])
    for (const chart of charts) {
      const svg = DomUtils.findOne((e) => e.name === 'svg', [chart])
      expect(svg, chart.attribs['data-chart']).not.toBeNull()
      expect(svg!.attribs['role']).toBe('img')
    }
    const lines = (id: string) =>
      all(
        doc,
        (e) =>
          e.name === 'path' &&
          (e.attribs['class'] ?? '').startsWith('line') &&
          DomUtils.findOne((f) => f === e, [charts.find((c) => c.attribs['data-chart'] === id)!]) !== null
      )
    expect(lines('latency-time')).toHaveLength(2)
    expect(lines('throughput')).toHaveLength(2)
    const statusBars = DomUtils.findAll((e) => e.name === 'rect', [charts[3]!])
    expect(statusBars).toHaveLength(Object.keys(store.getRun('hostile')!.summary!.byStatus).length)
    const histogramBars = DomUtils.findAll((e) => e.name === 'rect', [charts[1]!])
    expect(histogramBars.length).toBeGreaterThan(10)
    const labels = all(doc, (e) => (e.attribs['class'] ?? '') === 'axis-label').map(text)
    expect(labels).toEqual(
      expect.arrayContaining([
        'latency (ms)',
        'time since start (s)',
        'requests',
        'latency (ms, log scale)',
        'requests per second'
      ])
    )
  })

  it('groups failures by error code, most frequent first, as the store counts them', () => {
    const tallies = store.failureCounts('hostile')
    const rows = all(doc, (e) => e.name === 'tr' && 'data-code' in e.attribs)
    expect(rows.map((r) => r.attribs['data-code'])).toEqual(tallies.map((t) => t.code))
    expect(new Set(rows.map((r) => r.attribs['data-code'])).size).toBe(rows.length)
    expect(rows.map((r) => r.attribs['data-code'])).toEqual(
      expect.arrayContaining(['RESET', 'INVALID_URL', 'HTTP_STATUS', 'TIMEOUT_HEADERS'])
    )
    for (const [k, row] of rows.entries()) {
      const count = Number(DomUtils.findOne((e) => 'data-value' in e.attribs, [row])!.attribs['data-value'])
      expect(count).toBe(tallies[k]!.count)
      for (const url of tallies[k]!.sampleUrls) expect(text(row)).toContain(url)
    }
    const counts = rows.map((r) =>
      Number(DomUtils.findOne((e) => 'data-value' in e.attribs, [r])!.attribs['data-value'])
    )
    expect(counts.every((n, i) => i === 0 || n <= counts[i - 1]!)).toBe(true)
  })

  it('lists the 50 slowest URLs, slowest first', () => {
    const rows = DomUtils.findAll(
      (e) => e.name === 'tr' && 'data-id' in e.attribs,
      [one(doc, byId('slowest'))]
    )
    expect(rows).toHaveLength(SLOWEST_URLS)
    const totals = rows.map((r) =>
      Number(DomUtils.findOne((e) => 'data-total-ms' in e.attribs, [r])!.attribs['data-total-ms'])
    )
    expect(totals.every((t, i) => i === 0 || t <= totals[i - 1]!)).toBe(true)
    const expected = results
      .map((r) => r.timings.total)
      .sort((a, b) => b - a)
      .slice(0, SLOWEST_URLS)
    expect(totals).toEqual(expected)
    expect(totals.slice(0, 3)).toEqual([5_000, 4_000, 3_000])
  })
})

describe('a run with no results yet', () => {
  it('reports its settings and says there is nothing to chart', async () => {
    store.createRun({
      id: 'empty',
      name: 'Not started',
      config: store.getRun('hostile')!.config,
      urls: ['https://a.test/', 'https://b.test/'],
      createdAt: Date.parse('2026-01-01T00:00:00Z'),
      state: 'idle',
      flags: { robotsIgnored: true },
      owner: { pid: 4242, host: 'build-02', token: 'claim-4242', startedAt: null }
    })
    const { text: html, results: count } = await exportToFile('empty', 'html')
    const doc = parseDocument(html)
    expect(count).toBe(0)
    expect(html).not.toMatch(/NaN|Infinity|undefined/)
    expect(figureValue(doc, 'total')).toBe(2)
    expect(figureValue(doc, 'done')).toBe(0)
    expect(one(doc, (e) => e.attribs['data-figure'] === 'latency-p50').attribs['data-value']).toBe('')
    const empty = all(doc, (e) => (e.attribs['class'] ?? '') === 'empty').map(text)
    expect(empty).toEqual(expect.arrayContaining(['No requests finished in this run.']))
    expect(text(one(doc, byId('failures')))).toContain('No request failed.')
    expect(text(one(doc, byId('slowest')))).toContain('No request finished.')
    // Facts about the run are listed; which process drove it is bookkeeping.
    expect(text(one(doc, byId('settings')))).toContain('robotsIgnored: true')
    expect(html).not.toMatch(/4242|build-02|claim-4242/)
    const settings = all(doc, (e) => e.name === 'tr' && 'data-setting' in e.attribs)
    expect(settings.map((e) => e.attribs['data-setting']).sort()).toEqual(
      Object.keys(store.getRun('empty')!.config).sort()
    )
  })
})

describe('a run saved without its figures (killed before the first save)', () => {
  it('still reports, with figures recomputed from its rows and a notice saying so', async () => {
    expect(store.getRun('killed')!.summary).toBeNull()
    const { text: html, results: count } = await exportToFile('killed', 'html')
    const doc = parseDocument(html)
    const rows = store.summaryFromRows('killed')
    expect(count).toBe(800)
    expect(figureValue(doc, 'total')).toBe(900)
    expect(figureValue(doc, 'done')).toBe(rows.done)
    expect(figureValue(doc, 'ok')).toBe(rows.ok)
    expect(figureValue(doc, 'failed')).toBe(rows.failed)
    expect(figureValue(doc, 'retries')).toBe(rows.retries)
    expect(figureValue(doc, 'latency-p95')).toBeGreaterThan(0)
    expect(text(one(doc, (e) => e.attribs['data-figure'] === 'state')).trim()).toBe('unfinished')
    expect(text(one(doc, (e) => (e.attribs['class'] ?? '') === 'notice'))).toContain(
      'recomputed from its 800 stored results'
    )
    expect(all(doc, (e) => e.name === 'svg')).toHaveLength(4)
  })

  it('exports JSON whose summary counts the rows', async () => {
    const { text: json, results: count } = await exportToFile('killed', 'json')
    const parsed = JSON.parse(json) as { results: RequestResult[]; summary: RunSummary }
    const rows = store.summaryFromRows('killed')
    expect(count).toBe(800)
    expect(parsed.results.map((r) => r.id)).toEqual(Array.from({ length: 800 }, (_, i) => i))
    expect(parsed.summary).toMatchObject({
      done: rows.done,
      ok: rows.ok,
      failed: rows.failed,
      byStatus: rows.byStatus,
      total: 900
    })
  })

  it('exports spreadsheet-safe CSV with a BOM and NDJSON in id order', async () => {
    const { text: csv } = await exportToFile('killed', 'csv')
    expect(csv.startsWith('\uFEFFid,url,final_url,')).toBe(true)
    const lines = csv.trimEnd().split('\r\n')
    expect(lines).toHaveLength(801)
    expect(lines[4]).toContain(`"'=HYPERLINK(""http://x"")"`)
    const { text: ndjson } = await exportToFile('killed', 'ndjson')
    const ids = ndjson
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as RequestResult).id)
    expect(ids).toEqual(Array.from({ length: 800 }, (_, i) => i))
  })
})
