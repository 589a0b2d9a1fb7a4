import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemoTarget, type DemoTarget } from '../../electron/core/demo/demo-target.ts'
import {
  committed,
  runRunner,
  sleep,
  startRunner,
  untilCommitted,
  withStore,
  type RunnerProcess
} from '../helpers/runner-process.ts'

/**
 * One run lifecycle, seen from the terminal: runners on one database see each other's runs as
 * running elsewhere (with live counts) and never fetch one twice; SIGINT and SIGTERM end a run the
 * same way (cancelled in-flight requests, results written, a summary, resumable) with the shells'
 * exit codes.
 */

const URLS = 200

let target: DemoTarget
let dir: string
let urlsFile: string
let dbCount = 0

beforeAll(async () => {
  target = await startDemoTarget()
  dir = await mkdtemp(join(tmpdir(), 'crawlboard-cli-lifecycle-'))
  urlsFile = join(dir, 'urls.txt')
  const urls = Array.from({ length: URLS }, (_, i) => target.url(`/delay/200?n=${i}`))
  await writeFile(urlsFile, urls.join('\n') + '\n')
})

afterAll(async () => {
  await target.close()
  await rm(dir, { recursive: true, force: true })
})

const freshDb = (): string => join(dir, `runs-${++dbCount}.db`)
const crawl = (db: string, concurrency = 6): RunnerProcess =>
  startRunner([
    '--urls',
    urlsFile,
    '--db',
    db,
    '--concurrency',
    String(concurrency),
    '--per-host',
    String(concurrency),
    '--retries',
    '0',
    '--quiet'
  ])

/** The `runs` line of the newest run and the URLs done it shows ("42/200" → 42). */
async function listed(db: string): Promise<{ line: string; done: number }> {
  const runs = await runRunner(['runs', '--db', db])
  expect(runs.code).toBe(0)
  const line = runs.stdout.split('\n')[1] ?? ''
  const done = /\s(\d+)\/\d+\s/.exec(line)?.[1]
  return { line, done: done === undefined ? URLS : Number(done) }
}

/** Each stored result id once, in order; what a run that fetched nothing twice holds. */
function storedIds(db: string): number[] {
  return withStore(db, (store) => {
    const run = store.listRuns()[0]
    if (!run) throw new Error('no run recorded')
    return [...store.iterateResults(run.runId, 'id')].map((r) => r.id)
  })
}

const everyId = Array.from({ length: URLS }, (_, i) => i)

describe('a run another live runner drives', () => {
  it('is listed as running elsewhere with live counts, and --resume refuses it naming the process', async () => {
    const db = freshDb()
    // Two at a time: 20 s in all, so it is still going while a busy machine lists it a few times.
    const first = crawl(db, 2)
    try {
      expect(await untilCommitted(db, 4)).toBeGreaterThanOrEqual(4)
      const pid = first.child.pid
      const before = await listed(db)
      expect(before.line).toContain(`running elsewhere (process ${pid})`)
      // The counts are the owner's, saved every second: they move while it goes.
      let later = before
      for (let i = 0; i < 20 && later.done <= before.done; i++) {
        await sleep(500)
        later = await listed(db)
      }
      expect(later.line).toContain(`running elsewhere (process ${pid})`)
      expect(later.done).toBeGreaterThan(before.done)

      const refused = await runRunner(['--resume', 'last', '--db', db, '--quiet'])
      expect(refused.code).toBe(2)
      expect(refused.stderr).toContain(`another Crawlboard process right now (process ${pid})`)
    } finally {
      const end = await first.done
      expect(end.code).toBe(0)
    }
    // Nothing was fetched twice: one result per URL, and the run completed.
    expect(storedIds(db)).toEqual(everyId)
    expect((await listed(db)).line).toContain('completed')
  }, 60_000)

  it('of two runners resuming one interrupted run at once, one drives it and the other refuses', async () => {
    const db = freshDb()
    const first = crawl(db)
    expect(await untilCommitted(db, 12)).toBeGreaterThanOrEqual(12)
    first.child.kill('SIGKILL')
    await first.done
    const kept = committed(db)
    expect((await listed(db)).line).toContain('interrupted')

    const [a, b] = await Promise.all([
      runRunner(['--resume', 'last', '--db', db, '--quiet']),
      runRunner(['--resume', 'last', '--db', db, '--quiet'])
    ])
    const codes = [a.code, b.code].sort()
    expect(codes).toEqual([0, 2])
    const loser = a.code === 2 ? a : b
    expect(loser.stderr).toMatch(/another Crawlboard process/)
    const ids = storedIds(db)
    expect(ids).toEqual(everyId)
    expect(ids.length).toBeGreaterThan(kept)
  }, 60_000)
})

describe('signals end a run the same way', () => {
  it.each([
    ['SIGINT', 130, 'SIGINT (Ctrl-C) stopped it'],
    ['SIGTERM', 143, 'SIGTERM stopped it']
  ] as const)(
    '%s: in-flight requests cancelled, results written, summary printed, resumable; exit %i',
    async (signal, exitCode, reason) => {
      const db = freshDb()
      const run = crawl(db)
      expect(await untilCommitted(db, 12)).toBeGreaterThanOrEqual(12)
      run.child.kill(signal)
      const end = await run.done
      expect(end.code).toBe(exitCode)
      expect(end.stderr).toContain(`${signal}: cancelling in-flight requests and saving the run`)
      expect(end.stderr).toMatch(new RegExp(`Run run-\\S+: interrupted: ${reason.replace(/[()]/g, '\\$&')}`))
      expect(end.stderr).toContain('Latency')
      expect(end.stderr).toMatch(/continue it with --resume run-/)

      // Every result it collected is stored, its record counts exactly those, and it is resumable.
      const stored = withStore(db, (store) => {
        const entry = store.listRuns()[0]
        if (!entry) throw new Error('no run recorded')
        return {
          rows: store.countResults(entry.runId),
          saved: entry.summary?.done,
          interruption: entry.interruption
        }
      })
      expect(stored.rows).toBeGreaterThanOrEqual(12)
      expect(stored.rows).toBeLessThan(URLS)
      expect(stored.saved).toBe(stored.rows)
      expect(stored.interruption).toBe(reason)
      expect((await listed(db)).line).toContain('interrupted')

      const resumed = await runRunner(['--resume', 'last', '--db', db, '--quiet'])
      expect(resumed.code).toBe(0)
      expect(storedIds(db)).toEqual(everyId)
    },
    60_000
  )
})
