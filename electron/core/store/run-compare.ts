// Over 400 lines: comparing two runs in SQL (the matching, the change kinds, paging and host deltas) is one piece.
import type { DatabaseSync, SQLInputValue, SQLOutputValue, StatementSync } from 'node:sqlite'
import {
  ApiError,
  CHANGE_KINDS,
  MAX_COMPARED_HOSTS,
  MUCH_SLOWER_FACTOR,
  MUCH_SLOWER_MIN_DELTA_MS,
  type ChangeKind,
  type ChangePage,
  type ChangeQuery,
  type HostDelta,
  type HostLatency,
  type RunComparison,
  type UrlChange,
  type UrlSide
} from '../../../shared/api.ts'
import type { ErrorCode } from '../../../shared/errors.ts'
import { LogHistogram } from '../../../shared/histogram.ts'
import { latencyFigures } from '../../../shared/stats.ts'
import { num, str, type Row } from './result-codec.ts'
import { likePattern } from './result-queries.ts'
import { ridOf, RID_SPAN } from './schema.ts'

/**
 * Two runs compared URL by URL (matched on results.url, the input URL), in SQL so that two runs of
 * 1,000,000 results never sit in JS memory:
 *
 * 1. A URL the other run holds under the same id (a re-run of the same list, nearly every URL)
 *    pairs by a rowid lookup. The rest of each run goes into a TEMP table keyed by URL, and those
 *    pair by a FULL JOIN (sorting two runs' URLs is what made pairing by URL alone slow).
 * 2. Every pair, and every URL of one run only, is classified in SQL (KIND_SQL). Only the changed
 *    URLs are kept, in a TEMP table filled in (kind, URL) order: its rowids are then 1…n in exactly
 *    the order the table lists, each kind a contiguous rowid range. "Page 40 of the newly failing"
 *    is a rowid range, found without skipping rows; a search scans the selected kinds once and its
 *    matching rowids are kept for the following pages. The per-run tables are dropped.
 * 3. Latency histograms (ok and failed results' total time, like the dashboard's distribution),
 *    overall and for the busiest MAX_COMPARED_HOSTS hosts, stream over each run's rows.
 *
 * The result is cached, keyed by both runs' data versions (as result pages are): a run being
 * written to is compared afresh, a finished one once. Everything is read in one transaction, so
 * counts, histograms and rows agree even while another process writes.
 *
 * Measured with test/bench/compare-bench.ts (two runs of the same list, ~4.5% of URLs changed, 1%
 * only in either run) on the 2-core build machine while other work ran (load average 5–10):
 * - 100,000 results each: first compareRuns 0.5–0.9 s; cached 0.2 ms; a page 1–7 ms; a search
 *   2–12 ms, its next page 0.3 ms; streaming 4,524 changes 12–28 ms.
 * - 1,000,000 results each: first compareRuns 4.6 s at load 5, 13 s at load 10 (pairing by URL
 *   alone took 23 s and +275 MB RSS); cached 0.1 ms; a page 1–6 ms; a search 11–27 ms, its next
 *   page ~1 ms; streaming 45,199 changes 0.1–0.4 s; RSS +0–60 MB.
 * - Worst case, the other run in another order (`shuffled`: nothing pairs by id): 1.2–1.7 s for
 *   100,000; 22 s and +210 MB RSS (the TEMP tables, in memory: temp_store = MEMORY) for 1,000,000.
 * Most of a first call in the usual case is the latency histograms (~1.3 µs a row, each row read
 * into JS once); in the worst case, sorting both runs' URLs.
 */

export type StoredComparison = Omit<RunComparison, 'base' | 'other'>

export interface CompareHost {
  readonly db: DatabaseSync
  readonly path: string
  readonly keyOf: (runId: string) => number | null
  /** A token that changes whenever the run's rows may have changed. */
  readonly versionOf: (runKey: number) => string
}

/** Built comparisons kept (each holds its changed URLs in a TEMP table, in memory). */
const MAX_CACHED_COMPARISONS = 2
/** Search results kept per comparison (rowids, 8 bytes each). */
const MAX_CACHED_SELECTIONS = 8
const MAX_CACHED_SELECTED_ROWIDS = 2_000_000
/** Base results looked up in the other run to decide whether URLs pair by id (pairsById). */
const ID_PAIRING_SAMPLE = 1_000
/** Rows an export reads per statement: no statement stays open across a yield. */
const ITERATION_CHUNK = 1_000

const KIND_INDEX: Readonly<Record<ChangeKind, number>> = Object.fromEntries(
  CHANGE_KINDS.map((kind, i) => [kind, i])
) as Record<ChangeKind, number>
const K = KIND_INDEX

/**
 * The kind of change, as an index into CHANGE_KINDS (see its doc comment for the definitions), or
 * NULL when the URL did not change. `b_…`/`o_…` are the base and other run's columns; a missing
 * side is all NULL. Status 0 means "no response"; a NULL total (NaN when written) is never much slower.
 */
const KIND_SQL = `CASE
  WHEN o_id IS NULL THEN ${K['only-in-base']}
  WHEN b_id IS NULL THEN ${K['only-in-other']}
  WHEN b_ok = 1 AND o_ok = 0 THEN ${K['newly-failing']}
  WHEN b_ok = 0 AND o_ok = 1 THEN ${K.fixed}
  WHEN b_status <> 0 AND o_status <> 0 AND b_status <> o_status THEN ${K['status-changed']}
  WHEN b_ok = 1 AND o_ok = 1 AND o_ms >= b_ms * ${MUCH_SLOWER_FACTOR}
    AND o_ms >= b_ms + ${MUCH_SLOWER_MIN_DELTA_MS} THEN ${K['much-slower']}
END`

const CHANGE_COLUMNS = 'kind, url, b_id, b_status, b_ok, b_code, b_ms, o_id, o_status, o_ok, o_code, o_ms'

interface KindRange {
  /** Rowid of the kind's first change (rowids are consecutive within a kind). */
  readonly first: number
  readonly count: number
}

interface Built {
  readonly key: string
  readonly table: string
  readonly summary: StoredComparison
  /** Per CHANGE_KINDS index. */
  readonly ranges: readonly KindRange[]
  /** Search key → matching rowids in order. Insertion order is recency. */
  readonly selections: Map<string, Float64Array>
  selectedRowids: number
  /** Exports reading it right now: it is not dropped under them. */
  pins: number
}

let tableSeq = 0
const nextTable = (what: string): string => `temp.crawlboard_${what}_${++tableSeq}`
const ridRange = (key: number): [number, number] => [ridOf(key, 0), ridOf(key, RID_SPAN - 1)]

export class RunComparisons {
  private readonly host: CompareHost
  /** Insertion order is recency. */
  private readonly built = new Map<string, Built>()

  constructor(host: CompareHost) {
    this.host = host
  }

  compare(baseRunId: string, otherRunId: string): StoredComparison {
    return this.ensure(baseRunId, otherRunId).summary
  }

  page(query: ChangeQuery): ChangePage {
    const built = this.ensure(query.baseRunId, query.otherRunId)
    const kinds = selectedKinds(query.changes)
    const needle = query.search.trim()
    const byRowid = this.statement(`SELECT ${CHANGE_COLUMNS} FROM ${built.table} WHERE rowid = ?`)
    const rowids: number[] = []
    let total: number
    if (needle === '') {
      // Each kind is a consecutive rowid range: the page is arithmetic over the selected ranges.
      total = kinds.reduce((sum, k) => sum + (built.ranges[k]?.count ?? 0), 0)
      let skip = query.offset
      for (const k of kinds) {
        const range = built.ranges[k]
        if (!range || rowids.length >= query.limit) continue
        if (skip >= range.count) {
          skip -= range.count
          continue
        }
        const take = Math.min(query.limit - rowids.length, range.count - skip)
        for (let i = 0; i < take; i++) rowids.push(range.first + skip + i)
        skip = 0
      }
    } else {
      const selected = this.selection(built, kinds, needle)
      total = selected.length
      rowids.push(...selected.subarray(query.offset, query.offset + query.limit))
    }
    const rows = rowids.map((rowid) => {
      const row = byRowid.get(rowid)
      if (!row) throw new Error(`Change ${rowid} vanished from ${built.table}`)
      return decodeChange(row)
    })
    return { total, offset: query.offset, rows }
  }

  /** Every selected change in table order, read in chunks: an export of 1,000,000 never holds them all. */
  *iterate(
    baseRunId: string,
    otherRunId: string,
    changes: readonly ChangeKind[],
    search: string
  ): Generator<UrlChange> {
    const built = this.ensure(baseRunId, otherRunId)
    const kinds = selectedKinds(changes)
    const needle = search.trim()
    const where = [`rowid > ?`, `kind IN (${kinds.join(', ')})`]
    const params: SQLInputValue[] = []
    if (needle !== '') {
      where.push(`url LIKE ? ESCAPE '\\'`)
      params.push(likePattern(needle))
    }
    const sql = `SELECT rowid AS rid, ${CHANGE_COLUMNS} FROM ${built.table} WHERE ${where.join(' AND ')} ORDER BY rowid LIMIT ${ITERATION_CHUNK}`
    built.pins++
    try {
      let after = 0
      for (;;) {
        // Prepared per chunk: the statement is not kept across a yield, and stays valid if the
        // cache drops other tables meanwhile.
        const rows = this.statement(sql).all(after, ...params)
        for (const row of rows) yield decodeChange(row)
        if (rows.length < ITERATION_CHUNK) return
        after = num(rows[rows.length - 1] ?? {}, 'rid')
      }
    } finally {
      built.pins--
      this.evict()
    }
  }

  /** Drops every built comparison (the store closes, or a run was deleted). */
  clear(): void {
    for (const built of [...this.built.values()]) {
      if (built.pins === 0) this.drop(built)
    }
  }

  // ---- building ---------------------------------------------------------------------------------

  private ensure(baseRunId: string, otherRunId: string): Built {
    const baseKey = this.requireKey(baseRunId)
    const otherKey = this.requireKey(otherRunId)
    const { db } = this.host
    const own = !db.isTransaction
    if (own) db.exec('BEGIN')
    try {
      // Inside the transaction: the versions describe the snapshot the tables are built from.
      const key = `${baseKey}:${this.host.versionOf(baseKey)}|${otherKey}:${this.host.versionOf(otherKey)}`
      let built = this.built.get(key)
      if (built) {
        this.built.delete(key)
        this.built.set(key, built)
      } else {
        built = this.build(key, baseKey, otherKey)
        this.built.set(key, built)
        this.evict()
      }
      if (own) db.exec('COMMIT')
      return built
    } catch (error) {
      // SQLite may have rolled back already (a full disk, say): ROLLBACK would throw then.
      if (own && inTransaction(db)) db.exec('ROLLBACK')
      throw error
    }
  }

  private build(key: string, baseKey: number, otherKey: number): Built {
    const [bLo, bHi] = ridRange(baseKey)
    const [oLo, oHi] = ridRange(otherKey)
    // URLs the other run holds under the same id (a re-run of the same list: nearly all of them)
    // pair by rowid lookup; only the rest are matched by URL, through TEMP tables keyed by URL.
    // When few do (lists in another order, a spider's discovery order), the lookups are skipped.
    const byId = this.pairsById(bLo, bHi, oLo)
    const baseRest = this.unpairedTable(baseKey, byId ? otherKey : null)
    const otherRest = otherKey === baseKey ? baseRest : this.unpairedTable(otherKey, byId ? baseKey : null)
    const table = nextTable('changes')
    try {
      this.exec(`CREATE TABLE ${table} (
        kind INTEGER NOT NULL, url TEXT NOT NULL,
        b_id INTEGER, b_status INTEGER, b_ok INTEGER, b_code TEXT, b_ms REAL,
        o_id INTEGER, o_status INTEGER, o_ok INTEGER, o_code TEXT, o_ms REAL)`)
      const side = (t: string, p: string): string =>
        `${t}.id AS ${p}_id, ${t}.status AS ${p}_status, ${t}.ok AS ${p}_ok, ${t}.code AS ${p}_code, ${t}.ms AS ${p}_ms`
      const idPairs = `
        SELECT b.url AS url, ${side('b', 'b')}, ${side('o', 'o')}
        FROM (SELECT rid, url, id, status, ok, error_code AS code, total_ms AS ms FROM main.results) b
        JOIN (SELECT rid, url, id, status, ok, error_code AS code, total_ms AS ms FROM main.results) o
          ON o.rid = ? + b.id AND o.url = b.url
        WHERE b.rid BETWEEN ? AND ?
        UNION ALL`
      // Filled in (kind, url) order, so rowids 1…n follow the order the table lists.
      this.statement(
        `INSERT INTO ${table} (${CHANGE_COLUMNS})
        SELECT * FROM (
          SELECT ${KIND_SQL} AS kind, url, b_id, b_status, b_ok, b_code, b_ms,
            o_id, o_status, o_ok, o_code, o_ms
          FROM (
            ${byId ? idPairs : ''}
            SELECT coalesce(b.url, o.url) AS url, ${side('b', 'b')}, ${side('o', 'o')}
            FROM ${baseRest.table} b FULL JOIN ${otherRest.table} o ON o.url = b.url
          )
        ) WHERE kind IS NOT NULL ORDER BY kind, url`
      ).run(...(byId ? [oLo, bLo, bHi] : []))
      const ranges: KindRange[] = CHANGE_KINDS.map(() => ({ first: 0, count: 0 }))
      for (const row of this.statement(
        `SELECT kind, min(rowid) AS first, count(*) AS n FROM ${table} GROUP BY kind`
      ).all()) {
        ranges[num(row, 'kind')] = { first: num(row, 'first'), count: num(row, 'n') }
      }
      const countOf = (kind: ChangeKind): number => ranges[K[kind]]?.count ?? 0
      const changeCounts = Object.fromEntries(CHANGE_KINDS.map((kind) => [kind, countOf(kind)])) as Record<
        ChangeKind,
        number
      >
      const base = this.latencies(baseKey, bLo, bHi)
      const other = otherKey === baseKey ? base : this.latencies(otherKey, oLo, oHi)
      const summary: StoredComparison = {
        histograms: { base: base.all.toJSON(), other: other.all.toJSON() },
        latency: { base: latencyFigures(base.all), other: latencyFigures(other.all) },
        hosts: hostDeltas(base, other),
        changeCounts,
        // A run's URLs are unique (its input list is de-duplicated): each is in both runs or in one.
        matched: base.results - countOf('only-in-base')
      }
      return { key, table, summary, ranges, selections: new Map(), selectedRowids: 0, pins: 0 }
    } catch (error) {
      this.exec(`DROP TABLE IF EXISTS ${table}`)
      throw error
    } finally {
      this.exec(`DROP TABLE IF EXISTS ${baseRest.table}`)
      if (otherRest !== baseRest) this.exec(`DROP TABLE IF EXISTS ${otherRest.table}`)
    }
  }

  /**
   * Whether enough URLs have the same id in both runs to pair them that way first: a sample of
   * base ids spread over the run, each a rowid lookup in both.
   */
  private pairsById(bLo: number, bHi: number, oLo: number): boolean {
    const last = this.statement('SELECT max(rid) AS rid FROM main.results WHERE rid BETWEEN ? AND ?').get(
      bLo,
      bHi
    )
    const maxId = last && last['rid'] !== null ? num(last, 'rid') - bLo : -1
    if (maxId < 0) return false
    const row = this.statement(
      `WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < ${ID_PAIRING_SAMPLE - 1})
       SELECT count(b.rid) AS n, count(o.rid) AS paired
       FROM k JOIN main.results b ON b.rid = ? + CAST(k.i * ? / ${ID_PAIRING_SAMPLE} AS INTEGER)
       LEFT JOIN main.results o ON o.rid = ? + b.id AND o.url = b.url`
    ).get(bLo, maxId, oLo)
    return row !== undefined && num(row, 'paired') * 2 >= num(row, 'n')
  }

  /**
   * The run's results keyed by URL in a TEMP table (filled in URL order: the B-tree is appended
   * to, not split all over), leaving out those that pair by id with `pairedWith` when given. A
   * URL stored twice keeps its lowest id.
   */
  private unpairedTable(runKey: number, pairedWith: number | null): { table: string } {
    const table = nextTable('unpaired')
    const [lo, hi] = ridRange(runKey)
    this.exec(`CREATE TABLE ${table} (
      url TEXT PRIMARY KEY, id INTEGER NOT NULL, status INTEGER NOT NULL, ok INTEGER NOT NULL,
      code TEXT, ms REAL) WITHOUT ROWID`)
    const unpaired =
      pairedWith === null
        ? ''
        : 'AND NOT EXISTS (SELECT 1 FROM main.results x WHERE x.rid = ? + r.id AND x.url = r.url)'
    this.statement(
      `INSERT OR IGNORE INTO ${table} (url, id, status, ok, code, ms)
       SELECT r.url, r.id, r.status, r.ok, r.error_code, r.total_ms FROM main.results r
       WHERE r.rid BETWEEN ? AND ? ${unpaired}
       ORDER BY r.url, r.rid`
    ).run(lo, hi, ...(pairedWith === null ? [] : [ridOf(pairedWith, 0)]))
    return { table }
  }

  /**
   * The run's latency histogram over every result's total time (ok and failed), and one for each
   * of its busiest hosts (request counts from the host index first, so memory stays bounded).
   */
  private latencies(runKey: number, lo: number, hi: number): RunLatencies {
    // results.host is a hosts.id: counted by id over the (run, host) index, then named.
    const requests = new Map<string, number>()
    const nameOf = new Map<number, string>()
    for (const row of this.statement(
      `SELECT g.host AS id, h.name AS name, g.n AS n
       FROM (SELECT host, count(*) AS n FROM main.results WHERE run = ? GROUP BY host) g
       JOIN main.hosts h ON h.id = g.host`
    ).all(runKey)) {
      requests.set(str(row, 'name'), num(row, 'n'))
      nameOf.set(num(row, 'id'), str(row, 'name'))
    }
    const tracked = new Set(
      [...requests]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, MAX_COMPARED_HOSTS)
        .map(([host]) => host)
    )
    const all = new LogHistogram()
    const byId = new Map<number, LogHistogram | null>()
    // Arrays rather than an object per row: a third less time over 1,000,000 rows.
    const scan = this.host.db.prepare('SELECT host, total_ms FROM main.results WHERE rid BETWEEN ? AND ?')
    scan.setReturnArrays(true)
    for (const row of scan.iterate(lo, hi) as Iterable<SQLOutputValue[]>) {
      const ms = row[1]
      if (typeof ms !== 'number') continue
      all.record(ms)
      const id = Number(row[0])
      let h = byId.get(id)
      if (h === undefined) {
        const name = nameOf.get(id)
        h = name !== undefined && tracked.has(name) ? new LogHistogram() : null
        byId.set(id, h)
      }
      h?.record(ms)
    }
    const byHost = new Map<string, LogHistogram>()
    for (const [id, h] of byId) {
      const name = nameOf.get(id)
      if (h && name !== undefined) byHost.set(name, h)
    }
    let results = 0
    for (const n of requests.values()) results += n
    return { all, results, requests, byHost }
  }

  // ---- searching --------------------------------------------------------------------------------

  private selection(built: Built, kinds: readonly number[], needle: string): Float64Array {
    const key = JSON.stringify([kinds, needle])
    const hit = built.selections.get(key)
    if (hit) {
      built.selections.delete(key)
      built.selections.set(key, hit)
      return hit
    }
    // One JSON string rather than a row object per rowid (as result-queries.ts materialises).
    const row = this.statement(
      `SELECT json_group_array(rowid) AS ids FROM (SELECT rowid FROM ${built.table}
       WHERE kind IN (${kinds.join(', ')}) AND url LIKE ? ESCAPE '\\' ORDER BY rowid)`
    ).get(likePattern(needle))
    const selected = Float64Array.from(JSON.parse(row ? str(row, 'ids') : '[]') as number[])
    if (selected.length <= MAX_CACHED_SELECTED_ROWIDS) {
      built.selections.set(key, selected)
      built.selectedRowids += selected.length
      for (const [oldKey, old] of built.selections) {
        if (
          built.selections.size <= MAX_CACHED_SELECTIONS &&
          built.selectedRowids <= MAX_CACHED_SELECTED_ROWIDS
        )
          break
        built.selections.delete(oldKey)
        built.selectedRowids -= old.length
      }
    }
    return selected
  }

  // ---- internals ---------------------------------------------------------------------------------

  private evict(): void {
    for (const built of [...this.built.values()]) {
      if (this.built.size <= MAX_CACHED_COMPARISONS) return
      if (built.pins === 0) this.drop(built)
    }
  }

  private drop(built: Built): void {
    this.built.delete(built.key)
    this.exec(`DROP TABLE IF EXISTS ${built.table}`)
  }

  private requireKey(runId: string): number {
    const key = this.host.keyOf(runId)
    if (key === null)
      throw new ApiError('NOT_FOUND', `There is no run ${runId} to compare in ${this.host.path}.`)
    return key
  }

  private exec(sql: string): void {
    this.host.db.exec(sql)
  }

  /** Statements over TEMP tables are not cached: their names change with every build. */
  private statement(sql: string): StatementSync {
    return this.host.db.prepare(sql)
  }
}

interface RunLatencies {
  readonly all: LogHistogram
  readonly results: number
  /** Requests per host (every host of the run). */
  readonly requests: ReadonlyMap<string, number>
  /** Latencies of the busiest hosts. */
  readonly byHost: ReadonlyMap<string, LogHistogram>
}

/** Hosts of either run, most requests (both runs together) first, then by name. */
function hostDeltas(base: RunLatencies, other: RunLatencies): HostDelta[] {
  const totals = new Map<string, number>()
  for (const run of base === other ? [base] : [base, other]) {
    for (const [host, n] of run.requests) totals.set(host, (totals.get(host) ?? 0) + n)
  }
  const side = (run: RunLatencies, host: string): HostLatency | null => {
    const count = run.requests.get(host)
    if (count === undefined) return null
    const [p50, p95] = run.byHost.get(host)?.quantiles([0.5, 0.95]) ?? []
    return { count, p50: p50 ?? null, p95: p95 ?? null }
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, MAX_COMPARED_HOSTS)
    .map(([host]) => ({ host, base: side(base, host), other: side(other, host) }))
}

const inTransaction = (db: DatabaseSync): boolean => db.isTransaction

/** Indexes into CHANGE_KINDS, in that order; every kind when none is named. */
function selectedKinds(changes: readonly ChangeKind[]): number[] {
  if (changes.length === 0) return CHANGE_KINDS.map((_, i) => i)
  return [...new Set(changes.map((kind) => K[kind]))].sort((a, b) => a - b)
}

function decodeSide(row: Row, prefix: 'b' | 'o'): UrlSide | null {
  const id = row[`${prefix}_id`]
  if (id === null || id === undefined) return null
  const status = num(row, `${prefix}_status`)
  const code = row[`${prefix}_code`]
  return {
    id: Number(id),
    status: status === 0 ? null : status,
    ok: num(row, `${prefix}_ok`) === 1,
    errorCode: typeof code === 'string' ? (code as ErrorCode) : null,
    totalMs: num(row, `${prefix}_ms`)
  }
}

function decodeChange(row: Row): UrlChange {
  const kind = CHANGE_KINDS[num(row, 'kind')]
  if (kind === undefined) throw new Error(`Unknown change kind ${String(row['kind'])}`)
  return { url: str(row, 'url'), kind, base: decodeSide(row, 'b'), other: decodeSide(row, 'o') }
}
