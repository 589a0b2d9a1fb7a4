import type { DatabaseSync, StatementSync } from 'node:sqlite'
import type { RequestResult } from '../../../shared/result.ts'
import { BLOCK_SIZE, encodeBlock } from './result-blocks.ts'
import {
  assertResultId,
  BLOCK_INSERT_SQL,
  detailOf,
  num,
  RESULT_INSERT_SQL,
  resultParams
} from './result-codec.ts'
import { ridOf, RID_SPAN } from './schema.ts'
import { toStoreError } from './store-error.ts'

/**
 * Batches finished results into one transaction per batch: by count (maxBatch) or by age (the
 * oldest pending result waits at most maxDelayMs), whichever comes first. Statements are prepared
 * once and reused; one commit per batch means each WAL page a batch dirties is written once for the
 * whole batch (a commit per row would write the same index and table pages again for every row).
 *
 * A failed batch is rolled back and stays pending, so nothing is lost: the next flush retries it.
 * Failures of flushes nobody called directly (the timer, a full batch inside add()) go to onError;
 * flush() and close() throw.
 */

export interface ResultWriterOptions {
  /** Rows per transaction. */
  readonly maxBatch?: number
  /** Longest a result waits before its batch is written. */
  readonly maxDelayMs?: number
  /** Errors of writes that happen outside flush()/close(); the rows stay pending. */
  readonly onError?: (error: Error) => void
}

export interface ResultWriter {
  add(result: RequestResult): void
  /** Writes everything pending now; throws a StoreError (rows kept) when the write fails. */
  flush(): void
  /** Flushes and stops; add() afterwards throws. */
  close(): void
  readonly pending: number
}

export const DEFAULT_MAX_BATCH = 1_000
export const DEFAULT_MAX_DELAY_MS = 100

export interface WriterHost {
  readonly db: DatabaseSync
  readonly path: string
  /** Called after each committed batch: the run's rows changed (query caches key on it). */
  readonly onCommitted: (runKey: number) => void
  /** Called by close(), so the store stops tracking this writer. */
  readonly onClosed: (writer: ResultWriter) => void
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
  // Prepared once per writer and reused for every row of every batch.
  const insertResult: StatementSync = host.db.prepare(RESULT_INSERT_SQL)
  const insertBlock: StatementSync = host.db.prepare(BLOCK_INSERT_SQL)
  const lastBlock: StatementSync = host.db.prepare(
    'SELECT max(bid) AS bid FROM result_blocks WHERE bid BETWEEN ? AND ?'
  )
  const firstBid = ridOf(runKey, 0)
  const lastBid = ridOf(runKey, RID_SPAN - 1)
  let buffer: RequestResult[] = []
  let timer: NodeJS.Timeout | null = null
  let closed = false
  /** The last write failed: retry on the timer, not on every add(). */
  let failing = false

  const clearTimer = (): void => {
    if (timer !== null) clearTimeout(timer)
    timer = null
  }

  const write = (): void => {
    clearTimer()
    if (buffer.length === 0) return
    const batch = buffer
    const db = host.db
    try {
      // IMMEDIATE: the block numbers read below stay ours until COMMIT, whoever else writes.
      db.exec('BEGIN IMMEDIATE')
      const last = lastBlock.get(firstBid, lastBid)?.['bid']
      let bid = last === null || last === undefined ? firstBid : num({ last }, 'last') + 1
      // Id order within the batch puts neighbours (what an export reads together) in one block.
      const sorted = [...batch].sort((a, b) => a.id - b.id)
      for (let i = 0; i < sorted.length; i += BLOCK_SIZE, bid++) {
        const chunk = sorted.slice(i, i + BLOCK_SIZE)
        insertBlock.run(bid, runKey, 'br', chunk.length, encodeBlock(chunk.map(detailOf)))
        for (let slot = 0; slot < chunk.length; slot++) {
          const r = chunk[slot]
          if (r) insertResult.run(...resultParams(runKey, r, bid, slot))
        }
      }
      db.exec('COMMIT')
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK')
      throw toStoreError(error, host.path, 'write results to')
    }
    buffer = []
    failing = false
    host.onCommitted(runKey)
  }

  const writeReporting = (): void => {
    try {
      write()
    } catch (error) {
      failing = true
      onError(error as Error)
      // Retry later rather than on every add(): a full disk does not clear in a millisecond.
      arm()
    }
  }

  const arm = (): void => {
    if (timer !== null || closed) return
    timer = setTimeout(writeReporting, maxDelayMs)
    // A pending flush must not keep a CLI process alive; close() writes what is left.
    timer.unref()
  }

  const writer: ResultWriter = {
    add(result) {
      if (closed) throw new Error('This result writer is closed')
      assertResultId(result.id)
      buffer.push(result)
      if (buffer.length >= maxBatch && !failing) writeReporting()
      else arm()
    },
    flush() {
      write()
    },
    close() {
      if (closed) return
      write()
      closed = true
      clearTimer()
      host.onClosed(writer)
    },
    get pending() {
      return buffer.length
    }
  }
  return writer
}
