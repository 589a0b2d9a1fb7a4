// Over 400 lines: the store benchmark's phases (write, offer, query, size) run and report together.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { monitorEventLoopDelay, performance as nodePerformance } from 'node:perf_hooks'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { resultQuerySchema, type ResultQueryInput } from '../../shared/api.ts'
import { DEFAULT_CONFIG } from '../../shared/config.ts'
import type { ErrorCode, FailurePhase, RequestFailure } from '../../shared/errors.ts'
import type { AttemptRecord, RequestResult } from '../../shared/result.ts'
import { openRunStore, type RunStore } from '../../electron/core/store/index.ts'
import { writerThreadWork } from '../../electron/core/store/writer-thread.ts'

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

/** Writing `rows` results as fast as add() takes them, from the first add() to close() returning. */
export interface WritePhase {
  readonly thread: 'worker' | 'caller'
  readonly rows: number
  readonly rowsPerSecond: number
  /** Rows per second of this process's CPU time (every thread). */
  readonly rowsPerCpuSecond: number
  /** CPU time per row of the main thread (add(), encoding, and with 'caller' the inserts too). */
  readonly mainCpuUsPerRow: number
  /** CPU time per row of the writer thread (its transactions), and their average size. */
  readonly threadCpuUsPerRow: number
  readonly rowsPerTransaction: number
  /**
   * The rate two otherwise idle cores would allow: one row per the busier thread's CPU time. On a
   * shared machine the wall-clock rate falls short of it by what other processes take.
   */
  readonly twoCoreBoundPerSecond: number
}

/**
 * Results offered at a steady rate, a few every millisecond as finished requests arrive, while the
 * main thread's responsiveness is watched: event-loop delay (perf_hooks, 1 ms resolution) and how
 * late a 100 ms timer fires (the interval at which the UI feed sends its batches).
 */
export interface PacedPhase {
  readonly thread: 'worker' | 'caller'
  readonly offeredPerSecond: number
  readonly achievedPerSecond: number
  readonly seconds: number
  readonly loopDelayP50Ms: number
  readonly loopDelayP99Ms: number
  readonly loopDelayMaxMs: number
  /** 100 ms timer: p99 and worst lateness. */
  readonly uiTimerLateP99Ms: number
  readonly uiTimerLateMaxMs: number
  /** Share of wall time the main thread was busy (event-loop utilization). */
  readonly mainUtilization: number
}

export interface StoreBenchResult {
  readonly rows: number
  /** The writer thread (the default): rows per second of wall time, first add() to close(). */
  readonly rowsPerSecond: number
  /** The same per second of this process's CPU time (all threads). */
  readonly rowsPerCpuSecond: number
  /** The whole write, on the writer thread (the default), and on the calling thread as before it. */
  readonly worker: WritePhase
  readonly caller: WritePhase
  readonly paced: readonly PacedPhase[]
  /** os.loadavg() (1, 5, 15 min) when the writes began: how busy the shared machine was. */
  readonly loadAverage: readonly number[]
  readonly createRunMs: number
  /** Failed results, slowest first, random offsets, computed from scratch (no cache) each time. */
  readonly pageMedianMs: number
  readonly pageP95Ms: number
  /** The same queries with the store's page cache, as the table's scrolling uses it. */
  readonly pageWarmP95Ms: number
  /** Building the search index of the whole run on the calling thread, and a search before it. */
  readonly searchIndexMs: number
  readonly searchUnindexedMs: number
  /** The file once the search index is built. */
  readonly indexedDbBytesPerMillion: number
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

/**
 * Results to write, made ahead so that the timed loops measure the store, not the generator: a
 * pool of distinct synthetic results, each stamped with its id and a URL unique to it.
 */
function resultSource(poolSize: number): (id: number) => RequestResult {
  const r = seededRandom(42)
  const pool = Array.from({ length: poolSize }, (_, id) => syntheticResult(id, r))
  return (id) => {
    const base = pool[id % poolSize] as RequestResult
    const url = `${base.url}&n=${id}`
    return { ...base, id, url, finalUrl: base.finalUrl === base.url ? url : `${base.finalUrl}&n=${id}` }
  }
}

function writePhase(
  store: RunStore,
  runId: string,
  rows: number,
  thread: 'worker' | 'caller',
  resultAt: (id: number) => RequestResult
): WritePhase {
  const writer = store.resultWriter(runId, { thread })
  const work = { ...writerThreadWork }
  const c0 = process.cpuUsage()
  const m0 = process.threadCpuUsage()
  const t0 = performance.now()
  for (let id = 0; id < rows; id++) writer.add(resultAt(id))
  writer.close()
  const wallMs = performance.now() - t0
  const c = process.cpuUsage(c0)
  const m = process.threadCpuUsage(m0)
  const mainCpuUsPerRow = (m.user + m.system) / rows
  const threadRows = writerThreadWork.rows - work.rows
  const threadCpuUsPerRow = threadRows > 0 ? ((writerThreadWork.cpuMs - work.cpuMs) * 1000) / threadRows : 0
  const transactions = writerThreadWork.transactions - work.transactions
  return {
    thread,
    rows,
    rowsPerSecond: (rows / wallMs) * 1000,
    rowsPerCpuSecond: (rows / (c.user + c.system)) * 1e6,
    mainCpuUsPerRow,
    threadCpuUsPerRow,
    rowsPerTransaction: transactions > 0 ? threadRows / transactions : 0,
    twoCoreBoundPerSecond: 1e6 / Math.max(mainCpuUsPerRow, threadCpuUsPerRow)
  }
}

async function pacedPhase(
  path: string,
  thread: 'worker' | 'caller',
  perSecond: number,
  seconds: number,
  resultAt: (id: number) => RequestResult
): Promise<PacedPhase> {
  const store = openRunStore(path, { check: 'none' })
  const runId = `paced-${thread}-${perSecond}`
  store.createRun({ id: runId, name: runId, config: DEFAULT_CONFIG, urls: [], createdAt: Date.now() })
  const writer = store.resultWriter(runId, { thread })
  const total = perSecond * seconds
  const late: number[] = []
  const delay = monitorEventLoopDelay({ resolution: 1 })
  const elu = nodePerformance.eventLoopUtilization()
  delay.enable()
  let next = performance.now() + 100
  const ui = setInterval(() => {
    const now = performance.now()
    late.push(Math.max(0, now - next))
    next = now + 100
  }, 100)
  const start = performance.now()
  let id = 0
  await new Promise<void>((resolve) => {
    // At most 4 ms' worth a tick: an engine hands over results as requests finish, never a
    // backlog of thousands at once, so a writer that falls behind shows as a lower rate.
    const perTick = Math.ceil(perSecond / 250)
    const tick = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * perSecond))
      for (let n = 0; id < due && n < perTick; n++) writer.add(resultAt(id++))
      if (id >= total) resolve()
      else setTimeout(tick, 1)
    }
    tick()
  })
  writer.close()
  const wallMs = performance.now() - start
  clearInterval(ui)
  delay.disable()
  const used = nodePerformance.eventLoopUtilization(elu)
  store.close()
  const sorted = [...late].sort((a, b) => a - b)
  return {
    thread,
    offeredPerSecond: perSecond,
    achievedPerSecond: (total / wallMs) * 1000,
    seconds,
    loopDelayP50Ms: delay.percentile(50) / 1e6,
    loopDelayP99Ms: delay.percentile(99) / 1e6,
    loopDelayMaxMs: delay.max / 1e6,
    uiTimerLateP99Ms: sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] ?? NaN,
    uiTimerLateMaxMs: sorted[sorted.length - 1] ?? NaN,
    mainUtilization: used.utilization
  }
}

export async function benchStore(
  opts: { rows?: number; log?: (line: string) => void } = {}
): Promise<StoreBenchResult> {
  const rows = opts.rows ?? 1_000_000
  const log = opts.log ?? (() => undefined)
  const dir = mkdtempSync(join(tmpdir(), 'crawlboard-store-bench-'))
  const path = join(dir, 'runs.db')
  try {
    const resultAt = resultSource(100_000)
    const runId = 'bench-run'
    const urls = Array.from({ length: rows }, (_, id) => resultAt(id).url)
    const newRun = (on: RunStore): void => {
      on.createRun({ id: runId, name: 'bench', config: DEFAULT_CONFIG, urls, createdAt: Date.now() })
    }

    const loadAverage = loadavg()
    // The same rows written on the calling thread (before the writer thread), into their own file.
    const callerPath = join(dir, 'caller.db')
    const callerStore = openRunStore(callerPath)
    newRun(callerStore)
    const caller = writePhase(callerStore, runId, rows, 'caller', resultAt)
    callerStore.close()
    rmSync(callerPath, { force: true })
    log(
      `write on the calling thread: ${caller.rowsPerSecond.toFixed(0)} rows/s wall, ${caller.rowsPerCpuSecond.toFixed(0)} rows/s CPU, ${caller.mainCpuUsPerRow.toFixed(2)} µs/row (load ${loadAverage.map((l) => l.toFixed(1)).join(' ')})`
    )

    let store = openRunStore(path)
    const createRunMs = timed(() => {
      newRun(store)
    })
    urls.length = 0
    log(`createRun with ${rows} URLs: ${createRunMs.toFixed(0)} ms`)
    const worker = writePhase(store, runId, rows, 'worker', resultAt)
    const { rowsPerSecond, rowsPerCpuSecond } = worker
    log(
      `write on the writer thread: ${rowsPerSecond.toFixed(0)} rows/s wall, ${rowsPerCpuSecond.toFixed(0)} rows/s CPU; main ${worker.mainCpuUsPerRow.toFixed(2)} µs/row, thread ${worker.threadCpuUsPerRow.toFixed(2)} µs/row, ${worker.rowsPerTransaction.toFixed(0)} rows/txn, two-core bound ${worker.twoCoreBoundPerSecond.toFixed(0)}/s`
    )

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

    // Written flat out, the run has no search index yet (the writer thread builds it once writes
    // pause): a search then scans every block by its rid range. Then the index is built here, as
    // the writer thread would in its idle time, and timed.
    store.queryCaching = false
    const searchUnindexedMs = timed(() =>
      store.queryResults(q({ offset: 0, limit: 100, search: 'pricing-1' }))
    )
    store.queryCaching = true
    let searchIndexBlocks = 0
    const searchIndexMs = timed(() => {
      searchIndexBlocks = store.buildSearchIndex()
    })
    log(
      `search index: built in ${searchIndexMs.toFixed(0)} ms (${searchIndexBlocks} blocks, ${((rows / searchIndexMs) * 1000).toFixed(0)} rows/s); a search before it ${searchUnindexedMs.toFixed(0)} ms`
    )
    const indexedBytes = statSync(path).size
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

    const pacedPath = join(dir, 'paced.db')
    const paced: PacedPhase[] = []
    for (const [thread, perSecond] of [
      ['caller', 20_000],
      ['worker', 20_000],
      ['worker', 50_000],
      ['worker', 100_000]
    ] as const) {
      const p = await pacedPhase(pacedPath, thread, perSecond, 3, resultAt)
      paced.push(p)
      log(
        `paced ${thread} ${perSecond}/s: achieved ${p.achievedPerSecond.toFixed(0)}/s, loop delay p99 ${p.loopDelayP99Ms.toFixed(1)} ms (max ${p.loopDelayMaxMs.toFixed(1)}), 100 ms timer late p99 ${p.uiTimerLateP99Ms.toFixed(1)} ms, main busy ${(p.mainUtilization * 100).toFixed(0)}%`
      )
    }
    return {
      rows,
      rowsPerSecond,
      rowsPerCpuSecond,
      worker,
      caller,
      loadAverage,
      paced,
      createRunMs,
      pageMedianMs: page.medianMs,
      pageP95Ms: page.p95Ms,
      pageWarmP95Ms: timing(warm).p95Ms,
      searchIndexMs,
      searchUnindexedMs,
      indexedDbBytesPerMillion: (indexedBytes / rows) * 1_000_000,
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
