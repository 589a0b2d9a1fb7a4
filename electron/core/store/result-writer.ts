import type { DatabaseSync } from 'node:sqlite'
import type { RequestResult } from '../../../shared/result.ts'
import { createBatchInserter, type InserterConfig } from './batch-insert.ts'
import { encodeBatch, type EncodedBatch } from './result-batch.ts'
import { BLOCK_SIZE, compressDetails } from './result-blocks.ts'
import { assertResultId, BLOCK_INSERT_SQL, resultInsertSql } from './result-codec.ts'
import { toStoreError } from './store-error.ts'
import { answerError, type WriterThread } from './writer-thread.ts'

/**
 * Batches finished results: by count (maxBatch) or by age (the oldest pending result waits at most
 * maxDelayMs), whichever comes first. A batch is committed whole, in one transaction (alone or
 * with a few others queued with it): each WAL page it dirties is written once for all its rows.
 *
 * By default a batch is inserted by the store's writer thread (writer-thread.ts): add() only
 * appends to a buffer, and handing a full batch over costs its encoding (result-batch.ts), a
 * fraction of the insert. Up to MAX_IN_FLIGHT batches are out at once, so batches are encoded
 * while the thread inserts earlier ones, and the thread commits a few queued batches together
 * (MAX_ROWS_PER_TRANSACTION). Beyond that, results wait in the buffer; when MAX_BACKLOG_BATCHES
 * are waiting, add() blocks until the thread has caught up. Memory stays bounded, and a crash
 * (SIGKILL included) loses only what was not committed yet: at most MAX_IN_FLIGHT batches out
 * (under a steady load, one or two: each is committed within milliseconds) and the results of
 * the last maxDelayMs. Whole batches, never part of one.
 *
 * A failed batch is rolled back and its results go back to the buffer, so nothing is lost: the next
 * flush (or the timer, maxDelayMs later) retries it. Failures nobody waited for (the thread's
 * answer to a full batch or a due one) go to onError; flush() and close() wait and throw.
 *
 * Visibility: every read through a RunStore of this process waits for the batches already handed
 * over on that file (settleWrites), so a batch add() handed over is seen by any reader here, as
 * when writes were synchronous. Other processes see it once committed, milliseconds later.
 */

export interface ResultWriterOptions {
  /** Rows per batch. */
  readonly maxBatch?: number
  /** Longest a result waits before its batch is written. */
  readonly maxDelayMs?: number
  /** Errors of writes that happen outside flush()/close(); the rows stay pending. */
  readonly onError?: (error: Error) => void
  /**
   * Where batches are inserted: the store's writer thread ('worker', the default), or the calling
   * thread ('caller': each full batch blocks add() for its whole insert; the benchmark compares).
   */
  readonly thread?: 'worker' | 'caller'
}

export interface ResultWriter {
  add(result: RequestResult): void
  /** Writes everything pending now; throws a StoreError (rows kept) when the write fails. */
  flush(): void
  /** Flushes and stops; add() afterwards throws. */
  close(): void
  /** Results not committed yet (buffered, or handed over and not answered). */
  readonly pending: number
}

export const DEFAULT_MAX_BATCH = 1_000
export const DEFAULT_MAX_DELAY_MS = 100
/** Batches' worth of results that may wait in the buffer while MAX_IN_FLIGHT are out: then add() blocks. */
export const MAX_BACKLOG_BATCHES = 8
/** Batches handed to the writer thread and not answered yet, at most. */
export const MAX_IN_FLIGHT = 8
/**
 * The writer thread adds queued batches to a transaction while it has fewer rows than this, i.e.
 * up to half of MAX_IN_FLIGHT full batches: commits are few, and while one transaction is
 * written the other half stays queued, so the thread never waits for the calling thread to encode
 * the next batch. (Taking every queued batch, or handing over the whole backlog as one batch,
 * left the thread idle ~20% of the time under load: it waited for the next one to be encoded.)
 */
export const MAX_ROWS_PER_TRANSACTION = (DEFAULT_MAX_BATCH * MAX_IN_FLIGHT) / 2

/**
 * Rows per INSERT statement: one statement call per row costs ~1 µs more per row than the insert
 * itself does (binding, stepping and resetting per call); 20 rows a call divides a block of 200.
 */
const ROWS_PER_INSERT = 20

export const INSERTER_CONFIG: InserterConfig = {
  resultSql: resultInsertSql(1),
  resultsSql: resultInsertSql(ROWS_PER_INSERT),
  rowsPerInsert: ROWS_PER_INSERT,
  blockSql: BLOCK_INSERT_SQL,
  blockSize: BLOCK_SIZE,
  codec: 'br2'
}

export interface WriterHost {
  readonly db: DatabaseSync
  readonly path: string
  /** The store's writer thread, started on first use. */
  readonly thread: () => WriterThread
  /** Called after each committed batch: the run's rows changed (query caches key on it). */
  readonly onCommitted: (runKey: number) => void
  /** Called by close(), so the store stops tracking this writer. */
  readonly onClosed: (writer: ResultWriter) => void
}

/** Where encoded batches go: `done` is called once per batch, with null when it was committed. */
interface BatchSink {
  write(batch: EncodedBatch, done: (error: Error | null) => void): void
  /** Takes answers that have arrived, without waiting. */
  poll(): void
  /** Blocks, taking answers, until `done()` or every batch written so far is answered. */
  waitUntil(done: () => boolean): void
}

function callerSink(db: DatabaseSync): BatchSink {
  const insert = createBatchInserter(db, compressDetails, INSERTER_CONFIG)
  return {
    write(batch, done) {
      let failure: Error | null = null
      try {
        insert([batch])
      } catch (error) {
        failure = error as Error
      }
      done(failure)
    },
    poll() {},
    waitUntil() {}
  }
}

function threadSink(thread: WriterThread): BatchSink {
  return {
    write(batch, done) {
      thread.write(batch, (answer) => {
        done(answer.ok ? null : answerError(answer.error))
      })
    },
    poll() {
      thread.poll()
    },
    waitUntil(done) {
      thread.waitUntil(done)
    }
  }
}

export function createResultWriter(
  host: WriterHost,
  runKey: number,
  opts: ResultWriterOptions = {}
): ResultWriter {
  const maxBatch = Math.max(1, Math.floor(opts.maxBatch ?? DEFAULT_MAX_BATCH))
  const maxDelayMs = Math.max(0, opts.maxDelayMs ?? DEFAULT_MAX_DELAY_MS)
  const onError =
    opts.onError ??
    ((error: Error) => {
      console.error('[store] a batch of results was not written yet; it stays pending and is retried', error)
    })
  const sink = opts.thread === 'caller' ? callerSink(host.db) : threadSink(host.thread())
  let buffer: RequestResult[] = []
  /** Batches handed over and not answered yet. */
  const inflight = new Set<RequestResult[]>()
  let inflightRows = 0
  let timer: NodeJS.Timeout | null = null
  /** The buffer's oldest result has waited maxDelayMs. */
  let due = false
  /** The last write failed: retry on the timer, not on every add(). */
  let failing = false
  let closed = false
  /** Inside flush(): a failure is thrown there rather than reported. */
  let flushing = false
  let flushError: Error | null = null

  /** Set by answered() while flush() waits (a closure TypeScript's narrowing cannot see into). */
  const takeFlushError = (): Error | null => flushError

  const clearTimer = (): void => {
    if (timer !== null) clearTimeout(timer)
    timer = null
  }

  const arm = (): void => {
    if (timer !== null || closed) return
    timer = setTimeout(() => {
      timer = null
      due = true
      failing = false
      pump()
    }, maxDelayMs)
    // A pending flush must not keep a CLI process alive; close() writes what is left.
    timer.unref()
  }

  const answered = (batch: RequestResult[], error: Error | null): void => {
    inflight.delete(batch)
    inflightRows -= batch.length
    if (error) {
      buffer = batch.concat(buffer)
      failing = true
      const failure = toStoreError(error, host.path, 'write results to')
      if (flushing) flushError ??= failure
      else onError(failure)
      // Retry later rather than at once: a full disk or a held lock does not clear in a millisecond.
      arm()
      return
    }
    failing = false
    host.onCommitted(runKey)
    if (!flushing) pump()
  }

  const handOff = (n: number): void => {
    const batch = n === buffer.length ? buffer : buffer.slice(0, n)
    buffer = n === buffer.length ? [] : buffer.slice(n)
    due = false
    clearTimer()
    if (buffer.length > 0) arm()
    inflight.add(batch)
    inflightRows += batch.length
    sink.write(encodeBatch(runKey, batch, compressDetails), (error) => {
      answered(batch, error)
    })
  }

  /** Hands over what is due, a batch at a time, while fewer than MAX_IN_FLIGHT are out. */
  const pump = (): void => {
    while (inflight.size < MAX_IN_FLIGHT && !failing && buffer.length > 0) {
      if (buffer.length >= maxBatch) handOff(maxBatch)
      else if (due) handOff(buffer.length)
      else return
    }
  }

  const writer: ResultWriter = {
    add(result) {
      if (closed) throw new Error('This result writer is closed')
      assertResultId(result.id)
      buffer.push(result)
      if (buffer.length === 1) arm()
      if (buffer.length < maxBatch || failing) return
      if (inflight.size >= MAX_IN_FLIGHT) {
        sink.poll()
        // Too much waiting: block until one batch is answered (not all: the thread then has the
        // other to insert while this one is encoded).
        if (inflight.size >= MAX_IN_FLIGHT && buffer.length >= maxBatch * MAX_BACKLOG_BATCHES) {
          sink.waitUntil(() => inflight.size < MAX_IN_FLIGHT)
        }
      }
      pump()
    },
    flush() {
      flushing = true
      flushError = null
      try {
        for (;;) {
          sink.waitUntil(() => inflight.size === 0)
          const failure = takeFlushError()
          if (failure) throw failure
          if (buffer.length === 0) return
          failing = false
          handOff(buffer.length)
        }
      } finally {
        flushing = false
        flushError = null
      }
    },
    close() {
      if (closed) return
      writer.flush()
      closed = true
      clearTimer()
      host.onClosed(writer)
    },
    get pending() {
      return buffer.length + inflightRows
    }
  }
  return writer
}
