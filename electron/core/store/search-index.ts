import type { DatabaseSync } from 'node:sqlite'
import type { Prepare } from './run-urls.ts'
import { ridOf, RID_SPAN } from './schema.ts'

/**
 * The tables' text search index (schema version 7): SQLite's FTS5 with its trigram tokenizer,
 * used as a filter that narrows a search to a few rid ranges. The search itself keeps its meaning
 * exactly: the rows in those ranges are still matched with LIKE (result-queries.ts), so what a
 * search finds is what a scan of every row found, only sooner.
 *
 * - A document is the text (URL, title, final URL, error message) of up to DOC_ROWS neighbouring
 *   rows of one detail block, and search_docs keeps the rid range it spans. One document per row
 *   would make the index ~130 bytes a result; 16 rows share most of their trigrams (a host, a
 *   path's words, "?ref=crawl"), which brings it to ~30–40 bytes a result, for at most 15 extra
 *   rows checked per range found.
 * - detail=none and content='': only which documents hold a trigram is stored, not where, and no
 *   copy of the text (the rows have it). That is why a search asks for its trigrams ANDed, not as
 *   a phrase, and why the LIKE check cannot be left out. contentless_delete lets deleteRun remove
 *   a run's documents.
 * - Superset, so LIKE decides: the trigram tokenizer folds case for all of Unicode, LIKE for ASCII
 *   letters only; a document is several rows and fields end to end, so trigrams may span two of
 *   them; a result written twice keeps its old document. Each can only add candidates, never lose
 *   one: a row whose field contains the needle holds every trigram of it.
 * - Built after the rows, not with them: tokenising costs ~5 µs a row, as much as the insert
 *   itself, so the writer thread indexes detail blocks in id order while no batch is waiting
 *   (writer-thread.ts), and search_progress says per run up to which block. A search scans the
 *   ranges of the blocks not indexed yet (result_blocks.lo/hi), so a live run's newest results
 *   are found too, only not through the index.
 * - A needle of fewer than 3 characters has no trigram: it scans the run as before (searchRanges
 *   returns null). One- and two-letter searches match a large share of rows anyway.
 */

/** Rows a search document holds, at most. */
export const DOC_ROWS = 16

/** Indexes up to `maxBlocks` detail blocks in one transaction; returns how many it indexed (0: done). */
export type SearchIndexer = (maxBlocks: number) => number

/**
 * Must stay self-contained, like createBatchInserter: the writer thread runs it from its source
 * text. No imports used at run time, no module-level names.
 */
export function createSearchIndexer(db: DatabaseSync, docRows: number): SearchIndexer {
  const span = 2 ** 32
  const runs = db.prepare('SELECT key FROM runs ORDER BY key')
  const progressOf = db.prepare('SELECT block FROM search_progress WHERE run = ?')
  const blocksAfter = db.prepare(
    'SELECT bid, lo, hi FROM result_blocks WHERE bid > ? AND bid < ? ORDER BY bid LIMIT ?'
  )
  const rowsOf = db.prepare(
    `SELECT rid, url, title, final_url, error_message FROM results
     WHERE rid BETWEEN ? AND ? AND block = ? ORDER BY rid`
  )
  const lastDoc = db.prepare('SELECT max(doc) AS doc FROM search_docs WHERE doc BETWEEN ? AND ?')
  const insertText = db.prepare('INSERT INTO result_search (rowid, text) VALUES (?, ?)')
  const insertDoc = db.prepare('INSERT INTO search_docs (doc, lo, hi) VALUES (?, ?, ?)')
  const setProgress = db.prepare(
    'INSERT INTO search_progress (run, block) VALUES (?, ?) ON CONFLICT (run) DO UPDATE SET block = excluded.block'
  )
  const field = (v: unknown): string => (typeof v === 'string' ? v : '')

  return (maxBlocks) => {
    let done = 0
    db.exec('BEGIN IMMEDIATE')
    try {
      for (const run of runs.all()) {
        if (done >= maxBlocks) break
        const key = Number(run['key'])
        const base = key * span
        const progress = progressOf.get(key)?.['block']
        const after = progress === null || progress === undefined ? base - 1 : Number(progress)
        const blocks = blocksAfter.all(after, base + span, maxBlocks - done)
        if (blocks.length === 0) continue
        const last = lastDoc.get(base, base + span - 1)?.['doc']
        let doc = last === null || last === undefined ? base : Number(last) + 1
        for (const block of blocks) {
          const lo = block['lo']
          if (lo !== null && lo !== undefined) {
            const rows = rowsOf.all(lo, block['hi'] ?? lo, block['bid'] ?? null)
            for (let i = 0; i < rows.length; i += docRows, doc++) {
              const end = Math.min(rows.length, i + docRows)
              let text = ''
              for (let k = i; k < end; k++) {
                const r = rows[k] as Record<string, unknown>
                // Newline-separated: a trigram across two fields only adds a candidate (LIKE decides).
                text += `${field(r['url'])}\n${field(r['title'])}\n${field(r['final_url'])}\n${field(r['error_message'])}\n`
              }
              insertText.run(doc, text)
              insertDoc.run(doc, Number(rows[i]?.['rid']), Number(rows[end - 1]?.['rid']))
            }
          }
          setProgress.run(key, Number(block['bid']))
          done++
        }
      }
      db.exec('COMMIT')
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK')
      throw error
    }
    return done
  }
}

/** The needle's distinct trigrams (code points, ASCII letters folded), or null below 3 characters. */
export function trigramsOf(needle: string): string[] | null {
  const chars = Array.from(needle.replace(/[A-Z]/g, (c) => c.toLowerCase()))
  if (chars.length < 3) return null
  const grams = new Set<string>()
  for (let i = 0; i + 3 <= chars.length; i++) grams.add(chars.slice(i, i + 3).join(''))
  return [...grams]
}

/** An FTS5 query for documents holding every trigram: each a quoted string, `"` doubled. */
export function trigramMatch(grams: readonly string[]): string {
  return grams.map((g) => `"${g.replaceAll('"', '""')}"`).join(' AND ')
}

/**
 * Rid ranges, sorted and merged, that hold every row of the run whose text may contain the needle:
 * the indexed documents holding all its trigrams, and the blocks not indexed yet. Null when the
 * needle is too short for trigrams (scan the run).
 */
export function searchRanges(prepare: Prepare, runKey: number, needle: string): [number, number][] | null {
  const grams = trigramsOf(needle)
  if (grams === null) return null
  const base = ridOf(runKey, 0)
  const top = ridOf(runKey, RID_SPAN - 1)
  const ranges: [number, number][] = []
  const found = prepare(
    `SELECT d.lo AS lo, d.hi AS hi FROM result_search s JOIN search_docs d ON d.doc = s.rowid
     WHERE result_search MATCH ? AND s.rowid BETWEEN ? AND ?`
  ).all(trigramMatch(grams), base, top)
  for (const row of found) ranges.push([Number(row['lo']), Number(row['hi'])])
  const progress = prepare('SELECT block FROM search_progress WHERE run = ?').get(runKey)?.['block']
  const after = progress === null || progress === undefined ? base - 1 : Number(progress)
  const pending = prepare(
    'SELECT lo, hi FROM result_blocks WHERE bid > ? AND bid <= ? AND lo IS NOT NULL'
  ).all(after, top)
  for (const row of pending) ranges.push([Number(row['lo']), Number(row['hi'])])
  ranges.sort((a, b) => a[0] - b[0])
  const merged: [number, number][] = []
  for (const range of ranges) {
    const prev = merged[merged.length - 1]
    if (prev && range[0] <= prev[1] + 1) prev[1] = Math.max(prev[1], range[1])
    else merged.push([range[0], range[1]])
  }
  return merged
}

/** Removes a run's search documents and progress (within deleteRun's transaction). */
export function deleteRunSearch(prepare: Prepare, runKey: number): void {
  const lo = ridOf(runKey, 0)
  const hi = ridOf(runKey, RID_SPAN - 1)
  prepare('DELETE FROM result_search WHERE rowid BETWEEN ? AND ?').run(lo, hi)
  prepare('DELETE FROM search_docs WHERE doc BETWEEN ? AND ?').run(lo, hi)
  prepare('DELETE FROM search_progress WHERE run = ?').run(runKey)
}
