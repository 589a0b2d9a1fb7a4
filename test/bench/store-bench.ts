import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resultQuerySchema, type ResultQueryInput } from '../../shared/api.ts'
import { DEFAULT_CONFIG } from '../../shared/config.ts'
import type { ErrorCode, FailurePhase, RequestFailure } from '../../shared/errors.ts'
import type { AttemptRecord, RequestResult } from '../../shared/result.ts'
import { openRunStore } from '../../electron/main/store/index.ts'

/**
 * The store benchmark (issue 4): 1,000,000 realistic results through resultWriter into a fresh
 * database file, then the table's pages from that run. Rates are reported against wall time and
 * against this process's CPU time: on a shared machine the second is the steadier figure.
 */

// ---- synthetic results ---------------------------------------------------------------------------

/** mulberry32: a small seeded PRNG, so every run of the bench writes the same data. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = [
  'news', 'shop', 'blog', 'docs', 'api', 'help', 'about', 'pricing', 'cart', 'login',
  'search', 'report', 'archive', 'review', 'guide', 'world', 'local', 'sport', 'travel', 'careers'
] // prettier-ignore

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T

interface Outcome {
  readonly status: number | null
  readonly code: ErrorCode | null
  readonly phase: FailurePhase
  readonly message: string
  readonly retried: boolean
  readonly redirect: boolean
}

/** Roughly what a crawl of a few public sites looks like: mostly 200s, some redirects, ~12% failed. */
function outcomeOf(x: number, host: string): Outcome {
  const ok = { code: null, phase: 'headers', message: '', retried: false } as const
  if (x < 0.05) return { status: 404, code: 'HTTP_STATUS', phase: 'headers', message: 'HTTP 404 Not Found', retried: false, redirect: false }
  if (x < 0.07) return { status: 503, code: 'HTTP_STATUS', phase: 'headers', message: 'HTTP 503 Service Unavailable', retried: true, redirect: false }
  if (x < 0.08) return { status: 429, code: 'HTTP_STATUS', phase: 'headers', message: 'HTTP 429 Too Many Requests', retried: true, redirect: false }
  if (x < 0.1) return { status: null, code: 'TIMEOUT_HEADERS', phase: 'headers', message: 'No response headers within 15000 ms: raise Headers timeout or lower Concurrency per host', retried: true, redirect: false }
  if (x < 0.105) return { status: null, code: 'DNS', phase: 'dns', message: `getaddrinfo ENOTFOUND ${host}`, retried: false, redirect: false }
  if (x < 0.11) return { status: null, code: 'CONNECT_REFUSED', phase: 'connect', message: 'connect ECONNREFUSED 203.0.113.7:443', retried: true, redirect: false }
  if (x < 0.115) return { status: null, code: 'RESET', phase: 'body', message: 'read ECONNRESET', retried: true, redirect: false }
  if (x < 0.12) return { status: null, code: 'TLS', phase: 'tls', message: 'unable to verify the first certificate', retried: false, redirect: false }
  if (x < 0.17) return { status: 200, ...ok, redirect: true }
  if (x < 0.18) return { status: 304, ...ok, redirect: false }
  return { status: 200, ...ok, redirect: false }
} // prettier-ignore

export function syntheticResult(id: number, r: () => number): RequestResult {
  // 50 hosts, a few of them much larger than the rest.
  const hostN = Math.floor(r() * r() * 50)
  const host = `www.${WORDS[hostN % WORDS.length] ?? 'site'}-site-${hostN}.example.com`
  const url = `https://${host}/${pick(r, WORDS)}/${pick(r, WORDS)}-${Math.floor(r() * 1e6)}?ref=crawl&id=${id}`
  const o = outcomeOf(r(), host)
  const failure: RequestFailure | null = o.code
    ? {
        code: o.code,
        message: o.message,
        phase: o.phase,
        retryable: o.retried,
        ...(o.status !== null ? { status: o.status } : {})
      }
    : null
  const startedAt = 1_760_000_000_000 + id * 3 + Math.floor(r() * 1_000)
  const total = 15 + r() * r() * 2_500
  const fresh = r() < 0.1
  const timings = {
    queue: r() * 2,
    dns: fresh ? r() * 20 : 0,
    connect: fresh ? r() * 30 : 0,
    tls: fresh ? r() * 40 : 0,
    ttfb: total * 0.6,
    download: total * 0.35,
    total
  }
  const attempts: AttemptRecord[] = []
  const count = o.retried ? 4 : 1
  let at = startedAt
  for (let a = 1; a <= count; a++) {
    const last = a === count
    const duration = last ? total : total * (0.5 + r())
    const wait = last ? null : 500 * 2 ** a * r()
    attempts.push({
      attempt: a,
      startedAt: at,
      durationMs: duration,
      status: o.status,
      error: failure,
      outcome: last ? (failure ? 'failed' : 'ok') : 'retry',
      waitBeforeNextMs: wait,
      waitReason: last ? null : 'backoff'
    })
    at += duration + (wait ?? 0)
  }
  const finalUrl = o.redirect ? url.replace('?ref', '/?ref') : url
  const headers: Record<string, string> =
    o.status === null
      ? {}
      : {
          'content-type': 'text/html; charset=utf-8',
          'content-length': String(Math.floor(r() * 90_000)),
          date: 'Tue, 14 Oct 2025 10:12:31 GMT',
          server: 'nginx/1.25.3',
          'cache-control': 'public, max-age=600',
          etag: `"${Math.floor(r() * 1e12).toString(16)}"`,
          'last-modified': 'Mon, 13 Oct 2025 08:00:00 GMT',
          vary: 'Accept-Encoding',
          'x-cache': r() < 0.5 ? 'HIT' : 'MISS',
          'strict-transport-security': 'max-age=31536000; includeSubDomains',
          connection: 'keep-alive'
        }
  const ok = failure === null
  return {
    id,
    url,
    finalUrl,
    host,
    method: 'GET',
    status: o.status,
    ok,
    attempts,
    redirects: o.redirect ? [{ url, status: 301, location: finalUrl, durationMs: r() * 50 }] : [],
    error: failure,
    timings,
    bytes: ok && o.status === 200 ? Math.floor(r() * 90_000) : 0,
    contentType: o.status === null ? null : 'text/html; charset=utf-8',
    title:
      ok && o.status === 200
        ? `${pick(r, WORDS)} ${pick(r, WORDS)} – Site ${hostN} | The ${pick(r, WORDS)} page`
        : null,
    startedAt,
    finishedAt: at,
    headers,
    depth: 0,
    foundOn: null
  }
}

// ---- measurement -------------------------------------------------------------------------------

export interface Timing {
  readonly medianMs: number
  readonly p95Ms: number
  readonly maxMs: number
}

export interface StoreBenchResult {
  readonly rows: number
  /** Results written per second of wall time spent in add()/close() (generation excluded). */
  readonly rowsPerSecond: number
  /** The same per second of this process's CPU time. */
  readonly rowsPerCpuSecond: number
  readonly createRunMs: number
  /** Failed results, slowest first, random offsets, computed from scratch (no cache) each time. */
  readonly pageMedianMs: number
  readonly pageP95Ms: number
  /** The same queries with the store's page cache, as the table's scrolling uses it. */
  readonly pageWarmP95Ms: number
  /** A search ("pricing-1"), random offsets: from scratch each time, and with the cache. */
  readonly searchFirstMs: number
  readonly searchColdP95Ms: number
  readonly searchWarmP95Ms: number
  readonly searchMatches: number
  /** Other page shapes, from scratch (first page and a random deep page each). */
  readonly shapes: Readonly<Record<string, Timing>>
  readonly facetsMs: number
  readonly failureCountsMs: number
  readonly summaryFromRowsMs: number
  readonly pendingUrlsMs: number
  readonly iterateRowsPerSecond: number
  /** PRAGMA integrity_check over the whole file (the resume test's final check). */
  readonly integrityCheckMs: number
  /** Deleting the 1,000,000-result run (results, blocks, URLs) and vacuuming what it freed. */
  readonly deleteRunMs: number
  /** Re-opening the file, PRAGMA quick_check included. */
  readonly openMs: number
  readonly dbBytes: number
  readonly dbBytesPerMillion: number
}

function timing(samples: number[]): Timing {
  const s = [...samples].sort((a, b) => a - b)
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN
  return { medianMs: at(0.5), p95Ms: at(0.95), maxMs: s[s.length - 1] ?? NaN }
}

function timed(f: () => void): number {
  const t = performance.now()
  f()
  return performance.now() - t
}

export async function benchStore(
  opts: { rows?: number; log?: (line: string) => void } = {}
): Promise<StoreBenchResult> {
  const rows = opts.rows ?? 1_000_000
  const log = opts.log ?? (() => undefined)
  const dir = mkdtempSync(join(tmpdir(), 'crawlboard-store-bench-'))
  const path = join(dir, 'runs.db')
  try {
    let store = openRunStore(path)
    const runId = 'bench-run'
    const r = seededRandom(42)
    const urls: string[] = []
    const batch: RequestResult[] = []
    const urlRandom = seededRandom(42)
    for (let id = 0; id < rows; id++) urls.push(syntheticResult(id, urlRandom).url)
    const createRunMs = timed(() => {
      store.createRun({ id: runId, name: 'bench', config: DEFAULT_CONFIG, urls, createdAt: Date.now() })
    })
    urls.length = 0
    log(`createRun with ${rows} URLs: ${createRunMs.toFixed(0)} ms`)

    const writer = store.resultWriter(runId)
    let wallMs = 0
    let cpuUs = 0
    for (let id = 0; id < rows;) {
      batch.length = 0
      for (let k = 0; k < 1_000 && id < rows; k++, id++) batch.push(syntheticResult(id, r))
      const c0 = process.cpuUsage()
      const t0 = performance.now()
      for (const result of batch) writer.add(result)
      if (id >= rows) writer.close()
      wallMs += performance.now() - t0
      const c = process.cpuUsage(c0)
      cpuUs += c.user + c.system
      if (id % 200_000 === 0) log(`  ${id} rows, ${((id / wallMs) * 1000).toFixed(0)} rows/s so far`)
    }
    const rowsPerSecond = (rows / wallMs) * 1000
    const rowsPerCpuSecond = (rows / cpuUs) * 1e6
    log(`write: ${rowsPerSecond.toFixed(0)} rows/s wall, ${rowsPerCpuSecond.toFixed(0)} rows/s CPU`)

    store.close()
    // Let timers and the collector run between the phases, as they would between app events.
    await new Promise((resolve) => setImmediate(resolve))
    const dbBytes = statSync(path).size
    const openMs = timed(() => {
      store = openRunStore(path)
    })
    log(`db ${(dbBytes / 1e6).toFixed(0)} MB; reopen with quick_check ${openMs.toFixed(0)} ms`)

    const q = (input: Omit<ResultQueryInput, 'runId'>) => resultQuerySchema.parse({ runId, ...input })
    const rand = seededRandom(7)
    const failed = store.queryResults(q({ offset: 0, limit: 100, outcome: 'failed' })).total

    const slowestFailed = (): Omit<ResultQueryInput, 'runId'> => ({
      offset: Math.floor(rand() * Math.max(1, failed - 100)),
      limit: 100,
      outcome: 'failed',
      sort: { column: 'totalMs', direction: 'desc' }
    })
    store.queryCaching = false
    const cold: number[] = []
    for (let i = 0; i < 50; i++) {
      const query = q(slowestFailed())
      cold.push(timed(() => store.queryResults(query)))
    }
    store.queryCaching = true
    const warm: number[] = []
    for (let i = 0; i < 50; i++) {
      const query = q(slowestFailed())
      warm.push(timed(() => store.queryResults(query)))
    }
    const page = timing(cold)
    log(
      `page (failed, totalMs desc, random offset of ${failed}): median ${page.medianMs.toFixed(1)} ms, p95 ${page.p95Ms.toFixed(1)} ms cold; p95 ${timing(warm).p95Ms.toFixed(1)} ms cached`
    )

    const search = 'pricing-1'
    let searchMatches = 0
    const searchFirstMs = timed(() => {
      searchMatches = store.queryResults(q({ offset: 0, limit: 100, search })).total
    })
    const searchQuery = () =>
      q({ offset: Math.floor(rand() * Math.max(1, searchMatches - 100)), limit: 100, search })
    store.queryCaching = false
    const searchCold: number[] = []
    for (let i = 0; i < 10; i++) {
      const query = searchQuery()
      searchCold.push(timed(() => store.queryResults(query)))
    }
    store.queryCaching = true
    const searchWarm: number[] = []
    for (let i = 0; i < 50; i++) {
      const query = searchQuery()
      searchWarm.push(timed(() => store.queryResults(query)))
    }
    log(
      `search "${search}" (${searchMatches} matches): first ${searchFirstMs.toFixed(0)} ms, cold p95 ${timing(searchCold).p95Ms.toFixed(0)} ms, cached p95 ${timing(searchWarm).p95Ms.toFixed(1)} ms`
    )

    store.queryCaching = false
    const shapes: Record<string, Timing> = {}
    const shape = (name: string, input: Omit<ResultQueryInput, 'runId' | 'offset' | 'limit'>): void => {
      const first = q({ ...input, offset: 0, limit: 100 })
      const samples = [timed(() => store.queryResults(first))]
      const total = store.queryResults(first).total
      for (let i = 0; i < 4; i++) {
        const deep = q({ ...input, offset: Math.floor(rand() * Math.max(1, total - 100)), limit: 100 })
        samples.push(timed(() => store.queryResults(deep)))
      }
      shapes[name] = timing(samples)
      log(
        `  ${name.padEnd(34)} median ${shapes[name].medianMs.toFixed(1)} ms, max ${shapes[name].maxMs.toFixed(1)} ms (${total} rows)`
      )
    }
    shape('all by id', {})
    shape('all by id desc', { sort: { column: 'id', direction: 'desc' } })
    shape('ok by id', { outcome: 'ok' })
    shape('ok, totalMs desc', { outcome: 'ok', sort: { column: 'totalMs', direction: 'desc' } })
    shape('all, totalMs desc', { sort: { column: 'totalMs', direction: 'desc' } })
    shape('status 404 by id', { statuses: [404] })
    shape('code TIMEOUT_HEADERS by id', { errorCodes: ['TIMEOUT_HEADERS'] })
    shape('host filter by id', { hosts: ['www.docs-site-3.example.com'] })
    shape('all, status asc', { sort: { column: 'status', direction: 'asc' } })
    shape('all, status desc', { sort: { column: 'status', direction: 'desc' } })
    shape('failed, errorCode asc', { outcome: 'failed', sort: { column: 'errorCode', direction: 'asc' } })
    shape('all, url asc', { sort: { column: 'url', direction: 'asc' } })
    store.queryCaching = true

    const facetsMs = timed(() => store.getResultFacets(runId))
    const failureCountsMs = timed(() => store.failureCounts(runId))
    const summaryFromRowsMs = timed(() => store.summaryFromRows(runId))
    const pendingUrlsMs = timed(() => store.pendingUrls(runId))
    let n = 0
    const iterateMs = timed(() => {
      for (const result of store.iterateResults(runId)) n += result.id >= 0 ? 1 : 0
    })
    const iterateRowsPerSecond = (n / iterateMs) * 1000
    log(
      `facets ${facetsMs.toFixed(0)} ms, failureCounts ${failureCountsMs.toFixed(0)} ms, summaryFromRows ${summaryFromRowsMs.toFixed(0)} ms, pendingUrls ${pendingUrlsMs.toFixed(0)} ms, iterate ${iterateRowsPerSecond.toFixed(0)} rows/s`
    )
    let integrity = ''
    const integrityCheckMs = timed(() => {
      integrity = store.integrityCheck()
    })
    const deleteRunMs = timed(() => {
      store.deleteRun(runId)
    })
    log(
      `integrity_check ${integrityCheckMs.toFixed(0)} ms (${integrity}), deleteRun ${deleteRunMs.toFixed(0)} ms`
    )
    store.close()
    return {
      rows,
      rowsPerSecond,
      rowsPerCpuSecond,
      createRunMs,
      pageMedianMs: page.medianMs,
      pageP95Ms: page.p95Ms,
      pageWarmP95Ms: timing(warm).p95Ms,
      searchFirstMs,
      searchColdP95Ms: timing(searchCold).p95Ms,
      searchWarmP95Ms: timing(searchWarm).p95Ms,
      searchMatches,
      shapes,
      facetsMs,
      failureCountsMs,
      summaryFromRowsMs,
      pendingUrlsMs,
      iterateRowsPerSecond,
      integrityCheckMs,
      deleteRunMs,
      openMs,
      dbBytes,
      dbBytesPerMillion: (dbBytes / rows) * 1_000_000
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
