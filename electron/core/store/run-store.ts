// Over 400 lines: the store's one facade; its queries, writers, aggregates and codecs live in files of their own.
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite'
import {
  unfilteredQuery,
  type ChangeKind,
  type ChangePage,
  type ChangeQuery,
  type ResultFacets,
  type ResultPage,
  type ResultQuery,
  type UrlChange
} from '../../../shared/api.ts'
import type { RequestResult } from '../../../shared/result.ts'
import { MEMORY_DATABASE, openDatabase, writerPragmas, type OpenDatabaseOptions } from './open-database.ts'
import { ResultAggregates, type RowSummary, type StoredFailureTally } from './result-aggregates.ts'
import { BlockCache, BROTLI_PARAMS, decodeBlock } from './result-blocks.ts'
import { decodeResult, num, RESULT_COLUMNS, str, type DetailJson, type Row } from './result-codec.ts'
import { ResultQueries } from './result-queries.ts'
import { RunComparisons, type StoredComparison } from './run-compare.ts'
import {
  createResultWriter,
  INSERTER_CONFIG,
  MAX_ROWS_PER_TRANSACTION,
  type ResultWriter,
  type ResultWriterOptions
} from './result-writer.ts'
import {
  decodeListEntry,
  decodeRun,
  RUN_LIST_COLUMNS,
  runInsert,
  runPatchSql,
  type NewRun,
  type RunListEntry,
  type RunOwner,
  type RunPatch,
  type StoredRun
} from './run-records.ts'
import { hostFigures, type StoredHostFigures } from './host-figures.ts'
import {
  countPendingRunUrls,
  decodeRunUrl,
  insertRunUrls,
  pendingRunUrls,
  runUrlOf,
  runUrlWindow,
  type Prepare,
  type RunUrl
} from './run-urls.ts'
import { ridOf, RID_SPAN } from './schema.ts'
import { createSearchIndexer, deleteRunSearch, DOC_ROWS, type SearchIndexer } from './search-index.ts'
import { toStoreError } from './store-error.ts'
import { settleWrites, WriterThread } from './writer-thread.ts'

/**
 * The run store: one SQLite file holding every run, its input URLs and its results. Synchronous,
 * like node:sqlite itself; one instance per process and file. Results arrive through
 * resultWriter() in batched transactions; the tables page through queryResults().
 */

export type OpenRunStoreOptions = OpenDatabaseOptions

/** Pages handed back to the file system right after a delete; the rest are reused by later runs. */
const VACUUM_PAGES_AFTER_DELETE = 16_384
/** Detail blocks (~200 results each) the search index takes in one transaction. */
const INDEX_BLOCKS_PER_STEP = 20
/** Decoded detail blocks kept for getResult (the detail panel steps through neighbours). */
const CACHED_BLOCKS = 8
/** An export reads results in id order; blocks hold results in finishing order, near enough. */
const ITERATION_CACHED_BLOCKS = 256

export function openRunStore(path: string, opts: OpenRunStoreOptions = {}): RunStore {
  return new RunStore(openDatabase(path, opts), path, opts.readonly === true, opts)
}

/**
 * A run store in this process's memory: where runs are kept while the run database cannot be
 * used (damaged, foreign, newer), so they page, filter, sort and search with the same SQL as
 * stored ones, and vanish when the process ends. Its writers insert on the calling thread (a
 * writer thread cannot reach another connection's memory).
 */
export function openMemoryRunStore(): RunStore {
  return openRunStore(MEMORY_DATABASE, { check: 'none' })
}

/** The WHERE clause of a write only the run's owner may make (its claim token is the parameter). */
const OWNED_BY = "json_extract(owner, '$.token') = ?"

const ridRange = (key: number): [number, number] => [ridOf(key, 0), ridOf(key, RID_SPAN - 1)]

export class RunStore {
  readonly path: string
  readonly readonly: boolean
  private readonly db: DatabaseSync
  private readonly queries: ResultQueries
  private readonly aggregates: ResultAggregates
  /** Per run key: bumped by every committed write of ours. */
  private readonly generations = new Map<number, number>()
  private readonly writers = new Map<ResultWriter, number>()
  private readonly dataVersion: StatementSync
  private readonly blocks = new BlockCache(CACHED_BLOCKS)
  private readonly prepare: Prepare = (sql) => this.queries.statement(sql)
  private readonly comparisons: RunComparisons
  private readonly opts: OpenRunStoreOptions
  /** Inserts the writers' batches; started by the first writer. */
  private writerThread: WriterThread | null = null
  private searchIndexer: SearchIndexer | null = null
  private closed = false

  constructor(db: DatabaseSync, path: string, readonly: boolean, opts: OpenRunStoreOptions = {}) {
    this.db = db
    this.opts = opts
    this.path = path
    this.readonly = readonly
    this.dataVersion = db.prepare('PRAGMA data_version')
    this.queries = new ResultQueries({ db, versionOf: (key) => this.versionOf(key) })
    this.aggregates = new ResultAggregates(this.queries)
    this.comparisons = new RunComparisons({
      db,
      path,
      keyOf: (runId) => this.keyOf(runId),
      versionOf: (key) => this.versionOf(key)
    })
  }

  /** True for openMemoryRunStore()'s store: nothing of it outlives the process. */
  get inMemory(): boolean {
    return this.path === MEMORY_DATABASE
  }

  /** Turns query caching off (the benchmark measures cold queries with it). */
  set queryCaching(on: boolean) {
    this.queries.caching = on
  }

  // ---- runs ------------------------------------------------------------------------------------

  /** Creates the run and stores its input URLs, in one transaction. */
  createRun(run: NewRun): void {
    this.assertWritable()
    if (this.keyOf(run.id) !== null) throw new Error(`A run with id ${run.id} already exists`)
    this.transaction('create a run in', () => {
      const insert = runInsert(run, Date.now())
      this.queries.statement(insert.sql).run(...insert.params)
      const key = this.keyOf(run.id)
      if (key === null) throw new Error(`run ${run.id} was not stored`)
      const urls = run.urls
      insertRunUrls(
        this.prepare,
        key,
        urls.length,
        (i) => i,
        (i) => urls[i] ?? ''
      )
    })
  }

  /**
   * Adds input URLs found while a run goes (a spider's frontier, with each URL's depth and the id
   * of the page it was found on); existing ids are kept.
   */
  addRunUrls(
    runId: string,
    entries: readonly (readonly [id: number, url: string, depth?: number, foundOn?: number | null])[]
  ): void {
    this.assertWritable()
    const key = this.requireKey(runId)
    this.transaction('add URLs to', () => {
      insertRunUrls(
        this.prepare,
        key,
        entries.length,
        (i) => entries[i]?.[0] ?? 0,
        (i) => entries[i]?.[1] ?? '',
        { depthAt: (i) => entries[i]?.[2] ?? 0, foundOnAt: (i) => entries[i]?.[3] ?? null }
      )
    })
  }

  /**
   * Appends list URLs read after the run was created (input streamed in batches): URL i gets id
   * firstId + i; one transaction per batch.
   */
  appendRunUrls(runId: string, firstId: number, urls: readonly string[]): void {
    this.assertWritable()
    const key = this.requireKey(runId)
    this.transaction('add URLs to', () => {
      insertRunUrls(
        this.prepare,
        key,
        urls.length,
        (i) => firstId + i,
        (i) => urls[i] ?? ''
      )
    })
  }

  /** The next window of input URLs after `afterId` (with `pendingOnly`, those without a result). */
  runUrlWindow(runId: string, afterId: number, limit: number, pendingOnly: boolean): RunUrl[] {
    const key = this.keyOf(runId)
    return key === null ? [] : runUrlWindow(this.prepare, key, afterId, limit, pendingOnly)
  }

  /** Input URLs without a result yet (what a resume has left), counted. */
  countPendingUrls(runId: string): number {
    const key = this.keyOf(runId)
    return key === null ? 0 : countPendingRunUrls(this.prepare, key)
  }

  /** The run's input URL with this id, or null. */
  runUrl(runId: string, id: number): string | null {
    const key = this.keyOf(runId)
    return key === null ? null : runUrlOf(this.prepare, key, id)
  }

  /**
   * Saves the given fields; false when there is no such run. With `ownedBy` (the owner's claim
   * token) only while that claim holds, and the save is also the owner's heartbeat: a process
   * that lost the run to another never overwrites it.
   */
  updateRun(runId: string, patch: RunPatch, ownedBy?: string): boolean {
    this.assertWritable()
    const now = Date.now()
    const { set, params } = runPatchSql(patch, now)
    if (ownedBy === undefined) return this.change(`UPDATE runs SET ${set} WHERE id = ?`, [...params, runId])
    return this.change(`UPDATE runs SET ${set}, heartbeat_at = ? WHERE id = ? AND ${OWNED_BY}`, [
      ...params,
      now,
      runId,
      ownedBy
    ])
  }

  /**
   * Makes `owner` the run's driver if the claim on it is still `expected` (null: nobody's), in one
   * statement, so of two processes claiming one run exactly one wins. False when it lost.
   */
  claimRun(runId: string, owner: RunOwner, expected: RunOwner | null): boolean {
    this.assertWritable()
    const now = Date.now()
    const claim = [JSON.stringify(owner), now, now, runId]
    return expected === null
      ? this.change(
          'UPDATE runs SET owner = ?, heartbeat_at = ?, updated_at = ? WHERE id = ? AND owner IS NULL',
          claim
        )
      : this.change(
          `UPDATE runs SET owner = ?, heartbeat_at = ?, updated_at = ? WHERE id = ? AND ${OWNED_BY}`,
          [...claim, expected.token]
        )
  }

  /** The owner still drives the run (about once a second); false when its claim no longer holds. */
  heartbeat(runId: string, token: string): boolean {
    this.assertWritable()
    return this.change(`UPDATE runs SET heartbeat_at = ? WHERE id = ? AND ${OWNED_BY}`, [
      Date.now(),
      runId,
      token
    ])
  }

  /** Saves the patch and lets go of the run, while the claim `token` holds; false when it did not. */
  releaseRun(runId: string, token: string, patch: RunPatch): boolean {
    this.assertWritable()
    const { set, params } = runPatchSql(patch, Date.now())
    return this.change(`UPDATE runs SET ${set}, owner = NULL WHERE id = ? AND ${OWNED_BY}`, [
      ...params,
      runId,
      token
    ])
  }

  renameRun(runId: string, name: string): boolean {
    return this.updateField('name', name, runId)
  }

  setNote(runId: string, note: string): boolean {
    return this.updateField('note', note, runId)
  }

  /** Deletes the run with its URLs and results; false when there is no such run. */
  deleteRun(runId: string): boolean {
    this.assertWritable()
    const key = this.keyOf(runId)
    if (key === null) return false
    for (const runKey of this.writers.values()) {
      if (runKey === key) throw new Error(`Run ${runId} is still being written: stop it before deleting it`)
    }
    const [lo, hi] = ridRange(key)
    this.transaction('delete a run from', () => {
      // Children first, by rowid range: faster than letting the cascade find them row by row.
      this.queries.statement('DELETE FROM results WHERE rid BETWEEN ? AND ?').run(lo, hi)
      this.queries.statement('DELETE FROM result_blocks WHERE bid BETWEEN ? AND ?').run(lo, hi)
      deleteRunSearch(this.prepare, key)
      this.queries.statement('DELETE FROM runs WHERE key = ?').run(key)
    })
    this.bump(key)
    this.blocks.clear()
    this.queries.invalidate()
    this.aggregates.invalidate()
    this.comparisons.clear()
    try {
      this.db.exec(`PRAGMA incremental_vacuum(${VACUUM_PAGES_AFTER_DELETE})`)
    } catch {
      // Space is reused by later runs anyway; a busy database is not a failed delete.
    }
    return true
  }

  /** Whether the run is here (cheaper than getRun: nothing is decoded). */
  hasRun(runId: string): boolean {
    return this.keyOf(runId) !== null
  }

  getRun(runId: string): StoredRun | null {
    const row = this.queries.statement('SELECT * FROM runs WHERE id = ?').get(runId)
    return row ? decodeRun(row) : null
  }

  /** Every run, newest first. */
  listRuns(): RunListEntry[] {
    return this.queries
      .statement(`SELECT ${RUN_LIST_COLUMNS} FROM runs ORDER BY created_at DESC, key DESC`)
      .all()
      .map(decodeListEntry)
  }

  /** The run's input URLs in id order, streamed (re-run with the same URLs, exports). */
  *iterateRunUrls(runId: string): Generator<RunUrl> {
    const key = this.keyOf(runId)
    if (key === null) return
    for (const row of this.db
      .prepare('SELECT id, url, depth, found_on FROM run_urls WHERE run = ? ORDER BY id')
      .iterate(key)) {
      yield decodeRunUrl(row)
    }
  }

  /** Input URLs without a result yet: what a resume fetches (with a spider's depths), in id order. */
  pendingUrls(runId: string): RunUrl[] {
    const key = this.keyOf(runId)
    if (key === null) return []
    return pendingRunUrls(this.prepare, key)
  }

  // ---- results ---------------------------------------------------------------------------------

  resultWriter(runId: string, opts?: ResultWriterOptions): ResultWriter {
    this.assertWritable()
    const key = this.requireKey(runId)
    const writer = createResultWriter(
      {
        db: this.db,
        path: this.path,
        thread: () => this.thread(),
        onCommitted: (runKey) => {
          this.bump(runKey)
        },
        onClosed: (w) => this.writers.delete(w)
      },
      key,
      this.inMemory ? { ...opts, thread: 'caller' } : opts
    )
    this.writers.set(writer, key)
    return writer
  }

  countResults(runId: string): number {
    const key = this.keyOf(runId)
    if (key === null) return 0
    return this.queries.count(key, this.versionOf(key), unfilteredQuery(runId, { limit: 1 }))
  }

  queryResults(query: ResultQuery): ResultPage {
    const key = this.keyOf(query.runId)
    if (key === null) return { total: 0, offset: query.offset, rows: [] }
    return this.reading(() => this.queries.page(key, query))
  }

  getResultFacets(runId: string): ResultFacets {
    const key = this.keyOf(runId)
    if (key === null) return { statuses: [], errorCodes: [], hosts: [], depths: [] }
    return this.reading(() => this.aggregates.facets(key, this.versionOf(key)))
  }

  getResult(runId: string, id: number): RequestResult | null {
    const key = this.keyOf(runId)
    if (key === null || !Number.isInteger(id) || id < 0 || id >= RID_SPAN) return null
    const row = this.queries
      .statement(`SELECT ${RESULT_COLUMNS} FROM results WHERE rid = ?`)
      .get(ridOf(key, id))
    return row ? decodeResult(row, this.detailOf(row, this.blocks)) : null
  }

  /** Failed results per error code with sample URLs, hosts and statuses; most frequent first. */
  failureCounts(runId: string): StoredFailureTally[] {
    const key = this.keyOf(runId)
    if (key === null) return []
    return this.reading(() => this.aggregates.failureTallies(key, this.versionOf(key)))
  }

  /** Results, ok and p50/p95 per host, the busiest `maxHosts` hosts first (the hosts view). */
  hostFigures(runId: string, maxHosts = 500): StoredHostFigures[] {
    const key = this.keyOf(runId)
    if (key === null) return []
    const [lo, hi] = ridRange(key)
    return this.reading(() => hostFigures(this.db, lo, hi, maxHosts))
  }

  /** Every result in id order, streamed: an export of 1,000,000 rows never holds them all. */
  *iterateResults(runId: string, _order: 'id' = 'id'): Generator<RequestResult> {
    const key = this.keyOf(runId)
    if (key === null) return
    const [lo, hi] = ridRange(key)
    const stmt = this.db.prepare(
      `SELECT ${RESULT_COLUMNS} FROM results WHERE rid BETWEEN ? AND ? ORDER BY rid`
    )
    const blocks = new BlockCache(ITERATION_CACHED_BLOCKS)
    for (const row of stmt.iterate(lo, hi)) yield decodeResult(row, this.detailOf(row, blocks))
  }

  /** Counts recomputed from the rows, to check that a stored summary matches them. */
  summaryFromRows(runId: string): RowSummary {
    const key = this.keyOf(runId)
    if (key === null) return { done: 0, ok: 0, failed: 0, retries: 0, bytes: 0, byStatus: {}, byError: {} }
    return this.reading(() => this.aggregates.summary(key))
  }

  // ---- comparing two runs ------------------------------------------------------------------------

  /**
   * Two runs side by side (histograms, latency figures, hosts, change counts), matched by URL; see
   * run-compare.ts. Throws an ApiError NOT_FOUND naming the id of a run that is not stored.
   */
  compareRuns(baseRunId: string, otherRunId: string): StoredComparison {
    return this.comparisons.compare(baseRunId, otherRunId)
  }

  /** A page of changed URLs, in CHANGE_KINDS order, then by URL. */
  queryChanges(query: ChangeQuery): ChangePage {
    return this.comparisons.page(query)
  }

  /** Every selected change in the order queryChanges pages them, streamed (exports). */
  *iterateChanges(
    baseRunId: string,
    otherRunId: string,
    changes: readonly ChangeKind[] = [],
    search = ''
  ): Generator<UrlChange> {
    yield* this.comparisons.iterate(baseRunId, otherRunId, changes, search)
  }

  // ---- the search index --------------------------------------------------------------------------

  /**
   * Indexes every result not in the search index yet, on this connection, and returns how many
   * detail blocks that took. The writer thread does this by itself while it has nothing to write
   * (search-index.ts); this is for a caller that wants it done now (the benchmark, tests, a store
   * whose writers write on the calling thread). Searches give the same rows either way.
   */
  buildSearchIndex(): number {
    this.assertWritable()
    settleWrites(this.path)
    this.searchIndexer ??= createSearchIndexer(this.db, DOC_ROWS)
    let blocks = 0
    for (
      let step = this.searchIndexer(INDEX_BLOCKS_PER_STEP);
      step > 0;
      step = this.searchIndexer(INDEX_BLOCKS_PER_STEP)
    ) {
      blocks += step
    }
    return blocks
  }

  // ---- the file ----------------------------------------------------------------------------------

  /** 'ok', or SQLite's list of problems. Reads the whole file: seconds for a large one. */
  integrityCheck(): string {
    return this.db
      .prepare('PRAGMA integrity_check')
      .all()
      .map((row) => String(Object.values(row)[0]))
      .join('\n')
  }

  /**
   * Writes what writers still hold, folds the WAL into the file and closes. When a writer's last
   * batch cannot be written, throws and stays open, so the caller can retry instead of losing it.
   */
  close(): void {
    if (this.closed) return
    let failure: Error | null = null
    for (const writer of [...this.writers.keys()]) {
      try {
        writer.close()
      } catch (error) {
        failure ??= error as Error
      }
    }
    if (failure) throw failure
    // Its connection closes first, so the checkpoint below can fold the whole WAL in.
    this.writerThread?.close()
    this.writerThread = null
    try {
      if (!this.readonly) this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    } catch {
      // Another connection is reading: the WAL is folded in by whoever closes last.
    }
    this.db.close()
    this.closed = true
  }

  // ---- internals ---------------------------------------------------------------------------------

  private detailOf(row: Row, cache: BlockCache): DetailJson {
    const bid = num(row, 'block')
    const block = cache.get(bid, () => {
      const data = this.queries.statement('SELECT codec, data FROM result_blocks WHERE bid = ?').get(bid)
      const bytes = data?.['data']
      if (!data || !(bytes instanceof Uint8Array)) throw new Error(`Result block ${bid} is missing`)
      return decodeBlock(str(data, 'codec'), bytes)
    })
    const detail = block[num(row, 'slot')]
    if (!detail) throw new Error(`Result block ${bid} has no slot ${num(row, 'slot')}`)
    return detail
  }

  private versionOf(key: number): string {
    const row = this.dataVersion.get()
    return `${this.generations.get(key) ?? 0}:${row ? num(row, 'data_version') : 0}`
  }

  private thread(): WriterThread {
    this.writerThread ??= new WriterThread({
      path: this.path,
      pragmas: writerPragmas(this.opts),
      config: INSERTER_CONFIG,
      brotli: BROTLI_PARAMS,
      maxRowsPerTransaction: MAX_ROWS_PER_TRANSACTION,
      docRows: DOC_ROWS
    })
    this.writerThread.start()
    return this.writerThread
  }

  private bump(key: number): void {
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1)
  }

  private keyOf(runId: string): number | null {
    // Every read starts here: it first waits for batches handed to a writer thread (not inside a
    // transaction of ours, which the thread would wait for in turn).
    if (!this.db.isTransaction) settleWrites(this.path)
    const row = this.queries.statement('SELECT key FROM runs WHERE id = ?').get(runId)
    return row ? num(row, 'key') : null
  }

  private requireKey(runId: string): number {
    const key = this.keyOf(runId)
    if (key === null) throw new Error(`There is no run ${runId} in ${this.path}`)
    return key
  }

  private updateField(column: 'name' | 'note', value: string, runId: string): boolean {
    this.assertWritable()
    return this.change(`UPDATE runs SET ${column} = ?, updated_at = ? WHERE id = ?`, [
      value,
      Date.now(),
      runId
    ])
  }

  private change(sql: string, params: SQLInputValue[]): boolean {
    try {
      return Number(this.queries.statement(sql).run(...params).changes) > 0
    } catch (error) {
      throw toStoreError(error, this.path, 'update a run in')
    }
  }

  /**
   * Runs several reads on one snapshot: a page's total and rows, or a summary's counts, then agree
   * even while another process commits results.
   */
  private reading<T>(body: () => T): T {
    if (this.db.isTransaction) return body()
    this.db.exec('BEGIN')
    try {
      return body()
    } finally {
      this.db.exec('COMMIT')
    }
  }

  private transaction(doing: string, body: () => void): void {
    this.db.exec('BEGIN IMMEDIATE')
    try {
      body()
      this.db.exec('COMMIT')
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK')
      if (error instanceof Error && !('errcode' in error)) throw error
      throw toStoreError(error, this.path, doing)
    }
  }

  private assertWritable(): void {
    if (this.closed) throw new Error(`The run store ${this.path} is closed`)
    if (this.readonly) throw new Error(`The run store ${this.path} was opened read-only`)
  }
}
