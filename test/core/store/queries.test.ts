import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  RESULT_SORT_COLUMNS,
  resultQuerySchema,
  type ResultQuery,
  type ResultQueryInput,
  type ResultSortColumn
} from '../../../shared/api.ts'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'
import type { ErrorCode } from '../../../shared/errors.ts'
import type { RequestResult } from '../../../shared/result.ts'
import { likePattern, openRunStore, type RunStore } from '../../../electron/core/store/index.ts'
import { result } from '../../helpers/fixtures.ts'

/**
 * The table queries against a reference written from the documented semantics: filters AND across
 * kinds and OR within one; status 0 is "no response"; search is a case-insensitive substring of
 * URL, final URL, title or error message; ties break by id ascending in both directions.
 */

const HOSTS = ['alpha.test', 'beta.test', 'gamma.test', 'delta.test']

/** Lots of ties on purpose: few statuses, hosts and attempt counts; repeated totals and sizes. */
function makeResults(n: number): RequestResult[] {
  let s = 42
  const r = (): number => ((s = (s * 16_807) % 2_147_483_647) - 1) / 2_147_483_646
  return Array.from({ length: n }, (_, id): RequestResult => {
    const host = HOSTS[Math.floor(r() * r() * HOSTS.length)] ?? 'alpha.test'
    const kind = r()
    const status = kind < 0.1 ? null : kind < 0.2 ? 404 : kind < 0.25 ? 503 : kind < 0.35 ? 301 : 200
    const code: ErrorCode | null =
      status === null ? (r() < 0.5 ? 'DNS' : 'TIMEOUT_HEADERS') : status >= 400 ? 'HTTP_STATUS' : null
    const total = id % 5 === 0 ? 100 : Math.round(r() * 5_000) / 10
    const url = `https://${host}/${id % 2 === 0 ? 'Page' : 'item'}/${id}`
    return result({
      id,
      url,
      finalUrl: status === 301 ? `${url}/` : url,
      host,
      status,
      code,
      totalMs: total,
      timings: { ttfb: Math.round(total / 2), download: 0 },
      attempts: 1 + (id % 3),
      bytes: code ? 0 : (id % 7) * 1_000,
      title: status === 200 ? `Title ${id % 10}` : null,
      startedAt: id,
      finishedAt: 10_000 + (id % 13),
      // A few depths in no particular id order, each shared by hundreds of rows (ties).
      depth: ((id * 37) % 11) % 5
    })
  })
}

const extra: RequestResult[] = [
  { url: 'https://search.test/100%_off', title: 'Sale: 100%_off' },
  { url: 'https://search.test/100x_off', title: 'x' },
  { url: 'https://search.test/100%yoff', title: 'y' },
  { url: 'https://search.test/a\\b', title: 'backslash' }
].map((e, k) => ({
  ...(makeResults(1)[0] as RequestResult),
  id: 10_000 + k,
  host: 'search.test',
  finalUrl: e.url,
  ...e
}))

const ALL = [...makeResults(1_500), ...extra]

const SORT_KEY: Readonly<Record<ResultSortColumn, (r: RequestResult) => number | string>> = {
  id: (r) => r.id,
  url: (r) => r.url,
  host: (r) => r.host,
  status: (r) => r.status ?? 0,
  errorCode: (r) => r.error?.code ?? '',
  attempts: (r) => r.attempts.length,
  totalMs: (r) => r.timings.total,
  ttfbMs: (r) => r.timings.ttfb,
  bytes: (r) => r.bytes,
  finishedAt: (r) => r.finishedAt,
  depth: (r) => r.depth
}

function reference(q: ResultQuery): number[] {
  const needle = q.search.trim().toLowerCase()
  const key = SORT_KEY[q.sort.column]
  const sign = q.sort.direction === 'asc' ? 1 : -1
  return ALL.filter(
    (r) =>
      (q.outcome === 'all' || r.ok === (q.outcome === 'ok')) &&
      (q.statuses.length === 0 || q.statuses.includes(r.status ?? 0)) &&
      (q.errorCodes.length === 0 || (r.error !== null && q.errorCodes.includes(r.error.code))) &&
      (q.hosts.length === 0 || q.hosts.includes(r.host)) &&
      (q.depths.length === 0 || q.depths.includes(r.depth)) &&
      (needle === '' ||
        [r.url, r.finalUrl, r.title ?? '', r.error?.message ?? ''].some((t) =>
          t.toLowerCase().includes(needle)
        ))
  )
    .sort((a, b) => {
      const ka = key(a)
      const kb = key(b)
      return ka < kb ? -sign : ka > kb ? sign : a.id - b.id
    })
    .map((r) => r.id)
}

let dir: string
let store: RunStore
const q = (input: Omit<ResultQueryInput, 'runId'>): ResultQuery =>
  resultQuerySchema.parse({ runId: 'r', ...input })

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crawlboard-store-queries-'))
  store = openRunStore(join(dir, 'runs.db'))
  store.createRun({ id: 'r', name: 'r', config: DEFAULT_CONFIG, urls: [], createdAt: 1 })
  const writer = store.resultWriter('r', { maxBatch: 97 })
  // Finishing order is not id order.
  for (const result of [...ALL].sort((a, b) => ((a.id * 7_919) % 1_511) - ((b.id * 7_919) % 1_511)))
    writer.add(result)
  writer.close()
})
afterAll(() => {
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

function expectPages(input: Omit<ResultQueryInput, 'runId' | 'offset' | 'limit'>): void {
  const expected = reference(q({ ...input, offset: 0, limit: 1 }))
  for (const offset of [0, 37, Math.max(0, expected.length - 25)]) {
    const page = store.queryResults(q({ ...input, offset, limit: 40 }))
    expect(page.total, JSON.stringify(input)).toBe(expected.length)
    expect(page.offset).toBe(offset)
    expect(
      page.rows.map((row) => row.id),
      `${JSON.stringify(input)} @${offset}`
    ).toEqual(expected.slice(offset, offset + 40))
  }
}

describe('queryResults', () => {
  for (const caching of [true, false]) {
    describe(caching ? 'with the page cache' : 'computed from scratch', () => {
      beforeAll(() => {
        store.queryCaching = caching
      })
      afterAll(() => {
        store.queryCaching = true
      })

      for (const column of RESULT_SORT_COLUMNS) {
        for (const direction of ['asc', 'desc'] as const) {
          it(`sorts by ${column} ${direction}, ties by id ascending, for all, ok and failed`, () => {
            for (const outcome of ['all', 'ok', 'failed'] as const)
              expectPages({ sort: { column, direction }, outcome })
          })
        }
      }

      it('filters by outcome, status (0 = no response), error code, host and their combinations', () => {
        expectPages({ outcome: 'failed' })
        expectPages({ statuses: [404] })
        expectPages({ statuses: [0] })
        expectPages({ statuses: [404, 503, 0], sort: { column: 'totalMs', direction: 'desc' } })
        expectPages({ errorCodes: ['DNS'] })
        expectPages({ errorCodes: ['DNS', 'HTTP_STATUS'], sort: { column: 'host', direction: 'desc' } })
        expectPages({ hosts: ['beta.test'] })
        expectPages({
          hosts: ['beta.test', 'delta.test'],
          outcome: 'ok',
          sort: { column: 'status', direction: 'desc' }
        })
        expectPages({
          outcome: 'failed',
          hosts: ['alpha.test'],
          errorCodes: ['HTTP_STATUS'],
          statuses: [503]
        })
        expectPages({ outcome: 'failed', sort: { column: 'errorCode', direction: 'desc' } })
      })

      it('filters by exact depths, alone and with the other filters, in every sort', () => {
        expectPages({ depths: [2] })
        expectPages({ depths: [0] })
        expectPages({ depths: [4, 1] })
        // A depth no result has matches nothing.
        expectPages({ depths: [9] })
        expectPages({ depths: [3], sort: { column: 'depth', direction: 'desc' } })
        expectPages({ depths: [1, 3], outcome: 'failed', sort: { column: 'totalMs', direction: 'desc' } })
        expectPages({ depths: [0, 2], statuses: [404, 0], hosts: ['alpha.test', 'gamma.test'] })
        expectPages({ depths: [1], errorCodes: ['HTTP_STATUS'], sort: { column: 'host', direction: 'asc' } })
        expectPages({ depths: [2, 4], search: 'page', sort: { column: 'depth', direction: 'asc' } })
        expectPages({ hosts: ['beta.test'], outcome: 'ok', sort: { column: 'depth', direction: 'desc' } })
        expect(store.queryResults(q({ depths: [9], offset: 0, limit: 5 })).total).toBe(0)
      })

      it('searches URL, final URL, title and error message, case-insensitively', () => {
        expectPages({ search: 'page/1' })
        expectPages({ search: 'TITLE 3' })
        expectPages({ search: 'timeout_headers on' })
        expectPages({ search: '/1/', sort: { column: 'url', direction: 'desc' } })
        expectPages({ search: '  beta.test/item  ', outcome: 'ok' })
      })

      it('matches % and _ literally', () => {
        const ids = (search: string): number[] =>
          store.queryResults(q({ search, offset: 0, limit: 100 })).rows.map((r) => r.id)
        expect(ids('100%_off')).toEqual([10_000])
        expect(ids('100%')).toEqual([10_000, 10_002])
        expect(ids('_off')).toEqual([10_000, 10_001])
        // As wildcards these would match 100%_off, 100x_off and 100%yoff.
        expect(ids('100_')).toEqual([])
        expect(ids('100%off')).toEqual([])
        expect(ids('a\\b')).toEqual([10_003])
        expect(ids('%')).toEqual([10_000, 10_002])
        expectPages({ search: '_' })
      })
    })
  }

  it('pages past the end as an empty page with the total', () => {
    const page = store.queryResults(q({ offset: 5_000, limit: 10, outcome: 'failed' }))
    expect(page.rows).toEqual([])
    expect(page.total).toBe(reference(q({ offset: 0, limit: 1, outcome: 'failed' })).length)
  })

  it('returns table rows with the documented shape', () => {
    const [row] = store.queryResults(q({ offset: 0, limit: 1, statuses: [0] })).rows
    const source = ALL.find((r) => r.id === row?.id)
    expect(row).toEqual({
      id: source?.id,
      url: source?.url,
      host: source?.host,
      status: null,
      ok: false,
      errorCode: source?.error?.code,
      errorMessage: source?.error?.message,
      attempts: source?.attempts.length,
      totalMs: source?.timings.total,
      ttfbMs: source?.timings.ttfb,
      bytes: 0,
      title: null,
      finishedAt: source?.finishedAt,
      depth: source?.depth
    })
  })

  it('pages a run whose ids are exactly 0…n−1 by id range, and one with gaps by walking', () => {
    store.createRun({ id: 'dense', name: 'dense', config: DEFAULT_CONFIG, urls: [], createdAt: 2 })
    const writer = store.resultWriter('dense')
    for (const result of ALL.slice(0, 300)) if (result.id !== 150) writer.add(result)
    writer.flush()
    const ids = (direction: 'asc' | 'desc', offset: number): number[] =>
      store
        .queryResults(
          resultQuerySchema.parse({ runId: 'dense', offset, limit: 5, sort: { column: 'id', direction } })
        )
        .rows.map((r) => r.id)
    const gaps = [ids('asc', 148), ids('desc', 148)]
    expect(gaps).toEqual([
      [148, 149, 151, 152, 153],
      [151, 149, 148, 147, 146]
    ])
    writer.add(ALL[150] as RequestResult)
    writer.close()
    expect(ids('asc', 148)).toEqual([148, 149, 150, 151, 152])
    expect(ids('desc', 148)).toEqual([151, 150, 149, 148, 147])
    expect(ids('desc', 298)).toEqual([1, 0])
    expect(store.queryResults(resultQuerySchema.parse({ runId: 'dense', offset: 0, limit: 1 })).total).toBe(
      300
    )
    store.deleteRun('dense')
  })

  it('answers an unknown run with an empty page', () => {
    expect(store.queryResults(resultQuerySchema.parse({ runId: 'nope', offset: 0, limit: 5 }))).toEqual({
      total: 0,
      offset: 0,
      rows: []
    })
  })
})

describe('aggregates', () => {
  const count = <K>(key: (r: RequestResult) => K | null, rows = ALL): Map<K, number> => {
    const m = new Map<K, number>()
    for (const r of rows) {
      const k = key(r)
      if (k !== null) m.set(k, (m.get(k) ?? 0) + 1)
    }
    return m
  }
  const sorted = <K extends string | number>(m: Map<K, number>): { value: K; count: number }[] =>
    [...m]
      .map(([value, n]) => ({ value, count: n }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))

  it('lists facets most frequent first', () => {
    expect(store.getResultFacets('r')).toEqual({
      statuses: sorted(count((r) => r.status ?? 0)),
      errorCodes: sorted(count((r) => r.error?.code ?? null)),
      hosts: sorted(count((r) => r.host)),
      // Depths are listed shallowest first, not by count.
      depths: sorted(count((r) => r.depth)).sort((a, b) => a.value - b.value)
    })
    expect(store.getResultFacets('nope')).toEqual({ statuses: [], errorCodes: [], hosts: [], depths: [] })
  })

  it('groups failures by code with counts, the first sample URLs, hosts and statuses', () => {
    const failed = ALL.filter((r) => !r.ok)
    const tallies = store.failureCounts('r')
    expect(tallies.map((t) => [t.code, t.count])).toEqual(
      sorted(count((r) => r.error?.code ?? null, failed)).map((f) => [f.value, f.count])
    )
    for (const t of tallies) {
      const mine = failed.filter((r) => r.error?.code === t.code).sort((a, b) => a.id - b.id)
      expect(t.sampleUrls).toEqual(mine.slice(0, 3).map((r) => r.url))
      expect(t.hosts).toEqual(count((r) => r.host, mine))
      expect(t.statuses).toEqual(count((r) => r.status ?? 0, mine))
    }
  })

  it('sees rows written after a cached query', () => {
    const before = store.queryResults(q({ offset: 0, limit: 5, sort: { column: 'id', direction: 'desc' } }))
    const facets = store.getResultFacets('r')
    const writer = store.resultWriter('r')
    writer.add({ ...(ALL[0] as RequestResult), id: 20_000, host: 'new.test' })
    writer.close()
    const after = store.queryResults(q({ offset: 0, limit: 5, sort: { column: 'id', direction: 'desc' } }))
    expect(after.total).toBe(before.total + 1)
    expect(after.rows[0]?.id).toBe(20_000)
    expect(store.getResultFacets('r').hosts.length).toBe(facets.hosts.length + 1)
    expect(store.countResults('r')).toBe(ALL.length + 1)
  })
})

describe('likePattern', () => {
  it.each([
    ['abc', '%abc%'],
    ['100%', '%100\\%%'],
    ['a_b', '%a\\_b%'],
    ['a\\b', '%a\\\\b%']
  ])('%s → %s', (needle, pattern) => {
    expect(likePattern(needle)).toBe(pattern)
  })
})
