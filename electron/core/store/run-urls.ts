import type { SQLInputValue, SQLOutputValue, StatementSync } from 'node:sqlite'
import { num, str } from './result-codec.ts'
import { ridOf } from './schema.ts'

/**
 * A run's input list (run_urls): written once when the run is created (and by a spider as it finds
 * URLs), read back to resume: the URLs that have no result yet.
 */

/** URLs per INSERT statement: a statement call per URL costs more than the insert itself. */
const URL_CHUNK = 200

export type Prepare = (sql: string) => StatementSync

/** A run URL as stored: a spider's found URLs carry their depth and the page they were found on. */
export interface RunUrl {
  readonly id: number
  readonly url: string
  /** 0 for list URLs, seeds and sitemap URLs. */
  readonly depth: number
  readonly foundOn: number | null
}

/**
 * Inserts n URLs, the i-th with id idAt(i) and, for a spider's finds, depthAt(i) and foundOnAt(i);
 * existing ids are kept. Call within a transaction. Without depths (a list, a run's seeds) the
 * columns keep their defaults: three values per row instead of five over a million-URL list.
 */
export function insertRunUrls(
  prepare: Prepare,
  runKey: number,
  n: number,
  idAt: (i: number) => number,
  urlAt: (i: number) => string,
  found?: { readonly depthAt: (i: number) => number; readonly foundOnAt: (i: number) => number | null }
): void {
  const columns = found ? '(run, id, url, depth, found_on)' : '(run, id, url)'
  const row = found ? '(?, ?, ?, ?, ?)' : '(?, ?, ?)'
  const insert = (rows: number): StatementSync =>
    prepare(
      `INSERT INTO run_urls ${columns} VALUES ${Array.from({ length: rows }, () => row).join(', ')}
       ON CONFLICT DO NOTHING`
    )
  const push = (params: SQLInputValue[], k: number): void => {
    params.push(runKey, idAt(k), urlAt(k))
    if (found) params.push(found.depthAt(k), found.foundOnAt(k))
  }
  const params: SQLInputValue[] = []
  let i = 0
  if (n >= URL_CHUNK) {
    const chunk = insert(URL_CHUNK)
    for (; i + URL_CHUNK <= n; i += URL_CHUNK) {
      params.length = 0
      for (let k = i; k < i + URL_CHUNK; k++) push(params, k)
      chunk.run(...params)
    }
  }
  const one = insert(1)
  for (; i < n; i++) {
    params.length = 0
    push(params, i)
    one.run(...params)
  }
}

export function decodeRunUrl(row: Record<string, SQLOutputValue>): RunUrl {
  const foundOn = row['found_on']
  return {
    id: num(row, 'id'),
    url: str(row, 'url'),
    depth: num(row, 'depth'),
    foundOn: typeof foundOn === 'number' ? foundOn : null
  }
}

/** Input URLs without a result, in id order: one rowid probe of results per URL. */
export function pendingRunUrls(prepare: Prepare, runKey: number): RunUrl[] {
  return prepare(
    `SELECT u.id AS id, u.url AS url, u.depth AS depth, u.found_on AS found_on FROM run_urls u WHERE u.run = ?
     AND NOT EXISTS (SELECT 1 FROM results r WHERE r.rid = ? + u.id) ORDER BY u.id`
  )
    .all(runKey, ridOf(runKey, 0))
    .map(decodeRunUrl)
}

/**
 * Up to `limit` input URLs with an id above `afterId`, in id order: the next window a list run
 * fetches. With `pendingOnly` (a resume), only those without a result yet. Each window is one
 * range scan of the (run, id) key, so a run of a million URLs never holds more than a window.
 */
export function runUrlWindow(
  prepare: Prepare,
  runKey: number,
  afterId: number,
  limit: number,
  pendingOnly: boolean
): RunUrl[] {
  const pending = pendingOnly ? 'AND NOT EXISTS (SELECT 1 FROM results r WHERE r.rid = ? + u.id)' : ''
  const stmt = prepare(
    `SELECT u.id AS id, u.url AS url, u.depth AS depth, u.found_on AS found_on FROM run_urls u
     WHERE u.run = ? AND u.id > ? ${pending} ORDER BY u.id LIMIT ?`
  )
  const rows = pendingOnly
    ? stmt.all(runKey, afterId, ridOf(runKey, 0), limit)
    : stmt.all(runKey, afterId, limit)
  return rows.map(decodeRunUrl)
}

/** Input URLs without a result: what a resume has left to fetch. */
export function countPendingRunUrls(prepare: Prepare, runKey: number): number {
  const row = prepare(
    `SELECT count(*) AS n FROM run_urls u WHERE u.run = ?
     AND NOT EXISTS (SELECT 1 FROM results r WHERE r.rid = ? + u.id)`
  ).get(runKey, ridOf(runKey, 0))
  return row ? num(row, 'n') : 0
}

/** The input URL with this id, or null. */
export function runUrlOf(prepare: Prepare, runKey: number, id: number): string | null {
  const row = prepare('SELECT url FROM run_urls WHERE run = ? AND id = ?').get(runKey, id)
  return row ? str(row, 'url') : null
}
