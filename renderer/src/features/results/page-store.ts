import type { ResultPage, ResultQueryInput, ResultRow } from '../../../../shared/api.ts'
import { MAX_CACHED_PAGES, PAGE_SIZE, pagesForRange, pagesToEvict, PREFETCH_ROWS } from './page-cache.ts'
import { queryKey, type BaseQuery } from './query.ts'

/**
 * The table's window onto a run's results: fetches fixed-size pages through queryResults for the
 * rows on screen (debounced while scrolling), caches a few pages per query, and drops the rest, so
 * the renderer never holds a whole run. Outside React (read through useSyncExternalStore) so the
 * cache is not React state and is testable in node with fake timers.
 *
 * Staleness: `invalidate()` (new results arrived) bumps a generation. Older pages stay on screen
 * (no skeleton flash) until their refetch lands; responses to an older query are dropped.
 */

export type FetchPage = (query: ResultQueryInput) => Promise<ResultPage>

export interface PageStoreSnapshot {
  /** Key of the query these pages belong to ('' before any). */
  readonly key: string
  /** Rows matching the query; null until the first page answers. */
  readonly total: number | null
  readonly pages: ReadonlyMap<number, readonly ResultRow[]>
  /** Page requests in flight for this query. */
  readonly pending: number
  /** The last failure's message; paging stops until retry(). */
  readonly error: string | null
}

export interface PageStoreOptions {
  readonly pageSize?: number
  readonly maxPages?: number
  readonly prefetchRows?: number
  /** Quiet time after the last scroll before fetching. */
  readonly debounceMs?: number
  /** Longest a fetch waits during continuous scrolling. */
  readonly maxWaitMs?: number
  readonly now?: () => number
  readonly setTimer?: (fn: () => void, ms: number) => unknown
  readonly clearTimer?: (handle: unknown) => void
}

interface Entry {
  rows: readonly ResultRow[]
  gen: number
}

const EMPTY: PageStoreSnapshot = { key: '', total: null, pages: new Map(), pending: 0, error: null }

export class ResultPageStore {
  private fetchPage: FetchPage
  private readonly pageSize: number
  private readonly maxPages: number
  private readonly prefetchRows: number
  private readonly debounceMs: number
  private readonly maxWaitMs: number
  private readonly now: () => number
  private readonly setTimer: (fn: () => void, ms: number) => unknown
  private readonly clearTimer: (handle: unknown) => void

  private query: BaseQuery | null = null
  private key = ''
  private gen = 0
  private readonly entries = new Map<number, Entry>()
  private readonly lastUsed = new Map<number, number>()
  /** page → generation requested, for the current query. */
  private readonly inflight = new Map<number, number>()
  private total: number | null = null
  private totalGen = -1
  private error: string | null = null
  private first = 0
  private last = 0
  private clock = 0
  private timer: unknown = null
  private timerSince = 0
  private readonly listeners = new Set<() => void>()
  private snapshot: PageStoreSnapshot = EMPTY

  constructor(fetchPage: FetchPage, opts: PageStoreOptions = {}) {
    this.fetchPage = fetchPage
    this.pageSize = opts.pageSize ?? PAGE_SIZE
    this.maxPages = opts.maxPages ?? MAX_CACHED_PAGES
    this.prefetchRows = opts.prefetchRows ?? PREFETCH_ROWS
    this.debounceMs = opts.debounceMs ?? 50
    this.maxWaitMs = opts.maxWaitMs ?? 200
    this.now = opts.now ?? (() => Date.now())
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms))
    this.clearTimer =
      opts.clearTimer ??
      ((h) => {
        clearTimeout(h as ReturnType<typeof setTimeout>)
      })
  }

  // Arrow properties: stable references for useSyncExternalStore.
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  readonly getSnapshot = (): PageStoreSnapshot => this.snapshot

  setFetcher(fetchPage: FetchPage): void {
    this.fetchPage = fetchPage
  }

  /** A new query (filters, sort, search or run): drops every page and loads the first at once. */
  setQuery(query: BaseQuery): void {
    const key = queryKey(query)
    if (key === this.key) return
    this.query = query
    this.key = key
    this.entries.clear()
    this.lastUsed.clear()
    this.inflight.clear()
    this.total = null
    this.totalGen = -1
    this.error = null
    // The view scrolls back to the top; keep the window's height.
    this.last = Math.max(0, this.last - this.first)
    this.first = 0
    this.cancelTimer()
    this.flush()
    this.emit()
  }

  /** Rows on screen (inclusive); fetching waits for a short pause in scrolling. */
  setVisibleRange(first: number, last: number): void {
    if (first === this.first && last === this.last) return
    this.first = Math.max(0, first)
    this.last = Math.max(this.first, last)
    this.schedule()
  }

  /** New results arrived: refetch what is on screen, keeping the old rows until it lands. */
  invalidate(): void {
    if (this.query === null) return
    this.gen++
    this.error = null
    this.cancelTimer()
    this.flush()
    this.emit()
  }

  retry(): void {
    this.error = null
    this.flush()
    this.emit()
  }

  /** Stops a pending fetch (component unmount); the cache stays for a remount. */
  dispose(): void {
    this.cancelTimer()
  }

  /** Pages the visible window needs, with prefetch either side. */
  neededPages(): number[] {
    return pagesForRange(
      this.first - this.prefetchRows,
      this.last + this.prefetchRows,
      this.total,
      this.pageSize
    )
  }

  private schedule(): void {
    const now = this.now()
    if (this.timer !== null) {
      // Continuous scrolling: let the pending fetch fire once it has waited maxWaitMs.
      if (now - this.timerSince >= this.maxWaitMs - this.debounceMs) return
      this.clearTimer(this.timer)
    } else {
      this.timerSince = now
    }
    const delay = Math.max(0, Math.min(this.debounceMs, this.timerSince + this.maxWaitMs - now))
    this.timer = this.setTimer(() => {
      this.timer = null
      this.flush()
    }, delay)
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clearTimer(this.timer)
    this.timer = null
  }

  private flush(): void {
    const query = this.query
    if (query === null || this.error !== null) return
    const needed = this.neededPages()
    this.clock++
    for (const p of needed) this.lastUsed.set(p, this.clock)
    let started = false
    for (const p of needed) {
      const entry = this.entries.get(p)
      if (entry && entry.gen === this.gen) continue
      if (this.inflight.get(p) === this.gen) continue
      this.request(query, p)
      started = true
    }
    this.evict(new Set(needed))
    if (started) this.emit()
  }

  private request(query: BaseQuery, page: number): void {
    const key = this.key
    const gen = this.gen
    this.inflight.set(page, gen)
    this.fetchPage({ ...query, offset: page * this.pageSize, limit: this.pageSize }).then(
      (result) => {
        if (key !== this.key) return
        if (this.inflight.get(page) === gen) this.inflight.delete(page)
        const entry = this.entries.get(page)
        if (!entry || entry.gen <= gen) {
          this.entries.set(page, { rows: result.rows, gen })
        }
        if (gen >= this.totalGen) {
          this.total = result.total
          this.totalGen = gen
        }
        // The first page brings the total (more pages may now be visible); an old-generation
        // answer leaves its page stale. Either way, ask again for what is still missing.
        this.flush()
        this.evict(new Set(this.neededPages()))
        this.emit()
      },
      (err: unknown) => {
        if (key !== this.key) return
        if (this.inflight.get(page) === gen) this.inflight.delete(page)
        this.error = err instanceof Error ? err.message : String(err)
        this.emit()
      }
    )
  }

  private evict(keep: ReadonlySet<number>): void {
    const used = new Map<number, number>()
    for (const page of this.entries.keys()) used.set(page, this.lastUsed.get(page) ?? 0)
    for (const page of pagesToEvict(used, keep, this.maxPages)) this.entries.delete(page)
    for (const page of this.lastUsed.keys()) {
      if (!this.entries.has(page) && !this.inflight.has(page)) this.lastUsed.delete(page)
    }
  }

  private emit(): void {
    const pages = new Map<number, readonly ResultRow[]>()
    for (const [p, e] of this.entries) pages.set(p, e.rows)
    this.snapshot = {
      key: this.key,
      total: this.total,
      pages,
      pending: this.inflight.size,
      error: this.error
    }
    for (const l of this.listeners) l()
  }
}
