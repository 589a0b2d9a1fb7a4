import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  ApiError,
  CHANGE_KINDS,
  type ChangeKind,
  type ChangeQueryInput,
  type UrlChange
} from '../../../shared/api.ts'
import type { RequestResult } from '../../../shared/result.ts'
import { openRunStore, type RunStore } from '../../../electron/core/store/index.ts'
import {
  changeQuery,
  failed,
  ok,
  outcomeResult,
  storeResults,
  type Outcome
} from '../../helpers/compared-runs.ts'

/**
 * Comparing two stored runs URL by URL, against the definitions on CHANGE_KINDS: every kind and
 * the much-slower edges, URLs in one run only, filters, search and paging, unknown ids; each
 * through both ways the store pairs URLs (same id in both runs, and URLs under other ids). Both
 * runs' figures side by side are in compare-side-by-side.test.ts.
 */

let dir: string
let path: string
let store: RunStore
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crawlboard-store-compare-'))
  path = join(dir, 'runs.db')
  store = openRunStore(path)
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

interface Case {
  readonly name: string
  readonly base: Outcome | null
  readonly other: Outcome | null
  readonly kind: ChangeKind | null
}

/** Every kind, the precedence between them, and both edges of MUCH_SLOWER_* (2× and +250 ms). */
const CASES: readonly Case[] = [
  { name: 'ok, then an HTTP error', base: ok(100), other: failed(90, 503), kind: 'newly-failing' },
  { name: 'ok, then no response', base: ok(100), other: failed(15_000, null), kind: 'newly-failing' },
  { name: 'ok 200, then a failing 500 (failing wins)', base: ok(100), other: failed(100, 500), kind: 'newly-failing' },
  { name: 'timed out, then ok', base: failed(15_000, null), other: ok(100), kind: 'fixed' },
  { name: '503, then 200', base: failed(50, 503), other: ok(50), kind: 'fixed' },
  { name: '200, then 304', base: ok(100), other: ok(100, 304), kind: 'status-changed' },
  { name: '503, then 500 (both failed)', base: failed(50, 503), other: failed(50, 500), kind: 'status-changed' },
  { name: '200, then 304 and much slower (status wins)', base: ok(100), other: ok(1_000, 304), kind: 'status-changed' },
  { name: 'no response, then 503 (one has no status)', base: failed(50, null), other: failed(50, 503), kind: null },
  { name: '503, then no response', base: failed(50, 503), other: failed(50, null), kind: null },
  { name: 'DNS, then timeout (both no response)', base: failed(5, null, 'DNS'), other: failed(15_000, null), kind: null },
  { name: '100 → 350 ms: exactly 2× and +250', base: ok(100), other: ok(350), kind: 'much-slower' },
  { name: '100 → 349.9 ms: 2× but not +250', base: ok(100), other: ok(349.9), kind: null },
  { name: '300 → 600 ms: exactly 2×, over +250', base: ok(300), other: ok(600), kind: 'much-slower' },
  { name: '300 → 599.9 ms: +250 but not 2×', base: ok(300), other: ok(599.9), kind: null },
  { name: '10 → 260 ms: exactly +250, over 2×', base: ok(10), other: ok(260), kind: 'much-slower' },
  { name: '10 → 259.9 ms: 2× but not +250', base: ok(10), other: ok(259.9), kind: null },
  { name: '500 → 100 ms: faster', base: ok(500), other: ok(100), kind: null },
  { name: 'failed both times, much slower (only ok counts)', base: failed(100, 503), other: failed(5_000, 503), kind: null },
  { name: 'unchanged', base: ok(120), other: ok(130), kind: null },
  { name: 'ok, then no time recorded', base: ok(100), other: ok(Number.NaN), kind: null },
  { name: 'only in the base run', base: ok(100), other: null, kind: 'only-in-base' },
  { name: 'failed, only in the base run', base: failed(10, 404), other: null, kind: 'only-in-base' },
  { name: 'only in the other run', base: null, other: ok(100), kind: 'only-in-other' }
] // prettier-ignore

const caseUrl = (i: number): string => `https://case${i % 3}.test/c/${String(i).padStart(2, '0')}`

/**
 * Both runs of the table. `sameIds`: each URL has the same id in both runs (a re-run of one list);
 * otherwise the other run lists them in reverse under other ids, so they pair by URL.
 */
function storeCases(sameIds: boolean): void {
  const base: RequestResult[] = []
  const other: RequestResult[] = []
  CASES.forEach((c, i) => {
    if (c.base) base.push(result(i, caseUrl(i), c.base))
    if (c.other) other.push(result(sameIds ? i : 1_000 - i, caseUrl(i), c.other))
  })
  storeRun('base', base)
  storeRun('other', sameIds ? other : [...other].reverse(), 2_000)
}

describe.each([
  ['the same ids', true],
  ['other ids', false]
])('every kind of change, URLs under %s', (_label, sameIds) => {
  it.each(CASES.map((c, i) => [c.name, i, c] as const))('%s', (_name, i, c) => {
    storeCases(sameIds)
    const found = allChanges().find((change) => change.url === caseUrl(i))
    if (c.kind === null) {
      expect(found).toBeUndefined()
      return
    }
    expect(found?.kind).toBe(c.kind)
    expect(found?.base?.ok ?? null).toBe(c.base?.ok ?? null)
    expect(found?.other?.ok ?? null).toBe(c.other?.ok ?? null)
    expect(found?.base?.status ?? null).toBe(c.base?.status ?? null)
    expect(found?.other?.status ?? null).toBe(c.other?.status ?? null)
    expect(found?.other?.totalMs ?? null).toBe(c.other?.ms ?? null)
    if (c.other && found?.other) expect(found.other.id).toBe(sameIds ? i : 1_000 - i)
  })

  it('counts each kind and the URLs in both runs', () => {
    storeCases(sameIds)
    const comparison = store.compareRuns('base', 'other')
    for (const kind of CHANGE_KINDS) {
      expect(comparison.changeCounts[kind], kind).toBe(CASES.filter((c) => c.kind === kind).length)
    }
    expect(comparison.matched).toBe(CASES.filter((c) => c.base && c.other).length)
  })
})

describe('listing changes', () => {
  it('lists by kind in CHANGE_KINDS order, then by URL, with error codes and ids of both sides', () => {
    storeCases(false)
    const rows = allChanges()
    const order = rows.map((r) => [CHANGE_KINDS.indexOf(r.kind), r.url] as const)
    const sorted = [...order].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1))
    expect(order).toEqual(sorted)
    const timeout = rows.find((r) => r.url === caseUrl(1))
    expect(timeout?.other?.errorCode).toBe('TIMEOUT_HEADERS')
    expect(timeout?.other?.status).toBeNull()
    expect(timeout?.base?.errorCode).toBeNull()
    expect(rows.find((r) => r.kind === 'only-in-other')?.base).toBeNull()
    expect(rows.find((r) => r.kind === 'only-in-base')?.other).toBeNull()
  })

  it('filters by kinds (any order, repeats ignored) and by a case-insensitive URL substring', () => {
    storeCases(true)
    const picked = allChanges({ changes: ['fixed', 'newly-failing', 'fixed'] })
    expect(picked.map((r) => r.kind)).toEqual([
      'newly-failing',
      'newly-failing',
      'newly-failing',
      'fixed',
      'fixed'
    ])
    const inCase1 = allChanges({ search: 'CASE1.test' })
    expect(inCase1.length).toBeGreaterThan(0)
    expect(inCase1.every((r) => r.url.includes('case1.test'))).toBe(true)
    expect(inCase1.length).toBe(
      CASES.filter((c, i) => c.kind !== null && caseUrl(i).includes('case1.test')).length
    )
    const both = allChanges({ search: 'case1', changes: ['much-slower'] })
    expect(both.every((r) => r.kind === 'much-slower' && r.url.includes('case1'))).toBe(true)
    expect(store.queryChanges(query({ search: 'case1', changes: ['much-slower'] })).total).toBe(both.length)
    expect(allChanges({ search: 'no such url' })).toEqual([])
  })

  it('treats % and _ in a search as plain characters', () => {
    storeRun('base', [
      result(0, 'https://s.test/100%_off', ok(10)),
      result(1, 'https://s.test/100x_off', ok(10))
    ])
    storeRun('other', [], 2_000)
    expect(allChanges({ search: '100%_' }).map((r) => r.url)).toEqual(['https://s.test/100%_off'])
    expect(allChanges({ search: '_off' }).length).toBe(2)
  })

  it('pages: totals, offsets across kind boundaries, the last partial page and past the end', () => {
    // 250 newly failing, 150 fixed, 100 only in the other run.
    const base: RequestResult[] = []
    const other: RequestResult[] = []
    for (let i = 0; i < 400; i++) {
      const url = `https://p.test/${String(i).padStart(4, '0')}`
      base.push(result(i, url, i < 250 ? ok(10) : failed(10, 503)))
      other.push(result(i, url, i < 250 ? failed(10, 503) : ok(10)))
    }
    for (let i = 400; i < 500; i++) other.push(result(i, `https://p.test/${i}`, ok(10)))
    storeRun('base', base)
    storeRun('other', other, 2_000)
    const whole = allChanges()
    expect(whole.length).toBe(500)
    const pages: UrlChange[] = []
    for (let offset = 0; offset < 600; offset += 70) {
      const page = store.queryChanges(query({ offset, limit: 70 }))
      expect(page.total).toBe(500)
      expect(page.offset).toBe(offset)
      expect(page.rows.length).toBe(Math.max(0, Math.min(70, 500 - offset)))
      pages.push(...page.rows)
    }
    expect(pages).toEqual(whole)
    const fixedAndOnly = store.queryChanges(
      query({ changes: ['only-in-other', 'fixed'], offset: 140, limit: 20 })
    )
    expect(fixedAndOnly.total).toBe(250)
    expect(fixedAndOnly.rows.map((r) => r.kind)).toEqual([
      ...Array<ChangeKind>(10).fill('fixed'),
      ...Array<ChangeKind>(10).fill('only-in-other')
    ])
    const searched = store.queryChanges(query({ search: 'p.test/01', offset: 50, limit: 60 }))
    expect(searched.total).toBe(100)
    expect(searched.rows.map((r) => r.url)).toEqual(
      whole
        .filter((r) => r.url.includes('p.test/01'))
        .slice(50, 110)
        .map((r) => r.url)
    )
  })

  it('streams the same changes for an export as the pages list, filtered the same way', () => {
    storeCases(false)
    expect([...store.iterateChanges('base', 'other')]).toEqual(allChanges())
    expect([...store.iterateChanges('base', 'other', ['much-slower', 'fixed'], 'CASE2')]).toEqual(
      allChanges({ changes: ['fixed', 'much-slower'], search: 'case2' })
    )
  })

  it('streams more changes than one read holds, in order', () => {
    const base: RequestResult[] = []
    for (let i = 0; i < 2_500; i++)
      base.push(result(i, `https://big.test/${String(i).padStart(5, '0')}`, ok(5)))
    storeRun('base', base)
    storeRun('other', [], 2_000)
    const urls = [...store.iterateChanges('base', 'other')].map((c) => c.url)
    expect(urls.length).toBe(2_500)
    expect(urls).toEqual(base.map((r) => r.url))
  })
})

describe('unknown runs', () => {
  it('refuses with NOT_FOUND and names the id', () => {
    storeRun('base', [result(0, 'https://a.test/', ok(10))])
    const refused = (call: () => unknown, id: string): void => {
      let error: unknown = null
      try {
        call()
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(ApiError)
      expect((error as ApiError).code).toBe('NOT_FOUND')
      expect((error as ApiError).message).toContain(id)
    }
    refused(() => store.compareRuns('base', 'missing-run-1'), 'missing-run-1')
    refused(() => store.compareRuns('missing-run-2', 'base'), 'missing-run-2')
    refused(() => store.queryChanges(query({ otherRunId: 'missing-run-3' })), 'missing-run-3')
    refused(() => [...store.iterateChanges('missing-run-4', 'base')], 'missing-run-4')
  })

  it('refuses a run deleted since it was compared', () => {
    storeRun('base', [result(0, 'https://a.test/', ok(10))])
    storeRun('other', [result(0, 'https://a.test/', ok(10))], 2_000)
    expect(store.compareRuns('base', 'other').matched).toBe(1)
    store.deleteRun('other')
    expect(() => store.compareRuns('base', 'other')).toThrow(/other/)
  })
})

describe('a store opened read-only', () => {
  it('compares too (the comparison lives in TEMP tables)', () => {
    storeRun('base', [result(0, 'https://a.test/', ok(10))])
    storeRun('other', [result(0, 'https://a.test/', failed(10, 500))], 2_000)
    store.close()
    store = openRunStore(path, { readonly: true })
    expect(store.compareRuns('base', 'other').changeCounts['newly-failing']).toBe(1)
    expect(allChanges().map((r) => r.kind)).toEqual(['newly-failing'])
  })
})
