import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'
import type { RequestResult } from '../../../shared/result.ts'
import { openRunStore } from '../../../electron/core/store/index.ts'
import { result } from '../../helpers/fixtures.ts'

/**
 * Crash safety at the store level: a process writing results is killed with SIGKILL between (or
 * during) batches. The database must check out, hold only whole batches, and a resume that writes
 * the pending URLs must end with exactly one result per input URL.
 */

const URLS = 3_000
const STORE = resolve('electron/core/store/index.ts')
const FIXTURES = resolve('test/helpers/fixtures.ts')
/** What every result of this run holds beside its id, URL and title (the child writes the same). */
const CRASH_RESULT = {
  totalMs: 2,
  timings: { ttfb: 1, download: 1 },
  bytes: 10,
  startedAt: 1,
  finishedAt: 2,
  headers: { server: 'crash' },
  attempts: 0
} as const
const crashResult = (id: number, url: string): RequestResult =>
  result({ id, url, title: `page ${id}`, ...CRASH_RESULT })

/** The writing process: results in batches of 100, as fast as it can, until it is killed. */
const child = (path: string): string => `
  import { openRunStore } from ${JSON.stringify(STORE)}
  import { result } from ${JSON.stringify(FIXTURES)}
  const store = openRunStore(${JSON.stringify(path)}, { check: 'none' })
  const writer = store.resultWriter('run', { maxBatch: 100, maxDelayMs: 60_000 })
  const pending = store.pendingUrls('run')
  let written = 0
  const step = () => {
    for (let k = 0; k < 100 && written < pending.length; k++, written++) {
      const { id, url } = pending[written]
      writer.add(result({ id, url, title: 'page ' + id, ...${JSON.stringify(CRASH_RESULT)} }))
    }
    process.stdout.write('batch ' + written + '\\n')
    // Slow enough that the kill lands mid-run; never finishes on purpose.
    setTimeout(step, 5)
  }
  step()
`

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crawlboard-store-crash-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('a writer killed with SIGKILL', () => {
  it('leaves a sound database with whole batches, and resume completes every URL exactly once', async () => {
    const path = join(dir, 'runs.db')
    const urls = Array.from({ length: URLS }, (_, i) => `https://crash.test/${i}`)
    const setup = openRunStore(path)
    setup.createRun({ id: 'run', name: 'crash', config: DEFAULT_CONFIG, urls, createdAt: 1 })
    setup.close()

    const proc = spawn(process.execPath, ['--no-warnings', '--input-type=module', '-e', child(path)], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stderr = ''
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    await new Promise<void>((resolveKilled, reject) => {
      let out = ''
      proc.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        if ((out.match(/batch/g) ?? []).length >= 8) proc.kill('SIGKILL')
      })
      proc.on('exit', (_code, signal) => {
        if (signal === 'SIGKILL') resolveKilled()
        else reject(new Error(`writer exited by itself: ${stderr}`))
      })
    })

    const store = openRunStore(path) // quick_check included
    try {
      expect(store.integrityCheck()).toBe('ok')
      const written = store.countResults('run')
      expect(written).toBeGreaterThan(0)
      expect(written % 100).toBe(0)
      const pending = store.pendingUrls('run')
      expect(pending).toHaveLength(URLS - written)
      const writer = store.resultWriter('run')
      for (const { id, url } of pending) writer.add(crashResult(id, url))
      writer.close()
      expect(store.pendingUrls('run')).toEqual([])
      expect(store.countResults('run')).toBe(URLS)
      expect(store.summaryFromRows('run')).toMatchObject({ done: URLS, ok: URLS, failed: 0 })
      const ids = [...store.iterateResults('run')].map((r) => r.id)
      expect(ids).toEqual(urls.map((_, i) => i))
    } finally {
      store.close()
    }
  }, 30_000)
})
