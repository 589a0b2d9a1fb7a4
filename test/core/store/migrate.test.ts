import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { resultQuerySchema } from '../../../shared/api.ts'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'
import type { RequestResult } from '../../../shared/result.ts'
import { MIGRATIONS, openRunStore, SCHEMA_VERSION } from '../../../electron/core/store/index.ts'
import { encodeBlock } from '../../../electron/core/store/result-blocks.ts'
import type { DetailJson } from '../../../electron/core/store/result-codec.ts'
import { syntheticResults } from '../../helpers/store-results.ts'

/**
 * Schema version 2 moved host names into their own table and rebuilt `results` around host ids. A
 * database written by version 1 (rows with host text, 'br' detail blocks) must open upgraded in
 * place with every result intact, and take new results after it.
 */

let dir: string
let path: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crawlboard-store-migrate-'))
  path = join(dir, 'runs.db')
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

const BLOCK = 200

/** Rows and blocks exactly as the version-1 writer stored them. */
function writeVersion1Results(runKey: number, results: readonly RequestResult[]): void {
  const db = new DatabaseSync(path)
  const rid = (id: number): number => runKey * 2 ** 32 + id
  const insertRow = db.prepare(
    `INSERT INTO results (rid, run, id, url, final_url, host, status, ok, error_code, error_phase,
      error_message, attempts, block, slot, total_ms, ttfb_ms, bytes, content_type, title,
      started_at, finished_at) VALUES (${Array.from({ length: 21 }, () => '?').join(', ')})`
  )
  const insertBlock = db.prepare(
    'INSERT INTO result_blocks (bid, run, codec, count, data) VALUES (?, ?, ?, ?, ?)'
  )
  const real = (n: number): number | null => (Number.isNaN(n) ? null : n)
  db.exec('BEGIN')
  for (let b = 0; b * BLOCK < results.length; b++) {
    const chunk = results.slice(b * BLOCK, (b + 1) * BLOCK)
    const details = chunk.map((r): DetailJson => ({
      method: r.method,
      attempts: r.attempts,
      redirects: r.redirects,
      headers: r.headers,
      timings: [r.timings.queue, r.timings.dns, r.timings.connect, r.timings.tls, r.timings.download],
      ...(r.error ? { retryable: r.error.retryable } : {}),
      ...(r.error?.status !== undefined ? { errorStatus: r.error.status } : {})
    }))
    insertBlock.run(rid(b), runKey, 'br', chunk.length, encodeBlock(details, 'br'))
    chunk.forEach((r, slot) => {
      const e = r.error
      insertRow.run(
        rid(r.id),
        runKey,
        r.id,
        r.url,
        r.finalUrl === r.url ? null : r.finalUrl,
        r.host,
        r.status ?? 0,
        r.ok ? 1 : 0,
        e ? e.code : null,
        e ? e.phase : null,
        e ? e.message : null,
        r.attempts.length,
        rid(b),
        slot,
        real(r.timings.total),
        real(r.timings.ttfb),
        r.bytes,
        r.contentType,
        r.title,
        r.startedAt,
        r.finishedAt
      )
    })
  }
  db.exec('COMMIT')
  db.close()
}

describe('schema version 2: hosts by id', () => {
  it('upgrades a version-1 database with results in place, every result intact', () => {
    const results = syntheticResults(1_000, 11)
    const v1 = openRunStore(path, { migrations: MIGRATIONS.slice(0, 1) })
    v1.createRun({
      id: 'old',
      name: 'old run',
      config: DEFAULT_CONFIG,
      urls: results.map((r) => r.url),
      createdAt: 1
    })
    v1.close()
    writeVersion1Results(1, results)

    const store = openRunStore(path)
    try {
      expect(store.integrityCheck()).toBe('ok')
      expect(store.countResults('old')).toBe(1_000)
      expect([...store.iterateResults('old')]).toEqual(results)
      expect(store.pendingUrls('old')).toEqual([])
      // Host names come back through the hosts table: filters, sort and menus.
      const hosts = [...new Set(results.map((r) => r.host))].sort()
      const facets = store.getResultFacets('old')
      expect(facets.hosts.map((h) => h.value).sort()).toEqual(hosts)
      const one = hosts[2] ?? ''
      const page = store.queryResults({
        runId: 'old',
        offset: 0,
        limit: 1_000,
        sort: { column: 'host', direction: 'desc' },
        outcome: 'all',
        statuses: [],
        errorCodes: [],
        hosts: [one],
        depths: [],
        search: ''
      })
      expect(page.total).toBe(results.filter((r) => r.host === one).length)
      expect(page.rows.every((row) => row.host === one)).toBe(true)
      const byHost = store.queryResults({
        runId: 'old',
        offset: 0,
        limit: 1_000,
        sort: { column: 'host', direction: 'asc' },
        outcome: 'all',
        statuses: [],
        errorCodes: [],
        hosts: [],
        depths: [],
        search: ''
      })
      expect(byHost.rows.map((row) => row.host)).toEqual(results.map((r) => r.host).sort())

      // New results after the upgrade: a new host, and the existing ones by their ids.
      const later: RequestResult[] = [
        { ...(results[0] as RequestResult), id: 1_000, host: 'new.test', url: 'https://new.test/' },
        { ...(results[1] as RequestResult), id: 1_001 }
      ]
      const writer = store.resultWriter('old')
      for (const r of later) writer.add(r)
      writer.close()
      expect(store.getResult('old', 1_000)).toEqual(later[0])
      expect(store.getResult('old', 1_001)).toEqual(later[1])
      expect(store.getResultFacets('old').hosts.find((h) => h.value === 'new.test')?.count).toBe(1)
      // A list run's results are all depth 0 (version 4 indexes depth): the depth menu and filter.
      expect(store.getResultFacets('old').depths).toEqual([{ value: 0, count: 1_002 }])
      const deep = (depths: number[]): number =>
        store.queryResults(resultQuerySchema.parse({ runId: 'old', offset: 0, limit: 1, depths })).total
      expect([deep([0]), deep([1])]).toEqual([1_002, 0])
    } finally {
      store.close()
    }
    const db = new DatabaseSync(path, { readOnly: true })
    expect(db.prepare('PRAGMA user_version').get()?.['user_version']).toBe(SCHEMA_VERSION)
    expect(
      db.prepare("SELECT type FROM pragma_table_info('results') WHERE name = 'host'").get()?.['type']
    ).toBe('INTEGER')
    expect(db.prepare("SELECT tbl_name FROM sqlite_schema WHERE name = 'results_depth'").get()).toEqual({
      tbl_name: 'results'
    })
    db.close()
  })
})
