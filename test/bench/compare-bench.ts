import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { changeQuerySchema, type ChangeQuery, type ChangeQueryInput } from '../../shared/api.ts'
import { DEFAULT_CONFIG } from '../../shared/config.ts'
import type { RequestResult } from '../../shared/result.ts'
import { openRunStore, type RunStore } from '../../electron/core/store/index.ts'
import { syntheticResults } from '../helpers/store-results.ts'

/**
 * Comparing two stored runs of n results each (default 100,000; pass 1000000 for the large case):
 * `node test/bench/compare-bench.ts 1000000`. The other run fetches the same list again with a
 * few changes of every kind (see perturb); add `shuffled` for the worst case. Reports the first compareRuns (builds the comparison), a cached one, the first page of
 * every change, a search, a deep page, an export pass, and the process's peak RSS.
 */

const CHUNK = 10_000

/** n results in chunks of the shared generator, ids and URLs made unique across chunks. */
function* results(n: number, seed: number): Generator<RequestResult> {
  for (let start = 0; start < n; start += CHUNK) {
    for (const r of syntheticResults(Math.min(CHUNK, n - start), seed + start / CHUNK)) {
      const id = start + r.id
      const url = `https://${r.host}/p/${id}?q=${(id * 7_919) % 1_000_003}`
      yield { ...r, id, url, finalUrl: url }
    }
  }
}

/**
 * The other run: the same list fetched again, where a few URLs now fail, recovered, answer
 * another status or are much slower, and 1% are different URLs (so 1% are only in either run).
 */
function perturb(r: RequestResult): RequestResult {
  const k = r.id % 100
  if (k === 2) return { ...r, url: `https://other.test/${r.id}`, finalUrl: `https://other.test/${r.id}`, host: 'other.test' }
  if (k === 3 && r.ok) {
    const error = { code: 'HTTP_STATUS', message: 'HTTP 503', phase: 'headers', retryable: true, status: 503 } as const
    return { ...r, ok: false, status: 503, error }
  }
  if (k === 4 && !r.ok) return { ...r, ok: true, status: 200, error: null }
  if (k === 5 && r.status === 200) return { ...r, status: 304 }
  if (k === 6 && r.ok) return { ...r, timings: { ...r.timings, total: r.timings.total * 3 + 300 } }
  return r
} // prettier-ignore

function write(
  store: RunStore,
  runId: string,
  n: number,
  change: (r: RequestResult) => RequestResult,
  idOf: (id: number) => number = (id) => id
): void {
  store.createRun({ id: runId, name: runId, config: DEFAULT_CONFIG, urls: [], createdAt: runId.length })
  const writer = store.resultWriter(runId)
  for (const r of results(n, 1)) writer.add({ ...change(r), id: idOf(r.id) })
  writer.close()
}

function time<T>(body: () => T): { ms: number; value: T } {
  const t0 = performance.now()
  const value = body()
  return { ms: performance.now() - t0, value }
}

const n = Number(process.argv[2] ?? 100_000)
/**
 * `shuffled`: the other run lists the URLs in another order (id × 7,919 mod n, a permutation when
 * n is not a multiple of 7,919), so no URL pairs by id: the worst case.
 */
const shuffled = process.argv[3] === 'shuffled'
const dir = mkdtempSync(join(tmpdir(), 'crawlboard-compare-bench-'))
const store = openRunStore(join(dir, 'runs.db'))
try {
  const w = time(() => {
    write(store, 'base', n, (r) => r)
    write(store, 'other', n, perturb, shuffled ? (id) => (id * 7_919) % n : undefined)
  })
  const rssBefore = process.memoryUsage().rss
  const first = time(() => store.compareRuns('base', 'other'))
  const again = time(() => store.compareRuns('base', 'other'))
  const q = (input: Omit<ChangeQueryInput, 'baseRunId' | 'otherRunId'>): ChangeQuery =>
    changeQuerySchema.parse({ baseRunId: 'base', otherRunId: 'other', ...input })
  const page = time(() => store.queryChanges(q({ offset: 0, limit: 100 })))
  const deep = time(() => store.queryChanges(q({ offset: Math.floor(page.value.total / 2), limit: 100 })))
  const search = time(() => store.queryChanges(q({ offset: 0, limit: 100, search: 'P/12' })))
  const searchNext = time(() => store.queryChanges(q({ offset: 100, limit: 100, search: 'P/12' })))
  const exported = time(() => {
    let rows = 0
    for (const _ of store.iterateChanges('base', 'other')) rows++
    return rows
  })
  const rssAfter = process.memoryUsage().rss
  const c = first.value
  console.log(
    JSON.stringify(
      {
        resultsPerRun: n,
        shuffled,
        writeBothMs: Math.round(w.ms),
        compareFirstMs: Math.round(first.ms),
        compareCachedMs: Math.round(again.ms * 100) / 100,
        firstPageMs: Math.round(page.ms * 100) / 100,
        deepPageMs: Math.round(deep.ms * 100) / 100,
        searchFirstMs: Math.round(search.ms),
        searchNextMs: Math.round(searchNext.ms * 100) / 100,
        searchMatches: search.value.total,
        exportMs: Math.round(exported.ms),
        exportRows: exported.value,
        matched: c.matched,
        changeCounts: c.changeCounts,
        hosts: c.hosts.length,
        rssBeforeMb: Math.round(rssBefore / 2 ** 20),
        rssAfterMb: Math.round(rssAfter / 2 ** 20)
      },
      null,
      2
    )
  )
} finally {
  store.close()
  rmSync(dir, { recursive: true, force: true })
}
