import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { resultQuerySchema } from '../../../shared/api.ts'
import { openRunStore, SCHEMA_VERSION, type RunStore } from '../../../electron/core/store/index.ts'
import { fixture, NEEDLES } from './search-fixture.ts'

/**
 * Schema version 7 added the search index and each detail block's rid range. fixtures/schema-6.db
 * is a file written by the store at version 6 (fixture(600) in one run, 'r'): it must open
 * upgraded, keep every result as it was, search exactly as before (first without the index, then
 * with it), and take new results.
 */

const FIXTURE = join(import.meta.dirname, 'fixtures', 'schema-6.db')
const FIXTURE_RESULTS = 600

let dir: string
let path: string
let store: RunStore | null = null
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crawlboard-store-migrate7-'))
  path = join(dir, 'runs.db')
  copyFileSync(FIXTURE, path)
})
afterEach(() => {
  store?.close()
  store = null
  rmSync(dir, { recursive: true, force: true })
})

const fold = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase())
const matching = (
  results: readonly {
    id: number
    url: string
    finalUrl: string
    title: string | null
    error: { message: string } | null
  }[],
  needle: string
): number[] =>
  results
    .filter((r) =>
      [r.url, r.finalUrl, r.title, r.error?.message ?? null].some(
        (f) => f !== null && fold(f).includes(fold(needle))
      )
    )
    .map((r) => r.id)

function searchIds(s: RunStore, needle: string): number[] {
  const page = s.queryResults(
    resultQuerySchema.parse({ runId: 'r', offset: 0, limit: 1_000, search: needle })
  )
  return page.rows.map((row) => row.id)
}

function scalar(sql: string): number {
  const db = new DatabaseSync(path, { readOnly: true })
  try {
    return Number(Object.values(db.prepare(sql).get() ?? {})[0])
  } finally {
    db.close()
  }
}

describe('a version-6 database opened by version 7', () => {
  it('is upgraded in place, keeps its results, and searches exactly as before', () => {
    expect(scalar('PRAGMA user_version')).toBe(6)
    store = openRunStore(path)
    expect(scalar('PRAGMA user_version')).toBe(SCHEMA_VERSION)
    expect(SCHEMA_VERSION).toBe(7)
    // Every block got the rid range of its rows.
    expect(scalar('SELECT count(*) FROM result_blocks')).toBeGreaterThan(1)
    expect(scalar('SELECT count(*) FROM result_blocks WHERE lo IS NULL OR hi IS NULL OR lo > hi')).toBe(0)
    expect(
      scalar(
        'SELECT count(*) FROM results r JOIN result_blocks b ON b.bid = r.block WHERE r.rid NOT BETWEEN b.lo AND b.hi'
      )
    ).toBe(0)

    const written = fixture(FIXTURE_RESULTS)
    expect([...store.iterateResults('r')]).toEqual(written)
    for (const needle of NEEDLES) expect(searchIds(store, needle), needle).toEqual(matching(written, needle))
    expect(store.buildSearchIndex()).toBe(scalar('SELECT count(*) FROM result_blocks'))
    for (const needle of NEEDLES) expect(searchIds(store, needle), needle).toEqual(matching(written, needle))

    // New results after the upgrade are found along with the old ones.
    const more = fixture(200, FIXTURE_RESULTS)
    const writer = store.resultWriter('r')
    for (const r of more) writer.add(r)
    writer.close()
    const all = [...written, ...more]
    for (const needle of ['straße', 'h1.test/p', 'TIMEOUT']) {
      expect(searchIds(store, needle), needle).toEqual(matching(all, needle))
    }
    expect(store.integrityCheck()).toBe('ok')
  })
})
