import { describe, expect, it } from 'vitest'
import { resultQuerySchema, type ResultQuery, type ResultQueryInput } from '../../../shared/api.ts'
import type { ErrorCode } from '../../../shared/errors.ts'
import type { RequestResult } from '../../../shared/result.ts'
import type { StoredResultStore } from '../../../electron/core/run/stored-result-store.ts'
import { FIXTURE_T0, result as fixtureResult, resultRow, type ResultSpec } from '../../helpers/fixtures.ts'
import { memoryResults } from '../../helpers/memory-results.ts'

/**
 * The result queries a run's tables make (filter, sort, page, search, facets), through the store a
 * live run writes to. They exist once, in SQL: these run them on the in-memory
 * run store (the one runs use while the run database cannot be opened) against an oracle.
 */

const T0 = FIXTURE_T0

/** Later ids finished earlier, and sizes grow with the id: sorts that differ from the id order. */
const result = (spec: ResultSpec): RequestResult =>
  fixtureResult({ bytes: spec.id * 3, finishedAt: T0 + 1_000 - spec.id, ...spec })

const q = (
  input: Omit<ResultQueryInput, 'runId' | 'offset' | 'limit'> & { offset?: number; limit?: number }
) => resultQuerySchema.parse({ runId: 'r', offset: 0, limit: 1_000, ...input })

const results = (): StoredResultStore => memoryResults()
const store = (specs: readonly ResultSpec[]): StoredResultStore => memoryResults(specs.map(result))

const ids = (s: StoredResultStore, query: ResultQuery) => s.query(query).rows.map((r) => r.id)

const SAMPLE: ResultSpec[] = [
  { id: 4, host: 'b.test', totalMs: 50, title: 'Shop', depth: 2 },
  { id: 0, host: 'a.test', totalMs: 30, title: 'Home', depth: 0 },
  {
    id: 3,
    host: 'a.test',
    code: 'HTTP_STATUS',
    status: 404,
    totalMs: 30,
    message: 'HTTP 404 Not Found',
    depth: 1
  },
  { id: 1, host: 'b.test', code: 'TIMEOUT_CONNECT', totalMs: 3_000, title: null, depth: 1 },
  { id: 2, host: 'c.test', totalMs: 5, title: 'Contact SHOP', depth: 2 },
  { id: 5, host: 'a.test', code: 'HTTP_STATUS', status: 503, totalMs: 30, attempts: 3, depth: 1 }
]

describe('result queries', () => {
  it.each<{ name: string; query: ResultQuery; expected: number[] }>([
    { name: 'all, by id', query: q({}), expected: [0, 1, 2, 3, 4, 5] },
    { name: 'ok only', query: q({ outcome: 'ok' }), expected: [0, 2, 4] },
    { name: 'failed only', query: q({ outcome: 'failed' }), expected: [1, 3, 5] },
    { name: 'statuses (OR within)', query: q({ statuses: [404, 200] }), expected: [0, 2, 3, 4] },
    { name: 'status 0 = no response', query: q({ statuses: [0] }), expected: [1] },
    { name: 'error codes', query: q({ errorCodes: ['HTTP_STATUS'] }), expected: [3, 5] },
    { name: 'hosts', query: q({ hosts: ['b.test', 'c.test'] }), expected: [1, 2, 4] },
    { name: 'AND across kinds', query: q({ hosts: ['a.test'], outcome: 'failed' }), expected: [3, 5] },
    { name: 'search title, any case', query: q({ search: 'shop' }), expected: [2, 4] },
    { name: 'search error message', query: q({ search: 'NOT FOUND' }), expected: [3] },
    { name: 'search URL', query: q({ search: 'b.test/p/' }), expected: [1, 4] },
    {
      name: 'sort by totalMs asc, id breaks ties',
      query: q({ sort: { column: 'totalMs', direction: 'asc' } }),
      expected: [2, 0, 3, 5, 4, 1]
    },
    {
      name: 'sort by totalMs desc, id still ascending within ties',
      query: q({ sort: { column: 'totalMs', direction: 'desc' } }),
      expected: [1, 4, 0, 3, 5, 2]
    },
    {
      name: 'sort by status (none = 0 first)',
      query: q({ sort: { column: 'status', direction: 'asc' } }),
      expected: [1, 0, 2, 4, 3, 5]
    },
    {
      name: 'sort by errorCode desc',
      query: q({ sort: { column: 'errorCode', direction: 'desc' } }),
      expected: [1, 3, 5, 0, 2, 4]
    },
    {
      name: 'sort by host',
      query: q({ sort: { column: 'host', direction: 'asc' } }),
      expected: [0, 3, 5, 1, 4, 2]
    },
    {
      name: 'sort by attempts desc',
      query: q({ sort: { column: 'attempts', direction: 'desc' } }),
      expected: [5, 0, 1, 2, 3, 4]
    },
    {
      name: 'sort by finishedAt (later ids finished earlier)',
      query: q({ sort: { column: 'finishedAt', direction: 'asc' } }),
      expected: [5, 4, 3, 2, 1, 0]
    },
    {
      name: 'sort by depth asc, id ascending within a depth',
      query: q({ sort: { column: 'depth', direction: 'asc' } }),
      expected: [0, 1, 3, 5, 2, 4]
    },
    {
      name: 'sort by depth desc, id still ascending within a depth',
      query: q({ sort: { column: 'depth', direction: 'desc' } }),
      expected: [2, 4, 1, 3, 5, 0]
    },
    { name: 'one depth', query: q({ depths: [1] }), expected: [1, 3, 5] },
    { name: 'depths (OR within)', query: q({ depths: [2, 0] }), expected: [0, 2, 4] },
    { name: 'a depth no result has', query: q({ depths: [7] }), expected: [] },
    { name: 'depths AND hosts', query: q({ depths: [1, 2], hosts: ['a.test'] }), expected: [3, 5] },
    { name: 'depths AND search', query: q({ depths: [2], search: 'shop' }), expected: [2, 4] },
    {
      name: 'depths AND outcome, sorted by totalMs desc',
      query: q({ depths: [1, 2], outcome: 'ok', sort: { column: 'totalMs', direction: 'desc' } }),
      expected: [4, 2]
    },
    {
      name: 'depths AND statuses, sorted by depth desc',
      query: q({ depths: [0, 1], statuses: [200, 503], sort: { column: 'depth', direction: 'desc' } }),
      expected: [5, 0]
    },
    { name: 'a page', query: q({ offset: 2, limit: 3 }), expected: [2, 3, 4] },
    { name: 'a page past the end', query: q({ offset: 10, limit: 3 }), expected: [] }
  ])('$name', ({ query, expected }) => {
    expect(ids(store(SAMPLE), query)).toEqual(expected)
  })

  it('reports the matching total, not the page size', () => {
    const page = store(SAMPLE).query(q({ outcome: 'failed', offset: 1, limit: 1 }))
    expect(page).toMatchObject({ total: 3, offset: 1 })
    expect(page.rows).toEqual([resultRow(result(SAMPLE[2]!))])
    expect(page.rows[0]).toEqual({
      id: 3,
      url: 'http://a.test/p/3',
      host: 'a.test',
      status: 404,
      ok: false,
      errorCode: 'HTTP_STATUS',
      errorMessage: 'HTTP 404 Not Found',
      attempts: 1,
      totalMs: 30,
      ttfbMs: 15,
      bytes: 9,
      title: 'Page 3',
      finishedAt: T0 + 997,
      depth: 1
    })
  })

  it('gets one full result by id, null when there is none', () => {
    const s = store(SAMPLE)
    expect(s.get(5)?.attempts).toHaveLength(3)
    expect(s.get(99)).toBeNull()
  })

  it('stays right while results keep arriving (each page reads what has been written)', () => {
    const rand = lcg(7)
    const hosts = ['a.test', 'b.test', 'c.test', 'd.test']
    const codes: (ErrorCode | null)[] = [null, null, null, 'HTTP_STATUS', 'RESET', 'TIMEOUT_HEADERS']
    const live = results()
    const all: RequestResult[] = []
    const queries = [
      q({ sort: { column: 'totalMs', direction: 'desc' } }),
      q({ outcome: 'failed', sort: { column: 'host', direction: 'asc' } }),
      q({ hosts: ['b.test'], sort: { column: 'bytes', direction: 'desc' }, offset: 3, limit: 7 }),
      q({ search: '1', sort: { column: 'url', direction: 'asc' } }),
      q({ statuses: [200], errorCodes: [], sort: { column: 'finishedAt', direction: 'desc' } }),
      q({ sort: { column: 'depth', direction: 'desc' }, offset: 5, limit: 20 }),
      q({ depths: [1, 3], outcome: 'failed', sort: { column: 'depth', direction: 'asc' } })
    ]
    let id = 0
    for (let round = 0; round < 30; round++) {
      const n = Math.floor(rand() * 40)
      for (let k = 0; k < n; k++) {
        const r = result({
          id: id++,
          host: hosts[Math.floor(rand() * hosts.length)],
          code: codes[Math.floor(rand() * codes.length)],
          totalMs: Math.floor(rand() * 20),
          depth: Math.floor(rand() * 4)
        })
        live.add(r)
        all.push(r)
      }
      for (const query of queries) expect(live.query(query)).toEqual(naiveQuery(all, query))
    }
  })
})

describe('result facets', () => {
  it('counts statuses, error codes and hosts, most frequent first; depths shallowest first', () => {
    expect(store(SAMPLE).facets()).toEqual({
      statuses: [
        { value: 200, count: 3 },
        { value: 0, count: 1 },
        { value: 404, count: 1 },
        { value: 503, count: 1 }
      ],
      errorCodes: [
        { value: 'HTTP_STATUS', count: 2 },
        { value: 'TIMEOUT_CONNECT', count: 1 }
      ],
      hosts: [
        { value: 'a.test', count: 3 },
        { value: 'b.test', count: 2 },
        { value: 'c.test', count: 1 }
      ],
      depths: [
        { value: 0, count: 1 },
        { value: 1, count: 3 },
        { value: 2, count: 2 }
      ]
    })
  })
})

describe('queries at 100,000 results', () => {
  it('serve a sorted, filtered page, the next pages, a search, and the results that arrive after', () => {
    const rand = lcg(42)
    const s = results()
    const codes: (ErrorCode | null)[] = [null, null, null, null, 'HTTP_STATUS', 'TIMEOUT_HEADERS', 'RESET']
    for (let id = 0; id < 100_000; id++) {
      s.add(
        result({
          id,
          host: `h${Math.floor(rand() * 50)}.test`,
          code: codes[Math.floor(rand() * codes.length)],
          totalMs: rand() * 2_000
        })
      )
    }
    const query = q({
      outcome: 'failed',
      hosts: Array.from({ length: 25 }, (_, i) => `h${i}.test`),
      sort: { column: 'totalMs', direction: 'desc' },
      offset: 5_000,
      limit: 100
    })
    const t0 = performance.now()
    const first = s.query(query)
    const t1 = performance.now()
    const next = s.query({ ...query, offset: 5_100 })
    const t2 = performance.now()
    const searched = s.query(
      q({ search: 'h7.test/p/9', sort: { column: 'url', direction: 'asc' }, limit: 100 })
    )
    const t3 = performance.now()
    for (let id = 100_000; id < 101_000; id++)
      s.add(result({ id, code: 'RESET', host: 'h1.test', totalMs: 5 }))
    const t4 = performance.now()
    const grown = s.query(query)
    const t5 = performance.now()
    console.log(
      `100k results: sorted+filtered page ${(t1 - t0).toFixed(1)} ms cold, ${(t2 - t1).toFixed(2)} ms cached; ` +
        `search page ${(t3 - t2).toFixed(1)} ms; after 1,000 more results ${(t5 - t4).toFixed(1)} ms (merge)`
    )
    expect(first.rows).toHaveLength(100)
    expect(first.total).toBeGreaterThan(10_000)
    expect(next.rows[0]?.totalMs).toBeLessThanOrEqual(first.rows.at(-1)?.totalMs ?? 0)
    expect(searched.rows.every((r) => r.url.includes('h7.test/p/9'))).toBe(true)
    expect(grown.total).toBe(first.total + 1_000)
    // Speed is the store benchmark's to judge (npm run bench -- store); the log line shows it here.
  })
})

/** The query semantics written the obvious way, to check the cached, merged one against. */
function naiveQuery(rows: readonly RequestResult[], query: ResultQuery) {
  const needle = query.search.trim().toLowerCase()
  const key = (r: RequestResult): number | string => {
    switch (query.sort.column) {
      case 'id':
        return r.id
      case 'url':
        return r.url
      case 'host':
        return r.host
      case 'status':
        return r.status ?? 0
      case 'errorCode':
        return r.error?.code ?? ''
      case 'attempts':
        return r.attempts.length
      case 'totalMs':
        return r.timings.total
      case 'ttfbMs':
        return r.timings.ttfb
      case 'bytes':
        return r.bytes
      case 'finishedAt':
        return r.finishedAt
      case 'depth':
        return r.depth
    }
  }
  const sign = query.sort.direction === 'asc' ? 1 : -1
  const matching = rows
    .filter((r) => query.outcome === 'all' || (query.outcome === 'ok') === r.ok)
    .filter((r) => query.statuses.length === 0 || query.statuses.includes(r.status ?? 0))
    .filter(
      (r) => query.errorCodes.length === 0 || (r.error !== null && query.errorCodes.includes(r.error.code))
    )
    .filter((r) => query.hosts.length === 0 || query.hosts.includes(r.host))
    .filter((r) => query.depths.length === 0 || query.depths.includes(r.depth))
    .filter(
      (r) =>
        needle === '' ||
        [r.url, r.finalUrl, r.title ?? '', r.error?.message ?? ''].some((f) =>
          f.toLowerCase().includes(needle)
        )
    )
    .sort((a, b) => {
      const ka = key(a)
      const kb = key(b)
      return ka === kb ? a.id - b.id : (ka < kb ? -1 : 1) * sign
    })
  return {
    total: matching.length,
    offset: query.offset,
    rows: matching.slice(query.offset, query.offset + query.limit).map(resultRow)
  }
}

function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0
    return s / 2 ** 32
  }
}
