import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'
import type { RequestResult } from '../../../shared/result.ts'
import { openRunStore, SCHEMA_VERSION, type RunStore } from '../../../electron/core/store/index.ts'
import { syntheticResults } from '../../helpers/store-results.ts'

/**
 * The run store for spider runs: found URLs recorded with their depth and the page they were found
 * on (so a resume continues the frontier), results with theirs, per-host figures for a stored
 * run's hosts view, and the version-3 migration on a database made before it.
 */

let dir: string
let path: string
let store: RunStore
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crawlboard-spider-store-'))
  path = join(dir, 'runs.db')
  store = openRunStore(path)
})
afterEach(() => {
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

const spiderConfig = { ...DEFAULT_CONFIG, mode: 'spider' as const }

describe('spider runs in the store', () => {
  it('keeps found URLs with depth and found-on; pending ones come back with them', () => {
    store.createRun({
      id: 's',
      name: 'spider',
      config: spiderConfig,
      urls: ['https://a.test/'],
      createdAt: 1
    })
    store.addRunUrls('s', [
      [1, 'https://a.test/x', 1, 0],
      [2, 'https://a.test/x/y', 2, 1],
      [3, 'https://a.test/from-sitemap']
    ])
    const [seed] = syntheticResults(1)
    if (!seed) throw new Error('no result')
    const writer = store.resultWriter('s')
    writer.add({ ...seed, id: 0, url: 'https://a.test/', depth: 0, foundOn: null })
    writer.add({ ...seed, id: 1, url: 'https://a.test/x', depth: 1, foundOn: 0 })
    writer.close()
    expect(store.pendingUrls('s')).toEqual([
      { id: 2, url: 'https://a.test/x/y', depth: 2, foundOn: 1 },
      { id: 3, url: 'https://a.test/from-sitemap', depth: 0, foundOn: null }
    ])
    expect([...store.iterateRunUrls('s')].map((u) => [u.id, u.depth, u.foundOn])).toEqual([
      [0, 0, null],
      [1, 1, 0],
      [2, 2, 1],
      [3, 0, null]
    ])
    expect(store.getResult('s', 1)).toMatchObject({ depth: 1, foundOn: 0 })
    expect(store.getResult('s', 0)).toMatchObject({ depth: 0, foundOn: null })
  })

  it('answers per-host figures: results, ok and latency percentiles, busiest first', () => {
    store.createRun({ id: 'h', name: 'hosts', config: DEFAULT_CONFIG, urls: [], createdAt: 1 })
    const [base] = syntheticResults(1)
    if (!base) throw new Error('no result')
    const make = (id: number, host: string, ok: boolean, total: number): RequestResult => ({
      ...base,
      id,
      url: `https://${host}/${id}`,
      host,
      ok,
      status: ok ? 200 : 503,
      error: ok
        ? null
        : { code: 'HTTP_STATUS', message: 'HTTP 503', phase: 'headers', retryable: true, status: 503 },
      timings: { ...base.timings, total }
    })
    const writer = store.resultWriter('h')
    // a.test: 100 results, 10 ms … 1000 ms, every tenth failed; b.test: 3 results at 50 ms.
    for (let i = 0; i < 100; i++) writer.add(make(i, 'a.test', i % 10 !== 0, (i + 1) * 10))
    for (let i = 0; i < 3; i++) writer.add(make(100 + i, 'b.test', true, 50))
    writer.close()
    const figures = store.hostFigures('h')
    expect(figures.map((f) => [f.host, f.requests, f.ok])).toEqual([
      ['a.test', 100, 90],
      ['b.test', 3, 3]
    ])
    // Log-histogram estimates: within 1% of the exact percentiles.
    expect(figures[0]?.p50Ms).toBeGreaterThan(495)
    expect(figures[0]?.p50Ms).toBeLessThan(515)
    expect(figures[0]?.p95Ms).toBeGreaterThan(940)
    expect(figures[0]?.p95Ms).toBeLessThan(965)
    expect(figures[1]?.p50Ms).toBeCloseTo(50, -1)
    expect(store.hostFigures('h', 1)).toHaveLength(1)
    expect(store.hostFigures('nope')).toEqual([])
  })

  it("keeps a run's spider record; a damaged one reads as none and the run still opens", () => {
    store.createRun({
      id: 's',
      name: 'spider',
      config: spiderConfig,
      urls: ['https://a.test/'],
      createdAt: 1
    })
    const record = {
      decisions: [],
      traps: [
        { at: 5, url: 'https://a.test/x/x/x/', code: 'REPEATING_PATH', message: 'repeats', foundOn: 0 }
      ],
      trapCount: 1,
      notices: [{ at: 6, source: 'sitemap' as const, message: 'https://a.test/sitemap.xml: HTTP 404.' }],
      robots: [{ origin: 'https://a.test', label: 'rules (1 group)', crawlDelayMs: null }],
      safeguardReason: null,
      frontier: {
        queued: 2,
        discovered: 3,
        deduped: 0,
        outOfScope: 0,
        trapped: 1,
        overLimit: 0,
        nofollow: 0,
        maxDepthSeen: 1
      },
      depthCounts: [1],
      frontierSeries: [{ at: 4, queued: 2, discovered: 3 }]
    }
    store.updateRun('s', { state: 'completed', spider: record })
    expect(store.getRun('s')?.spider).toEqual(record)
    store.close()
    const db = new DatabaseSync(path)
    db.exec(`UPDATE runs SET spider = '{"decisions": [' WHERE id = 's'`)
    db.close()
    store = openRunStore(path)
    expect(store.getRun('s')).toMatchObject({ state: 'completed', spider: null, name: 'spider' })
  })

  it('a database from before version 3 gains the columns; its URLs read as depth 0, found on none', () => {
    store.createRun({
      id: 'old',
      name: 'old',
      config: DEFAULT_CONFIG,
      urls: ['https://a.test/1'],
      createdAt: 1
    })
    store.close()
    // Back to version 2 as it was: run_urls without the two columns, results without the depth
    // index, runs without the spider record or the owner record, no search index.
    const db = new DatabaseSync(path)
    db.exec(`
      DROP TABLE result_search;
      DROP TABLE search_docs;
      DROP TABLE search_progress;
      ALTER TABLE result_blocks DROP COLUMN hi;
      ALTER TABLE result_blocks DROP COLUMN lo;
      ALTER TABLE runs DROP COLUMN interruption;
      ALTER TABLE runs DROP COLUMN heartbeat_at;
      ALTER TABLE runs DROP COLUMN owner;
      ALTER TABLE runs DROP COLUMN spider;
      DROP INDEX results_depth;
      DELETE FROM sqlite_stat1 WHERE idx = 'results_depth';
      CREATE TABLE run_urls_v2 (run INTEGER NOT NULL, id INTEGER NOT NULL, url TEXT NOT NULL, PRIMARY KEY (run, id)) WITHOUT ROWID;
      INSERT INTO run_urls_v2 SELECT run, id, url FROM run_urls;
      DROP TABLE run_urls;
      ALTER TABLE run_urls_v2 RENAME TO run_urls;
      PRAGMA user_version = 2;
    `)
    db.close()
    store = openRunStore(path)
    expect(store.pendingUrls('old')).toEqual([{ id: 0, url: 'https://a.test/1', depth: 0, foundOn: null }])
    const check = new DatabaseSync(path)
    expect(check.prepare('PRAGMA user_version').get()?.['user_version']).toBe(SCHEMA_VERSION)
    check.close()
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(3)
  })
})
