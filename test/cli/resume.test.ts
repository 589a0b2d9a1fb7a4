import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemoTarget, type DemoTarget } from '../../electron/core/demo/demo-target.ts'
import type { RequestResult } from '../../shared/result.ts'
import { runRunner, startRunner, untilCommitted, withStore } from '../helpers/runner-process.ts'

/**
 * The headless runner with the run store, for real: a child process crawling a slow loopback
 * server is killed with SIGKILL mid-run, then resumed; the run ends with exactly one result per
 * input URL, a sound file, and a summary that matches its rows.
 */

const URLS = 300

const start = startRunner
const runner = runRunner

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex')

let target: DemoTarget
let dir: string
let db: string
let urlsFile: string
let runId: string

beforeAll(async () => {
  target = await startDemoTarget()
  dir = await mkdtemp(join(tmpdir(), 'crawlboard-cli-store-'))
  db = join(dir, 'runs', 'crawlboard.db')
  urlsFile = join(dir, 'urls.txt')
  const urls = Array.from({ length: URLS }, (_, i) => target.url(`/delay/200?n=${i}`))
  await writeFile(urlsFile, urls.join('\n') + '\n')
})

afterAll(async () => {
  await target.close()
  await rm(dir, { recursive: true, force: true })
})

describe('a crawl killed with SIGKILL and resumed', () => {
  it('is listed as interrupted after the kill', async () => {
    const { child, done } = start([
      '--urls',
      urlsFile,
      '--db',
      db,
      '--concurrency',
      '10',
      '--per-host',
      '10',
      '--retries',
      '0',
      '--quiet'
    ])
    // Bounded poll: at most 200 × 100 ms for the first results to be committed.
    expect(await untilCommitted(db, 30, 200)).toBeGreaterThanOrEqual(30)
    child.kill('SIGKILL')
    const killed = await done
    expect(killed.signal).toBe('SIGKILL')

    const before = withStore(db, (store) => {
      const run = store.listRuns()[0]
      if (!run) throw new Error('no run recorded')
      runId = run.runId
      return { count: store.countResults(run.runId), total: run.total, unfinished: run.unfinished }
    })
    expect(before.total).toBe(URLS)
    expect(before.unfinished).toBe(true)
    expect(before.count).toBeGreaterThanOrEqual(30)
    expect(before.count).toBeLessThan(URLS)

    const runs = await runner(['runs', '--db', db])
    expect(runs.code).toBe(0)
    const line = runs.stdout.split('\n').find((l) => l.includes(runId))
    expect(line).toContain('interrupted')
  }, 40_000)

  it('resumes with `last`: one result per input URL, a sound file, a summary matching the rows', async () => {
    const resumed = await runner(['--resume', 'last', '--db', db, '--quiet'])
    expect(resumed.stderr).toContain(`Resuming run ${runId}`)
    expect(resumed.code).toBe(0)

    withStore(db, (store) => {
      expect(store.countResults(runId)).toBe(URLS)
      const ids = [...store.iterateResults(runId, 'id')].map((r) => r.id)
      expect(ids).toEqual(Array.from({ length: URLS }, (_, i) => i))
      expect(store.pendingUrls(runId)).toEqual([])
      expect(store.integrityCheck()).toBe('ok')

      const run = store.getRun(runId)
      expect(run?.state).toBe('completed')
      const summary = run?.summary
      const rows = store.summaryFromRows(runId)
      expect(summary).toMatchObject({
        total: URLS,
        done: rows.done,
        ok: rows.ok,
        failed: rows.failed,
        retries: rows.retries,
        bytes: rows.bytes,
        byStatus: rows.byStatus,
        byError: rows.byError
      })
      expect(rows.done).toBe(URLS)
    })

    const runs = await runner(['runs', '--db', db])
    const line = runs.stdout.split('\n').find((l) => l.includes(runId))
    expect(line).toContain('completed')
    expect(line).not.toContain('interrupted')
  }, 40_000)

  it('exports the run as CSV (with BOM) and NDJSON', async () => {
    const csvFile = join(dir, 'export.csv')
    const csv = await runner(['export', runId, '--format', 'csv', '--out', csvFile, '--db', db])
    expect(csv.code).toBe(0)
    const text = readFileSync(csvFile, 'utf8')
    expect(text.startsWith('\uFEFFid,url,')).toBe(true)
    expect(text.trimEnd().split('\n')).toHaveLength(URLS + 1)

    const ndjson = await runner(['export', 'last', '--format', 'ndjson', '--db', db])
    expect(ndjson.code).toBe(0)
    const lines = ndjson.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(URLS)
    const ids = lines.map((l) => (JSON.parse(l) as RequestResult).id)
    expect(ids).toEqual(Array.from({ length: URLS }, (_, i) => i))

    const jsonFile = join(dir, 'export.json')
    const json = await runner(['export', runId, '--out', jsonFile, '--db', db])
    expect(json.code).toBe(0)
    const doc = JSON.parse(readFileSync(jsonFile, 'utf8')) as {
      results: RequestResult[]
      summary: { done: number }
    }
    expect(doc.results).toHaveLength(URLS)
    expect(doc.summary.done).toBe(URLS)
  }, 30_000)
})

describe('errors exit 2 with a clear message', () => {
  it('names a run that does not exist', async () => {
    const exported = await runner(['export', 'no-such-run', '--db', db])
    expect(exported.code).toBe(2)
    expect(exported.stderr).toContain('there is no run "no-such-run"')
    const resumed = await runner(['--resume', 'no-such-run', '--db', db])
    expect(resumed.code).toBe(2)
    expect(resumed.stderr).toContain('there is no run "no-such-run"')
  }, 20_000)

  it('leaves a corrupt database file unchanged and names --db', async () => {
    const bad = join(dir, 'corrupt.db')
    const bytes = Buffer.alloc(16_384)
    Buffer.from('SQLite format 3\0').copy(bytes)
    for (let i = 16; i < bytes.length; i++) bytes[i] = (i * 131) & 0xff
    await writeFile(bad, bytes)
    const hash = sha256(bad)

    const crawl = await runner([target.url('/delay/0'), '--db', bad, '--quiet'])
    expect(crawl.code).toBe(2)
    expect(crawl.stderr).toContain(bad)
    expect(crawl.stderr).toContain('--db')
    const runs = await runner(['runs', '--db', bad])
    expect(runs.code).toBe(2)
    expect(sha256(bad)).toBe(hash)
  }, 20_000)
})
