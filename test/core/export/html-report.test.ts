import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { DomUtils, parseDocument } from 'htmlparser2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SpiderRecord } from '../../../shared/api.ts'
import type { RequestResult } from '../../../shared/result.ts'
import type { RunSummary } from '../../../shared/summary.ts'
import { REPORT_CSP, SLOWEST_URLS, writeRunExport } from '../../../electron/core/export/index.ts'
import { SPIDER_LIST_ROWS } from '../../../electron/core/export/report-spider.ts'
import { openRunStore, type RunStore } from '../../../electron/core/store/index.ts'
import { syntheticResults } from '../../helpers/store-results.ts'
import {
  HOSTILE_NOTICE,
  HOSTILE_ORIGIN,
  HOSTILE_TRAP_URL,
  SPIDER_CONFIG,
  spiderRecord,
  spiderResults
} from '../../helpers/spider-record.ts'
import { storeRun } from '../../helpers/stored-run.ts'

/**
 * The HTML report of a run in a real SQLite store, read back with an HTML parser the way a browser
 * would see it: nothing in it can run or load anything, hostile crawled text shows only as text,
 * and its figures are the store's.
 */

type Element = ReturnType<typeof DomUtils.findAll>[number]
type Document = ReturnType<typeof parseDocument>

const HOSTILE_TITLE = '<script>alert(1)</script>'
const HOSTILE_URL = 'https://h1.test/"><img src=x onerror=alert(2)>'
const HOSTILE_MESSAGE = '<img src=x onerror=alert(3)> reset'
const SCRIPT_URL = 'javascript:alert(4)'
const RUN_NAME = 'Nightly <script>alert("name")</script> check'
const RUN_NOTE = `"><img src=x onerror=alert('note')>\nsecond line & more`

/** 3,000 varied results, three of them hostile and slow enough to be among the 50 slowest. */
function hostileResults(): RequestResult[] {
  const results = syntheticResults(3_000, 7)
  const slow = (r: RequestResult, totalMs: number): RequestResult => ({
    ...r,
    timings: { ...r.timings, total: totalMs },
    finishedAt: r.startedAt + totalMs
  })
  const base = (i: number): RequestResult => results[i]!
  results[5] = { ...slow(base(5), 5_000), ok: true, status: 200, error: null, title: HOSTILE_TITLE }
  const reset = { code: 'RESET' as const, message: HOSTILE_MESSAGE, phase: 'body' as const, retryable: true }
  results[6] = {
    ...slow(base(6), 4_000),
    url: HOSTILE_URL,
    finalUrl: HOSTILE_URL,
    ok: false,
    status: null,
    error: reset,
    title: null
  }
  const invalid = {
    code: 'INVALID_URL' as const,
    message: 'unsupported scheme',
    phase: 'input' as const,
    retryable: false
  }
  results[7] = {
    ...slow(base(7), 3_000),
    url: SCRIPT_URL,
    finalUrl: SCRIPT_URL,
    ok: false,
    status: null,
    error: invalid
  }
  return results
}

let dir: string
let store: RunStore
let results: RequestResult[]

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crawlboard-export-html-'))
  store = openRunStore(join(dir, 'runs.db'))
  results = hostileResults()
  storeRun(store, { id: 'hostile', name: RUN_NAME, note: RUN_NOTE, results })
  // Killed before its first save: no summary, stats or series; 100 URLs never fetched.
  storeRun(store, {
    id: 'killed',
    results: syntheticResults(800, 3).map((r) =>
      r.id === 3 ? { ...r, title: '=HYPERLINK("http://x")' } : r
    ),
    extraUrls: Array.from({ length: 100 }, (_, i) => `https://later.test/${i}`),
    saveFigures: false
  })
})

afterAll(() => {
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

async function exportToFile(
  runId: string,
  format: 'html' | 'csv' | 'ndjson' | 'json'
): Promise<{ text: string; results: number }> {
  const path = join(dir, `${runId}.${format}`)
  const out = createWriteStream(path)
  const written = await writeRunExport(store, runId, format, out, {
    version: '9.9.9-test',
    now: Date.parse('2026-01-02T03:04:05Z')
  })
  out.end()
  await once(out, 'finish')
  return { text: readFileSync(path, 'utf8'), results: written.results }
}

const all = (doc: Document, test: (e: Element) => boolean): Element[] => DomUtils.findAll(test, doc.children)
const one = (doc: Document, test: (e: Element) => boolean): Element => {
  const found = DomUtils.findOne(test, doc.children)
  if (!found) throw new Error('element not found')
  return found
}
const byId = (id: string) => (e: Element) => e.attribs['id'] === id
const text = (e: Element): string => DomUtils.textContent(e)
const figureValue = (doc: Document, name: string): number =>
  Number(one(doc, (e) => e.attribs['data-figure'] === name).attribs['data-value'])

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

/** A destination that takes a chunk only after a delay, recording how much ever waited in its buffer. */
function slowSink(highWaterMark: number): { out: Writable; peak: () => number; bytes: () => number } {
  let peak = 0
  let bytes = 0
  const out = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length
      setImmediate(done)
    }
  })
  const write = out.write.bind(out) as (chunk: unknown) => boolean
  out.write = ((chunk: unknown) => {
    const ok = write(chunk)
    peak = Math.max(peak, out.writableLength)
    return ok
  }) as typeof out.write
  return { out, peak: () => peak, bytes: () => bytes }
}

describe('streaming', () => {
  it('waits for a slow destination instead of buffering the export (backpressure)', async () => {
    const sink = slowSink(16 * 1024)
    const { results: count } = await writeRunExport(store, 'hostile', 'ndjson', sink.out)
    sink.out.end()
    await once(sink.out, 'finish')
    expect(count).toBe(3_000)
    expect(sink.bytes()).toBeGreaterThan(2_000_000)
    // Never more than the buffer plus one 64 KB piece waiting, for a 2+ MB export.
    expect(sink.peak()).toBeLessThan(16 * 1024 + 96 * 1024)
  })

  it('lets the event loop run meanwhile, even into a destination that never pushes back', async () => {
    const out = new Writable({
      highWaterMark: 1 << 30,
      write(_chunk, _encoding, done) {
        done()
      }
    })
    let ticks = 0
    const timer = setInterval(() => (ticks += 1), 1)
    try {
      await writeRunExport(store, 'hostile', 'ndjson', out)
      // The killed run's figures are recomputed from its rows: that pass yields too.
      const ticksBefore = ticks
      await writeRunExport(store, 'killed', 'html', out)
      expect(ticksBefore).toBeGreaterThan(1)
      expect(ticks).toBeGreaterThan(ticksBefore)
    } finally {
      clearInterval(timer)
    }
  })

  it('rejects instead of hanging when the destination closes mid-export', async () => {
    let chunks = 0
    const out = new Writable({
      highWaterMark: 1024,
      write(_chunk, _encoding, done) {
        chunks += 1
        if (chunks === 3) out.destroy()
        setImmediate(done)
      }
    })
    out.on('error', () => {})
    await expect(writeRunExport(store, 'hostile', 'csv', out)).rejects.toThrow()
    expect(chunks).toBeLessThan(10)
  })

  it('names an unknown run', async () => {
    const out = new Writable({
      write: (_c, _e, done) => {
        done()
      }
    })
    await expect(writeRunExport(store, 'nope', 'html', out)).rejects.toThrow(/no run nope/)
    await expect(writeRunExport(store, 'nope', 'csv', out)).rejects.toThrow(/no run nope/)
  })
})

// ---- spider runs ----------------------------------------------------------------------------------

const spiderDepthCounts = (rs: readonly RequestResult[]): number[] =>
  [0, 1, 2, 3].map((d) => rs.filter((r) => r.depth === d).length)

describe('the HTML report of a spider run', () => {
  let html: string
  let doc: Document
  let record: SpiderRecord
  let rows: RequestResult[]

  beforeAll(async () => {
    rows = spiderResults()
    storeRun(store, { id: 'spider', name: 'Docs spider', config: SPIDER_CONFIG, results: rows })
    record = spiderRecord(store.getRun('spider')!.startedAt!)
    store.updateRun('spider', { spider: record })
    html = (await exportToFile('spider', 'html')).text
    doc = parseDocument(html)
  })

  const section = (): Element => one(doc, byId('spider'))

  it('has a Spider section after the charts, with the frontier figures the record holds', () => {
    const ids = all(doc, (e) => e.name === 'section').map((e) => e.attribs['id'])
    expect(ids).toEqual(['summary', 'charts', 'spider', 'failures', 'slowest', 'settings'])
    expect(text(one(doc, byId('spider-title')))).toBe('Spider')
    const f = record.frontier
    expect(figureValue(doc, 'spider-discovered')).toBe(f.discovered)
    expect(figureValue(doc, 'spider-duplicates')).toBe(f.deduped)
    expect(figureValue(doc, 'spider-out-of-scope')).toBe(f.outOfScope)
    expect(figureValue(doc, 'spider-nofollow')).toBe(f.nofollow)
    expect(figureValue(doc, 'spider-over-limits')).toBe(f.overLimit)
    expect(figureValue(doc, 'spider-traps')).toBe(1_234)
    expect(figureValue(doc, 'spider-max-depth')).toBe(4)
    expect(figureValue(doc, 'spider-fetched')).toBe(1_000)
    // Shown as a reader reads them.
    expect(text(one(doc, (e) => e.attribs['data-figure'] === 'spider-duplicates')).trim()).toBe('21,000')
    // A completed run has nothing queued.
    expect(all(doc, (e) => e.attribs['data-figure'] === 'spider-queued')).toEqual([])
  })

  it('draws pages per depth from the stored rows, and the queue over time', () => {
    const depth = one(doc, (e) => e.attribs['data-chart'] === 'depth')
    const bars = DomUtils.findAll((e) => e.name === 'rect', [depth])
    expect(bars).toHaveLength(4)
    const widths = bars.map((b) => Number(b.attribs['width']))
    // 100, 200, 300, 400 pages: widths in proportion, deepest longest.
    expect(widths[3]! / widths[0]!).toBeCloseTo(4, 1)
    const labels = DomUtils.findAll((e) => e.name === 'text', [depth]).map(text)
    const counts = spiderDepthCounts(rows)
    expect(counts).toEqual([100, 200, 300, 400])
    for (const [d, n] of counts.entries()) {
      expect(labels).toContain(`depth ${d}`)
      expect(labels).toContain(`${n} (${((n / 1_000) * 100).toFixed(1)}%)`)
    }
    const queue = one(doc, (e) => e.attribs['data-chart'] === 'queue')
    expect(
      DomUtils.findAll((e) => e.name === 'path' && e.attribs['class'] === 'line c-p50', [queue])
    ).toHaveLength(1)
    expect(DomUtils.findAll((e) => e.attribs['class'] === 'axis-label', [queue]).map(text)).toEqual([
      'URLs queued',
      'time since start (s)'
    ])
  })

  it('says the scope in plain words', () => {
    const scope = text(section())
    expect(scope).toContain("Links were followed within the seeds' sites")
    expect(scope).toContain('Pages up to 3 links from a seed were fetched')
    expect(scope).toContain('At most 2,000 pages in all, and at most 400 pages per host.')
    expect(scope).toContain('Only URLs matching one of these were followed: /docs/')
    expect(scope).toContain('URLs matching any of these were never followed: \\?print=1')
    expect(scope).toContain(
      'Links marked nofollow (rel="nofollow" or a meta robots nofollow) were not followed.'
    )
    expect(scope).toContain('robots.txt was honoured')
  })

  it('lists robots.txt per origin, traps with their total, sitemap problems and the latest 50 decisions', () => {
    const robots = all(doc, (e) => e.name === 'tr' && 'data-origin' in e.attribs)
    expect(robots.map((r) => r.attribs['data-origin'])).toEqual(['https://h0.test', HOSTILE_ORIGIN])
    expect(text(robots[0]!)).toMatch(/rules \(2 groups\)\s+2\.00 s/)
    expect(text(robots[1]!)).toContain('not found (404): all allowed')

    const traps = all(doc, (e) => e.name === 'tr' && 'data-trap' in e.attribs)
    expect(traps.map((t) => t.attribs['data-trap'])).toEqual([
      'REPEATING_PATH',
      'URL_TOO_LONG',
      'VARIANT_CHAIN'
    ])
    expect(text(section())).toContain('The latest 3 of 1,234 traps, newest first.')
    expect(text(traps[0]!)).toContain('<b>a/a/a</b> repeats')

    const notices = all(doc, (e) => e.name === 'li' && e.attribs['data-notice'] === 'sitemap')
    expect(notices.map(text).map((t) => t.trim())).toEqual([`0.5 s ${HOSTILE_NOTICE}`])

    const decisions = all(doc, (e) => e.name === 'tr' && 'data-decision' in e.attribs)
    expect(decisions).toHaveLength(SPIDER_LIST_ROWS)
    expect(text(decisions[0]!)).toContain('decision 59:')
    expect(text(decisions[49]!)).toContain('decision 10:')
    expect(text(decisions[0]!)).toContain('59 s')
    expect(text(section())).toContain('The latest 50 of 60 decisions, newest first.')
  })

  it('shows hostile trap URLs, notices and origins only as text, and stays script-free', () => {
    expect(html).not.toContain('<img')
    expect(html).not.toContain('</script>')
    expect(html).not.toContain('<b>')
    expect(all(doc, (e) => e.name === 'script' || e.name === 'img' || e.name === 'b')).toEqual([])
    const attributes = all(doc, () => true).flatMap((e) => Object.entries(e.attribs))
    expect(attributes.filter(([name]) => name.startsWith('on'))).toEqual([])
    // The trap URL is shown whole and linked only in its parsed, escaped form.
    const link = one(doc, (e) => e.name === 'a' && text(e) === HOSTILE_TRAP_URL)
    expect(link.attribs['href']).toBe(new URL(HOSTILE_TRAP_URL).href)
    expect(link.attribs['href']).not.toMatch(/[<>"]/)
    expect(text(section())).toContain(HOSTILE_ORIGIN)
  })
})

describe('the HTML report of a spider run saved before the spider record was kept', () => {
  it('shows pages per depth from the rows and says the rest was not recorded', async () => {
    const rs = spiderResults().slice(0, 500)
    storeRun(store, { id: 'old-spider', config: SPIDER_CONFIG, results: rs })
    expect(store.getRun('old-spider')!.spider).toBeNull()
    const doc = parseDocument((await exportToFile('old-spider', 'html')).text)
    expect(text(one(doc, byId('spider-not-recorded')))).toMatch(
      /was saved before Crawlboard kept a spider record: .*traps, sitemap problems, robots\.txt statuses/s
    )
    expect(figureValue(doc, 'spider-fetched')).toBe(500)
    expect(figureValue(doc, 'spider-max-depth')).toBe(3)
    expect(all(doc, (e) => e.attribs['data-figure'] === 'spider-discovered')).toEqual([])
    const depth = one(doc, (e) => e.attribs['data-chart'] === 'depth')
    const labels = DomUtils.findAll((e) => e.name === 'text', [depth]).map(text)
    for (const [d, n] of spiderDepthCounts(rs).entries()) {
      expect(labels).toContain(`depth ${d}`)
      expect(labels).toContain(`${n} (${((n / 500) * 100).toFixed(1)}%)`)
    }
    expect(all(doc, (e) => e.attribs['data-chart'] === 'queue')).toEqual([])
    expect(text(one(doc, byId('spider')))).toContain('Pages up to 3 links from a seed were fetched')
  })
})

describe('a list run', () => {
  it('has no Spider section', async () => {
    const doc = parseDocument((await exportToFile('hostile', 'html')).text)
    expect(store.getRun('hostile')!.config.mode).toBe('list')
    expect(all(doc, (e) => e.attribs['id'] === 'spider')).toEqual([])
    expect(all(doc, (e) => e.attribs['data-chart'] === 'depth')).toEqual([])
    expect(all(doc, (e) => e.name === 'h2').map(text)).not.toContain('Spider')
    expect(text(one(doc, (e) => e.name === 'main'))).not.toMatch(/Decision log|Pages per depth|Traps/)
  })

  it('lists its decision log when adaptive concurrency changed limits, without spider figures', async () => {
    storeRun(store, { id: 'list-decisions', results: syntheticResults(200, 5) })
    const full = spiderRecord(store.getRun('list-decisions')!.startedAt!)
    store.updateRun('list-decisions', {
      spider: {
        ...full,
        traps: [],
        trapCount: 0,
        notices: [],
        robots: [],
        decisions: full.decisions.slice(0, 2)
      }
    })
    const doc = parseDocument((await exportToFile('list-decisions', 'html')).text)
    expect(text(one(doc, byId('spider-title')))).toBe('Decisions and notices')
    expect(all(doc, (e) => e.name === 'tr' && 'data-decision' in e.attribs)).toHaveLength(2)
    expect(all(doc, (e) => e.attribs['data-chart'] === 'depth')).toEqual([])
    expect(all(doc, (e) => (e.attribs['data-figure'] ?? '').startsWith('spider-'))).toEqual([])
  })
})
