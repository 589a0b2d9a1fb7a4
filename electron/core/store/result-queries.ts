// Over 400 lines: the four ways a page finds its rows (dense, direct, grouped, materialised) share one cache.
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite'
import type { ResultPage, ResultQuery, ResultSortColumn } from '../../../shared/api.ts'
import { decodeRow, num, ROW_COLUMNS, str, type Row } from './result-codec.ts'
import { ridOf, RID_SPAN } from './schema.ts'
import { searchRanges } from './search-index.ts'

/**
 * The tables' queries, entirely in SQL: filter, order and window, with the semantics of the
 * in-memory store (electron/main/service/result-query.ts): filters AND across kinds and OR within
 * one; status 0 selects "no response"; search is a case-insensitive (ASCII letters) substring of
 * URL, final URL, title or error message; ties break by id ascending in both directions. Strings
 * order by their UTF-8 bytes (URLs and hosts are ASCII, where that is code-unit order too).
 *
 * A page's rids come from statements over the indexes; its rows are then point lookups, so a
 * 100-row page never drags row columns through a sort. Four ways to find the rids:
 * - dense: the whole run by id when its ids are exactly 0…n−1 (a finished run): an id range.
 * - direct: an index yields the rows in order and holds every filter column (e.g. "failed,
 *   slowest first" on (run, total_ms DESC) WHERE ok = 0): LIMIT/OFFSET walks index entries.
 * - grouped: sorts by status, error code, host or depth (few values, huge ties) walk the value groups:
 *   a GROUP BY gives each value's count in order, and the page is read from the group(s) it falls
 *   in, each in id order on its (run, column) index. So ties stay in ascending id order in both
 *   directions without sorting a 900,000-row group of 200s.
 * - materialised: otherwise (a sort with no index, a search) one pass lists every matching rid in
 *   order. Scrolling a 1,000,000-row run sorted by URL, or searched, pays that once.
 * Totals, group counts and materialised lists are cached until the run's rows change. SQLite's
 * EXPLAIN QUERY PLAN decides between direct and materialised, so a new index needs no code here.
 */

/** results.host is a hosts.id; the tables order hosts by name. */
const HOST_NAME_SQL = '(SELECT h.name FROM hosts h WHERE h.id = r.host)'

const SORT_SQL: Readonly<Record<ResultSortColumn, string>> = {
  id: 'r.rid',
  url: 'r.url',
  host: HOST_NAME_SQL,
  status: 'r.status',
  errorCode: 'r.error_code',
  attempts: 'r.attempts',
  totalMs: 'r.total_ms',
  ttfbMs: 'r.ttfb_ms',
  bytes: 'r.bytes',
  finishedAt: 'r.finished_at',
  depth: 'r.depth'
}

interface Grouping {
  readonly column: string
  /** The groups are listed in this order (a host's name, not its id). */
  readonly order: string
  /**
   * The column's NULL group, as a term an index serves. results_error holds only failed results
   * (error_code NOT NULL): results without an error code are exactly the ok ones (the engine sets
   * ok when, and only when, there is no error), which results_ok lists in id order.
   */
  readonly nullGroup?: string
}

/** Few distinct values, each with its own (run, column) index: paged group by group. */
const GROUPED_SORTS: ReadonlyMap<ResultSortColumn, Grouping> = new Map([
  ['status', { column: 'r.status', order: 'r.status' }],
  ['errorCode', { column: 'r.error_code', order: 'r.error_code', nullGroup: 'r.ok = 1' }],
  ['host', { column: 'r.host', order: HOST_NAME_SQL }],
  // A spider's depths are a handful of values over the whole run (results_depth, schema version 4).
  ['depth', { column: 'r.depth', order: 'r.depth' }]
])

/** Cached pages: at most this many queries, and this many rids in all (8 bytes each). */
const MAX_CACHE_ENTRIES = 32
const MAX_CACHED_RIDS = 4_000_000
const MAX_STATEMENTS = 200

export interface QueryHost {
  readonly db: DatabaseSync
  /** A token that changes whenever the run's rows may have changed (ours or another connection's). */
  readonly versionOf: (runKey: number) => string
}

interface Filter {
  readonly where: string
  readonly params: SQLInputValue[]
  /** Filter terms besides the run itself. */
  readonly terms: number
  readonly search: boolean
}

interface CacheEntry {
  readonly total: number
  readonly rids: Float64Array | null
  /** Grouped sorts: each value and its count, in the requested order. */
  readonly groups?: readonly { readonly value: SQLInputValue; readonly count: number }[]
}

/** `%`, `_` and the escape character itself match literally. */
export function likePattern(needle: string): string {
  return `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

const uniqueSorted = <T extends number | string>(values: readonly T[]): T[] =>
  [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))

/** `hostIds`: the ids of q.hosts' names (hosts table). */
export function buildFilter(
  runKey: number,
  q: ResultQuery,
  ridRange: boolean,
  hostIds: readonly number[]
): Filter {
  const where = ['r.run = ?']
  const params: SQLInputValue[] = [runKey]
  if (ridRange) {
    where.push('r.rid BETWEEN ? AND ?')
    params.push(ridOf(runKey, 0), ridOf(runKey, RID_SPAN - 1))
  }
  let terms = 0
  const inList = (column: string, values: readonly (number | string)[]): void => {
    if (values.length === 0) return
    where.push(`${column} IN (${values.map(() => '?').join(', ')})`)
    params.push(...values)
    terms++
  }
  if (q.outcome !== 'all') {
    where.push(q.outcome === 'ok' ? 'r.ok = 1' : 'r.ok = 0')
    terms++
  }
  inList('r.status', uniqueSorted(q.statuses))
  inList('r.error_code', uniqueSorted(q.errorCodes))
  // A host never seen matches nothing; -1 is no host's id.
  if (q.hosts.length > 0) inList('r.host', hostIds.length > 0 ? uniqueSorted(hostIds) : [-1])
  inList('r.depth', uniqueSorted(q.depths))
  const needle = q.search.trim()
  if (needle !== '') {
    const like = "LIKE ? ESCAPE '\\'"
    where.push(`(r.url ${like} OR r.title ${like} OR r.final_url ${like} OR r.error_message ${like})`)
    const pattern = likePattern(needle)
    params.push(pattern, pattern, pattern, pattern)
    terms++
  }
  return { where: where.join(' AND '), params, terms, search: needle !== '' }
}

/** The part of a query that selects (and, with the sort, orders) rows: a cache key. */
function shapeKey(q: ResultQuery, withSort: boolean): string {
  return JSON.stringify([
    withSort ? [q.sort.column, q.sort.direction] : null,
    q.outcome,
    uniqueSorted(q.statuses),
    uniqueSorted(q.errorCodes),
    uniqueSorted(q.hosts),
    uniqueSorted(q.depths),
    // Not lower-cased: LIKE folds ASCII only, so "É" and "é" are different searches.
    q.search.trim()
  ])
}

export class ResultQueries {
  private readonly host: QueryHost
  private readonly statements = new Map<string, StatementSync>()
  /** SQL → whether its plan allows the direct path. */
  private readonly plans = new Map<string, boolean>()
  /** Insertion order is recency: a hit is re-inserted, the oldest evicted. */
  private readonly cache = new Map<string, CacheEntry>()
  private cachedRids = 0
  /** Host name → hosts.id (ids never change once committed). */
  private readonly hostIds = new Map<string, number>()
  /** When false, every query runs from scratch (the benchmark's cold figures). */
  caching = true

  constructor(host: QueryHost) {
    this.host = host
  }

  page(runKey: number, q: ResultQuery): ResultPage {
    const version = this.host.versionOf(runKey)
    const column = q.sort.column
    const dir = q.sort.direction === 'asc' ? 'ASC' : 'DESC'
    // The rowid range lets the planner page by id, or scan a run's rows in order, without an index.
    const hostIds = this.hostIdsOf(q.hosts)
    const filter = buildFilter(runKey, q, true, hostIds)
    const order = column === 'id' ? `r.rid ${dir}` : `${SORT_SQL[column]} ${dir}, r.rid ASC`
    const sql = `SELECT r.rid AS rid FROM results r WHERE ${filter.where} ORDER BY ${order}`
    let rids: ArrayLike<number>
    let total: number
    const dense = column === 'id' && filter.terms === 0 ? this.denseRun(runKey, version, q) : null
    const grouped = GROUPED_SORTS.get(column)
    if (dense) {
      ;({ rids, total } = dense)
    } else if (grouped && !filter.search) {
      // Without the rowid range, so the group counts and each group's page use (run, column).
      const byIndex = buildFilter(runKey, q, false, hostIds)
      ;({ rids, total } = this.groupedPage(runKey, version, q, byIndex, grouped, dir))
    } else if (filter.search || !this.isDirect(sql, filter)) {
      const key = `${runKey}|${version}|${shapeKey(q, true)}`
      const entry = this.cached(key, () => {
        const all = filter.search
          ? this.searched(runKey, q, hostIds, order)
          : this.materialise(sql, filter.params)
        return { total: all.length, rids: all }
      })
      const all = entry.rids ?? new Float64Array(0)
      rids = all.subarray(q.offset, q.offset + q.limit)
      total = entry.total
    } else {
      rids = this.statement(`${sql} LIMIT ? OFFSET ?`)
        .all(...filter.params, q.limit, q.offset)
        .map((row) => num(row, 'rid'))
      total = this.count(runKey, version, q)
    }
    const byRid = this.statement(`SELECT ${ROW_COLUMNS} FROM results WHERE rid = ?`)
    const rows = Array.from(rids, (rid) => {
      const row = byRid.get(rid)
      if (!row) throw new Error(`result row ${rid} vanished during a query`)
      return decodeRow(row)
    })
    return { total, offset: q.offset, rows }
  }

  /**
   * The whole run by id when its ids are exactly 0…n−1 (every finished run): the page is an id
   * range, found without walking past `offset` rows. Null when the ids have gaps (a run in progress).
   */
  private denseRun(
    runKey: number,
    version: string,
    q: ResultQuery
  ): { rids: number[]; total: number } | null {
    const total = this.count(runKey, version, q)
    const base = ridOf(runKey, 0)
    const last = this.statement('SELECT max(rid) AS rid FROM results WHERE rid BETWEEN ? AND ?').get(
      base,
      ridOf(runKey, RID_SPAN - 1)
    )
    if (total === 0 || !last || num(last, 'rid') - base !== total - 1) return null
    const n = Math.max(0, Math.min(q.limit, total - q.offset))
    const rids = Array.from({ length: n }, (_, k) =>
      q.sort.direction === 'asc' ? base + q.offset + k : base + total - 1 - q.offset - k
    )
    return { rids, total }
  }

  private groupedPage(
    runKey: number,
    version: string,
    q: ResultQuery,
    filter: Filter,
    grouping: Grouping,
    dir: string
  ): { rids: number[]; total: number } {
    const { column, order, nullGroup } = grouping
    const key = `${runKey}|${version}|groups|${shapeKey(q, true)}`
    const { total, groups = [] } = this.cached(key, () => {
      const list = this.statement(
        `SELECT ${column} AS value, count(*) AS n FROM results r WHERE ${filter.where}
         ${nullGroup ? `AND ${column} IS NOT NULL` : ''} GROUP BY ${column} ORDER BY ${order} ${dir}`
      )
        .all(...filter.params)
        .map((row) => ({ value: row['value'] as SQLInputValue, count: num(row, 'n') }))
      if (nullGroup) {
        const row = this.statement(
          `SELECT count(*) AS n FROM results r WHERE ${filter.where} AND ${nullGroup}`
        ).get(...filter.params)
        const n = row ? num(row, 'n') : 0
        // NULL sorts first ascending, last descending.
        if (n > 0) list[dir === 'ASC' ? 'unshift' : 'push']({ value: null, count: n })
      }
      return { total: list.reduce((sum, g) => sum + g.count, 0), rids: null, groups: list }
    })
    const page = `SELECT r.rid AS rid FROM results r WHERE ${filter.where} AND`
    const inGroup = this.statement(`${page} ${column} = ? ORDER BY r.rid LIMIT ? OFFSET ?`)
    const inNullGroup = this.statement(
      `${page} ${nullGroup ?? `${column} IS NULL`} ORDER BY r.rid LIMIT ? OFFSET ?`
    )
    const rids: number[] = []
    let skip = q.offset
    for (const group of groups) {
      if (rids.length >= q.limit) break
      if (skip >= group.count) {
        skip -= group.count
        continue
      }
      const take = Math.min(q.limit - rids.length, group.count - skip)
      const rows =
        group.value === null
          ? inNullGroup.all(...filter.params, take, skip)
          : inGroup.all(...filter.params, group.value, take, skip)
      for (const row of rows) rids.push(num(row, 'rid'))
      skip = 0
    }
    return { rids, total }
  }

  /** Rows matching the query's filter (sort and window ignored); cached until the rows change. */
  count(runKey: number, version: string, q: ResultQuery): number {
    const key = `${runKey}|${version}|count|${shapeKey(q, false)}`
    return this.cached(key, () => {
      // Without the rowid range the planner counts over the smallest index that fits the filter.
      const filter = buildFilter(runKey, q, false, this.hostIdsOf(q.hosts))
      const row = this.statement(`SELECT count(*) AS n FROM results r WHERE ${filter.where}`).get(
        ...filter.params
      )
      return { total: row ? num(row, 'n') : 0, rids: null }
    }).total
  }

  /** A cached statement: dynamic SQL varies only with the number of IN values per filter. */
  statement(sql: string): StatementSync {
    let stmt = this.statements.get(sql)
    if (!stmt) {
      if (this.statements.size >= MAX_STATEMENTS) this.statements.clear()
      stmt = this.host.db.prepare(sql)
      this.statements.set(sql, stmt)
    }
    return stmt
  }

  /** The ids of the hosts with these names that exist. */
  hostIdsOf(names: readonly string[]): number[] {
    const ids: number[] = []
    for (const name of names) {
      let id = this.hostIds.get(name)
      if (id === undefined) {
        const row = this.statement('SELECT id FROM hosts WHERE name = ?').get(name)
        if (!row) continue
        id = num(row, 'id')
        this.hostIds.set(name, id)
      }
      ids.push(id)
    }
    return ids
  }

  /** Drops cached pages and counts (after a delete; writes change the version instead). */
  invalidate(): void {
    this.cache.clear()
    this.cachedRids = 0
  }

  private cached(key: string, compute: () => CacheEntry): CacheEntry {
    const hit = this.caching ? this.cache.get(key) : undefined
    if (hit) {
      this.cache.delete(key)
      this.cache.set(key, hit)
      return hit
    }
    const entry = compute()
    if (!this.caching) return entry
    const size = entry.rids?.length ?? 0
    if (size > MAX_CACHED_RIDS) return entry
    this.cache.set(key, entry)
    this.cachedRids += size
    for (const [oldKey, old] of this.cache) {
      if (this.cache.size <= MAX_CACHE_ENTRIES && this.cachedRids <= MAX_CACHED_RIDS) break
      this.cache.delete(oldKey)
      this.cachedRids -= old.rids?.length ?? 0
    }
    return entry
  }

  /**
   * Direct when SQLite walks one index (or the rowid range) in the requested order, and every
   * filter column is in that index: then OFFSET skips index entries, not sorted rows. Sorting only
   * the ties of an indexed column ("LAST TERM OF ORDER BY", for totalMs ascending on a descending
   * index) stays direct too: ties among float milliseconds are a handful of rows.
   */
  private isDirect(sql: string, filter: Filter): boolean {
    let direct = this.plans.get(sql)
    if (direct === undefined) {
      const plan = this.host.db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...filter.params)
        .map((row: Row) => String(row['detail']))
      direct =
        plan.length === 1 &&
        !plan.some((line) => line.includes('TEMP B-TREE FOR ORDER BY')) &&
        plan.every(
          (line) =>
            line.includes('COVERING INDEX') || (line.includes('INTEGER PRIMARY KEY') && filter.terms === 0)
        )
      this.plans.set(sql, direct)
    }
    return direct
  }

  /**
   * A search's rids in order: the query's filter over the rid ranges the trigram index leaves
   * (search-index.ts), LIKE included, so the rows are exactly those a scan finds. A needle too
   * short for trigrams scans the run's rowid range.
   */
  private searched(runKey: number, q: ResultQuery, hostIds: readonly number[], order: string): Float64Array {
    const ranges = searchRanges((sql) => this.statement(sql), runKey, q.search.trim())
    if (ranges === null) {
      const filter = buildFilter(runKey, q, true, hostIds)
      return this.materialise(
        `SELECT r.rid AS rid FROM results r WHERE ${filter.where} ORDER BY ${order}`,
        filter.params
      )
    }
    if (ranges.length === 0) return new Float64Array(0)
    // Without the run's whole rowid range: each range is the rowid constraint. CROSS JOIN keeps
    // the ranges the outer loop.
    const filter = buildFilter(runKey, q, false, hostIds)
    return this.materialise(
      `SELECT r.rid AS rid FROM json_each(?) AS j CROSS JOIN results r
       WHERE r.rid BETWEEN j.value ->> 0 AND j.value ->> 1 AND ${filter.where} ORDER BY ${order}`,
      [JSON.stringify(ranges), ...filter.params]
    )
  }

  private materialise(sql: string, params: SQLInputValue[]): Float64Array {
    // One JSON string instead of a row object per rid: half the time for 1,000,000 rids. The
    // ordered subquery runs as a co-routine feeding the aggregate, so the array keeps its order.
    const row = this.statement(`SELECT json_group_array(rid) AS rids FROM (${sql})`).get(...params)
    return Float64Array.from(JSON.parse(row ? str(row, 'rids') : '[]') as number[])
  }
}
