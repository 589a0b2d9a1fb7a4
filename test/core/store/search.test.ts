import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { resultQuerySchema, type ResultQueryInput } from '../../../shared/api.ts'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'
import type { RequestResult } from '../../../shared/result.ts'
import { likePattern, openRunStore, type RunStore } from '../../../electron/core/store/index.ts'
import { fixture, NEEDLES } from './search-fixture.ts'

/**
 * The search box through the trigram index (search-index.ts) finds exactly the rows the LIKE scan
 * of schema version 6 found: a case-insensitive (ASCII letters) substring of URL, final URL,
 * title or error message. Checked on strings that trip up a trigram index (short needles, LIKE's
 * own wildcards, non-ASCII letters whose case LIKE does not fold, text across two fields or two
 * rows), before the index is built, partly built, and built.
 */

let dir: string
let path: string
let store: RunStore
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crawlboard-store-search-'))
  path = join(dir, 'runs.db')
  store = openRunStore(path)
})
afterEach(() => {
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The version-6 semantics, in plain JavaScript: LIKE folds ASCII letters and nothing else. */
const fold = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase())
function expectedIds(results: Iterable<RequestResult>, needle: string): number[] {
  const n = fold(needle.trim())
  const ids: number[] = []
  for (const r of results) {
    const fields = [r.url, r.finalUrl === r.url ? null : r.finalUrl, r.title, r.error?.message ?? null]
    if (fields.some((f) => f !== null && fold(f).includes(n))) ids.push(r.id)
  }
  return ids.sort((a, b) => a - b)
}

/** The version-6 search itself: one LIKE scan over the run's rows, on a connection of its own. */
function likeScanIds(needle: string): number[] {
  const db = new DatabaseSync(path, { readOnly: true })
  try {
    const like = "LIKE ? ESCAPE '\\'"
    const p = likePattern(needle.trim())
    return db
      .prepare(
        `SELECT id FROM results WHERE run = (SELECT key FROM runs WHERE id = 'r')
         AND (url ${like} OR title ${like} OR final_url ${like} OR error_message ${like}) ORDER BY id`
      )
      .all(p, p, p, p)
      .map((row) => Number(row['id']))
  } finally {
    db.close()
  }
}

const q = (input: Omit<ResultQueryInput, 'runId'>) => resultQuerySchema.parse({ runId: 'r', ...input })

function searchIds(
  needle: string,
  extra: Omit<ResultQueryInput, 'runId' | 'search' | 'offset' | 'limit'> = {}
): number[] {
  const ids: number[] = []
  let total = 0
  for (let offset = 0; offset === 0 || offset < total; offset += 1_000) {
    const page = store.queryResults(q({ ...extra, offset, limit: 1_000, search: needle }))
    total = page.total
    ids.push(...page.rows.map((row) => row.id))
    if (offset > 20_000) throw new Error('more pages than the fixture has rows')
  }
  expect(ids.length).toBe(total)
  return ids
}

function write(results: readonly RequestResult[]): void {
  const writer = store.resultWriter('r', { thread: 'caller', maxBatch: 97 })
  for (const r of results) writer.add(r)
  writer.close()
}

function countOf(sql: string): number {
  const db = new DatabaseSync(path, { readOnly: true })
  try {
    return Number(db.prepare(sql).get()?.['n'])
  } finally {
    db.close()
  }
}

describe('text search through the trigram index', () => {
  beforeEach(() => {
    store.createRun({ id: 'r', name: 'r', config: DEFAULT_CONFIG, urls: [], createdAt: 1 })
  })

  it('finds exactly what the LIKE scan finds, before, while and after the index is built', () => {
    const first = fixture(700)
    write(first)
    const byId = new Map(first.map((r) => [r.id, r]))
    const check = (): void => {
      for (const needle of NEEDLES) {
        const want = expectedIds(byId.values(), needle)
        expect(likeScanIds(needle), needle).toEqual(want)
        expect(searchIds(needle), needle).toEqual(want)
      }
    }
    // Nothing indexed: every block is scanned by its rid range.
    expect(countOf('SELECT count(*) AS n FROM search_docs')).toBe(0)
    check()
    expect(store.buildSearchIndex()).toBeGreaterThan(0)
    expect(countOf('SELECT count(*) AS n FROM search_docs')).toBeGreaterThan(0)
    check()
    // More results, and some rewritten with other text: the index now lags behind the rows.
    const more = fixture(300, 700)
    const rewritten = first
      .slice(0, 60)
      .map((r) => ({ ...r, title: `rewritten ${r.id} straße`, url: `${r.url}&v=2` }))
    write([...more, ...rewritten])
    for (const r of [...more, ...rewritten]) byId.set(r.id, r)
    check()
    store.buildSearchIndex()
    check()
    expect(store.buildSearchIndex()).toBe(0)
  })

  it('keeps the query’s filters and order around a search', () => {
    const results = fixture(500)
    write(results)
    store.buildSearchIndex()
    const failedWithUrl = results.filter((r) => !r.ok && fold(r.url).includes('h1.test'))
    expect(searchIds('H1.TEST', { outcome: 'failed' })).toEqual(failedWithUrl.map((r) => r.id))
    const desc = searchIds('h1.test', { sort: { column: 'totalMs', direction: 'desc' } })
    const want = results
      .filter((r) => fold(r.url).includes('h1.test'))
      .sort((a, b) => b.timings.total - a.timings.total || a.id - b.id)
      .map((r) => r.id)
    expect(desc).toEqual(want)
    const page = store.queryResults(q({ offset: 5, limit: 10, search: 'h1.test' }))
    expect(page.rows.map((r) => r.id)).toEqual(expectedIds(results, 'h1.test').slice(5, 15))
  })

  it('a deleted run leaves no search documents behind', () => {
    write(fixture(450))
    store.buildSearchIndex()
    expect(countOf('SELECT count(*) AS n FROM search_docs')).toBeGreaterThan(0)
    expect(store.deleteRun('r')).toBe(true)
    expect(countOf('SELECT count(*) AS n FROM search_docs')).toBe(0)
    expect(countOf('SELECT count(*) AS n FROM search_progress')).toBe(0)
    expect(countOf('SELECT count(*) AS n FROM result_search WHERE result_search MATCH \'"tle"\'')).toBe(0)
  })

  it('the writer thread indexes a run by itself once its writes pause', async () => {
    const results = fixture(1_000)
    const writer = store.resultWriter('r')
    for (const r of results) writer.add(r)
    writer.close()
    const deadline = Date.now() + 10_000
    const indexed = (): number => countOf('SELECT count(*) AS n FROM search_progress')
    while (indexed() === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(indexed()).toBe(1)
    expect(store.buildSearchIndex()).toBe(0)
    expect(searchIds('straße')).toEqual(expectedIds(results, 'straße'))
  })
})
