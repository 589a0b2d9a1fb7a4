import type { SQLInputValue, StatementSync } from 'node:sqlite'
import { num, str } from './result-codec.ts'
import { ridOf } from './schema.ts'

/**
 * A run's input list (run_urls): written once when the run is created (and by a spider as it finds
 * URLs), read back to resume: the URLs that have no result yet.
 */

/** URLs per INSERT statement: a statement call per URL costs more than the insert itself. */
const URL_CHUNK = 200

export type Prepare = (sql: string) => StatementSync

/** Inserts n URLs, the i-th with id idAt(i); existing ids are kept. Call within a transaction. */
export function insertRunUrls(
  prepare: Prepare,
  runKey: number,
  n: number,
  idAt: (i: number) => number,
  urlAt: (i: number) => string
): void {
  const insert = (rows: number): StatementSync =>
    prepare(
      `INSERT INTO run_urls (run, id, url) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?)').join(', ')}
       ON CONFLICT DO NOTHING`
    )
  const params: SQLInputValue[] = []
  let i = 0
  if (n >= URL_CHUNK) {
    const chunk = insert(URL_CHUNK)
    for (; i + URL_CHUNK <= n; i += URL_CHUNK) {
      params.length = 0
      for (let k = i; k < i + URL_CHUNK; k++) params.push(runKey, idAt(k), urlAt(k))
      chunk.run(...params)
    }
  }
  const one = insert(1)
  for (; i < n; i++) one.run(runKey, idAt(i), urlAt(i))
}

/** Input URLs without a result, in id order: one rowid probe of results per URL. */
export function pendingRunUrls(prepare: Prepare, runKey: number): { id: number; url: string }[] {
  return prepare(
    `SELECT u.id AS id, u.url AS url FROM run_urls u WHERE u.run = ?
     AND NOT EXISTS (SELECT 1 FROM results r WHERE r.rid = ? + u.id) ORDER BY u.id`
  )
    .all(runKey, ridOf(runKey, 0))
    .map((row) => ({ id: num(row, 'id'), url: str(row, 'url') }))
}
