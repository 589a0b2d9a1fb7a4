import { DomUtils, parseDocument } from 'htmlparser2'
import { beforeAll, describe, expect, it } from 'vitest'
import type { SpiderRecord } from '../../../shared/api.ts'
import type { RequestResult } from '../../../shared/result.ts'
import { SPIDER_LIST_ROWS } from '../../../electron/core/export/report-spider.ts'
import {
  all,
  byId,
  exportToFile,
  figureValue,
  one,
  store,
  text,
  useReportStore,
  type Document,
  type Element
} from '../../helpers/report-store.ts'
import {
  HOSTILE_NOTICE,
  HOSTILE_ORIGIN,
  HOSTILE_TRAP_URL,
  SPIDER_CONFIG,
  spiderRecord,
  spiderResults
} from '../../helpers/spider-record.ts'
import { syntheticResults } from '../../helpers/store-results.ts'
import { storeRun } from '../../helpers/stored-run.ts'

/**
 * The HTML report's Spider section, read back with an HTML parser: the frontier figures, pages per
 * depth and the queue over time, the scope in words, robots.txt, traps, sitemap problems and
 * decisions, hostile crawled text only as text; a spider run saved before the record was kept,
 * and a list run (no Spider section, but its decision log).
 */

useReportStore()

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
