import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  CHANGE_KINDS,
  MAX_COMPARED_HOSTS,
  type ChangeKind,
  type ChangeQueryInput,
  type UrlChange
} from '../../../shared/api.ts'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'
import type { RequestResult } from '../../../shared/result.ts'
import { openRunStore, type RunStore } from '../../../electron/core/store/index.ts'
import { changeQuery, failed, ok, outcomeResult, storeResults } from '../../helpers/compared-runs.ts'
import { syntheticResults } from '../../helpers/store-results.ts'

/**
 * Two stored runs side by side, as the comparison's charts and host table show them: each run's
 * latency histogram and figures, hosts by requests (the busiest MAX_COMPARED_HOSTS), a run
 * compared with itself or with no URLs in common, a run still being written, and thousands of
 * varied results against CHANGE_KINDS's definitions written out plainly.
 */

let dir: string
let store: RunStore
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crawlboard-store-compare-'))
  store = openRunStore(join(dir, 'runs.db'))
})
afterEach(() => {
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

const result = outcomeResult
const storeRun = (runId: string, results: readonly RequestResult[], createdAt?: number): void => {
  storeResults(store, runId, results, createdAt)
}
const query = changeQuery

function allChanges(input: Partial<ChangeQueryInput> = {}): UrlChange[] {
  return [...store.queryChanges(query(input)).rows]
}

describe('both runs side by side', () => {
  it('gives each run its latency histogram and figures over ok and failed results', () => {
    const base = [ok(100), ok(200), failed(300, 503), failed(400, null)].map((o, i) =>
      result(i, `https://a.test/${i}`, o)
    )
    const other = [ok(1_000), ok(2_000)].map((o, i) => result(i, `https://a.test/${i}`, o))
    storeRun('base', base)
    storeRun('other', other, 2_000)
    const c = store.compareRuns('base', 'other')
    expect(c.histograms.base.count).toBe(4)
    expect(c.histograms.base.min).toBe(100)
    expect(c.histograms.base.max).toBe(400)
    expect(c.histograms.base.sum).toBe(1_000)
    expect(c.histograms.other.count).toBe(2)
    expect(c.latency.base.count).toBe(4)
    expect(c.latency.other.max).toBe(2_000)
    expect(c.latency.base.p50).toBeGreaterThanOrEqual(198)
    expect(c.latency.base.p50).toBeLessThanOrEqual(202)
    expect(c.latency.other.p50).toBeGreaterThanOrEqual(990)
    expect(c.latency.other.p50).toBeLessThanOrEqual(1_010)
  })

  it('lists hosts of either run by requests, with each side’s count, p50 and p95', () => {
    const base: RequestResult[] = []
    const other: RequestResult[] = []
    // busy.test: 100 requests in each run, 10…1000 ms in base and twice that in other.
    for (let i = 0; i < 100; i++) {
      base.push(result(i, `https://busy.test/${i}`, ok((i + 1) * 10)))
      other.push(result(i, `https://busy.test/${i}`, ok((i + 1) * 20)))
    }
    for (let i = 0; i < 30; i++) base.push(result(100 + i, `https://gone.test/${i}`, failed(50, 503)))
    for (let i = 0; i < 40; i++) other.push(result(100 + i, `https://new.test/${i}`, ok(70)))
    storeRun('base', base)
    storeRun('other', other, 2_000)
    const { hosts } = store.compareRuns('base', 'other')
    expect(hosts.map((h) => h.host)).toEqual(['busy.test', 'new.test', 'gone.test'])
    const [busy, fresh, gone] = hosts
    expect(busy?.base?.count).toBe(100)
    expect(busy?.other?.count).toBe(100)
    // Within the histogram's 1% of the exact p50 (rank 49.5: 500 ms) and p95 (rank 94: 950 ms).
    expect(busy?.base?.p50).toBeGreaterThanOrEqual(495)
    expect(busy?.base?.p50).toBeLessThanOrEqual(510)
    expect(busy?.base?.p95).toBeGreaterThanOrEqual(940)
    expect(busy?.base?.p95).toBeLessThanOrEqual(960)
    expect(busy?.other?.p95).toBeGreaterThanOrEqual(1_880)
    expect(busy?.other?.p95).toBeLessThanOrEqual(1_920)
    expect(fresh?.base).toBeNull()
    expect(fresh?.other?.count).toBe(40)
    expect(gone?.other).toBeNull()
    expect(gone?.base).toMatchObject({ count: 30 })
    expect(gone?.base?.p50).toBeCloseTo(50, -0.5)
  })

  it(`keeps the ${MAX_COMPARED_HOSTS} busiest hosts`, () => {
    const base: RequestResult[] = []
    for (let i = 0; i < MAX_COMPARED_HOSTS + 20; i++) base.push(result(i, `https://h${i}.test/`, ok(10)))
    for (let i = 0; i < 5; i++)
      base.push(result(10_000 + i, `https://h${MAX_COMPARED_HOSTS + 19}.test/${i}`, ok(10)))
    storeRun('base', base)
    storeRun('other', [], 2_000)
    const { hosts } = store.compareRuns('base', 'other')
    expect(hosts.length).toBe(MAX_COMPARED_HOSTS)
    expect(hosts[0]?.host).toBe(`h${MAX_COMPARED_HOSTS + 19}.test`)
    expect(hosts[0]?.base?.count).toBe(6)
    expect(hosts.every((h) => h.base?.p50 !== null)).toBe(true)
  })

  it('finds no changes between a run and itself', () => {
    storeRun('base', syntheticResults(500))
    const c = store.compareRuns('base', 'base')
    expect(c.matched).toBe(500)
    expect(Object.values(c.changeCounts)).toEqual(CHANGE_KINDS.map(() => 0))
    expect(c.histograms.other).toEqual(c.histograms.base)
    expect(c.hosts.every((h) => h.base?.count === h.other?.count)).toBe(true)
    expect(store.queryChanges(query({ otherRunId: 'base' }))).toEqual({ total: 0, offset: 0, rows: [] })
  })

  it('says "no URLs in common" with zero matched, and handles empty runs', () => {
    storeRun('base', [result(0, 'https://a.test/', ok(10))])
    storeRun('other', [], 2_000)
    storeRun('empty', [], 3_000)
    expect(store.compareRuns('base', 'other').matched).toBe(0)
    const empty = store.compareRuns('empty', 'other')
    expect(empty.matched).toBe(0)
    expect(empty.histograms.base.count).toBe(0)
    expect(empty.latency.base.p50).toBeNull()
    expect(empty.hosts).toEqual([])
  })

  it('follows new results of a run being written', () => {
    storeRun('base', [result(0, 'https://a.test/0', ok(10)), result(1, 'https://a.test/1', ok(10))])
    store.createRun({ id: 'other', name: 'other', config: DEFAULT_CONFIG, urls: [], createdAt: 2_000 })
    const writer = store.resultWriter('other')
    writer.add(result(0, 'https://a.test/0', ok(10)))
    writer.flush()
    expect(store.compareRuns('base', 'other').changeCounts['only-in-base']).toBe(1)
    writer.add(result(1, 'https://a.test/1', failed(10, 500)))
    writer.close()
    const after = store.compareRuns('base', 'other')
    expect(after.changeCounts['only-in-base']).toBe(0)
    expect(after.changeCounts['newly-failing']).toBe(1)
    expect(allChanges().map((r) => r.url)).toEqual(['https://a.test/1'])
  })

  it.each([
    ['in another order (URLs pair by URL)', (i: number) => (i * 7) % 3_000],
    [
      'mostly in the same order (most pair by id, the swapped ones by URL)',
      (i: number) => (i % 20 === 5 ? i + 1 : i % 20 === 6 ? i - 1 : i)
    ]
  ])('agrees with a reference written from the definitions, the other run %s', (_label, baseIndexOf) => {
    const base = syntheticResults(3_000, 7)
    // The other run: another seed's outcomes and times, for the base's URLs; every 10th URL is its own.
    const other = syntheticResults(3_000, 8).map((r, i) => {
      const url = i % 10 === 3 ? `https://own.test/${i}` : (base[baseIndexOf(i)] as RequestResult).url
      return { ...r, id: i, url, finalUrl: url, host: new URL(url).host }
    })
    storeRun('base', base)
    storeRun('other', other, 2_000)
    const expected = referenceChanges(base, other)
    const c = store.compareRuns('base', 'other')
    for (const kind of CHANGE_KINDS) {
      expect(c.changeCounts[kind], kind).toBe(expected.filter((e) => e.kind === kind).length)
    }
    expect(c.changeCounts['much-slower']).toBeGreaterThan(0)
    expect(c.changeCounts['status-changed']).toBeGreaterThan(0)
    const listed = [...store.iterateChanges('base', 'other')].map((r) => `${r.kind} ${r.url}`)
    expect(new Set(listed)).toEqual(new Set(expected.map((e) => `${e.kind} ${e.url}`)))
  })
})

/** CHANGE_KINDS's definitions, written out plainly over whole results. */
function referenceChanges(base: readonly RequestResult[], other: readonly RequestResult[]): { url: string; kind: ChangeKind }[] {
  const byUrl = new Map(other.map((r) => [r.url, r]))
  const out: { url: string; kind: ChangeKind }[] = []
  for (const b of base) {
    const o = byUrl.get(b.url)
    byUrl.delete(b.url)
    if (!o) out.push({ url: b.url, kind: 'only-in-base' })
    else if (b.ok && !o.ok) out.push({ url: b.url, kind: 'newly-failing' })
    else if (!b.ok && o.ok) out.push({ url: b.url, kind: 'fixed' })
    else if (b.status !== null && o.status !== null && b.status !== o.status) out.push({ url: b.url, kind: 'status-changed' })
    else if (b.ok && o.ok && o.timings.total >= 2 * b.timings.total && o.timings.total >= b.timings.total + 250)
      out.push({ url: b.url, kind: 'much-slower' })
  }
  for (const o of byUrl.values()) out.push({ url: o.url, kind: 'only-in-other' })
  return out
} // prettier-ignore
