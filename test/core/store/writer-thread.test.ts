import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'
import { openRunStore, type RunStore } from '../../../electron/core/store/index.ts'
import { MAX_BACKLOG_BATCHES, MAX_IN_FLIGHT } from '../../../electron/core/store/result-writer.ts'
import { syntheticResults } from '../../helpers/store-results.ts'

/**
 * The writer thread: batches are inserted off the calling thread, and the calling thread waits
 * only when it must (a flush, a read, or too many results waiting behind a slow disk or a lock).
 */

let dir: string
let path: string
let store: RunStore
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crawlboard-store-thread-'))
  path = join(dir, 'runs.db')
  store = openRunStore(path)
  store.createRun({ id: 'r', name: 'r', config: DEFAULT_CONFIG, urls: [], createdAt: 1 })
})
afterEach(() => {
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Another process holds the write lock for holdMs; resolves once it has it. */
function holdWriteLock(holdMs: number): Promise<{ released: Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const { DatabaseSync } = require('node:sqlite')
       const db = new DatabaseSync(${JSON.stringify(path)})
       db.exec('BEGIN IMMEDIATE')
       process.stdout.write('locked\\n')
       setTimeout(() => { db.exec('ROLLBACK'); db.close() }, ${holdMs})`
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  )
  const released = new Promise<void>((resolve) =>
    child.on('exit', () => {
      resolve()
    })
  )
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve({ released })
    })
    child.on('exit', (code) => {
      reject(new Error(`lock holder exited early (${code})`))
    })
  })
}

describe('the writer thread', () => {
  it('keeps add() from holding more than a bounded backlog while the database is busy', async () => {
    const maxBatch = 50
    const writer = store.resultWriter('r', { maxBatch, maxDelayMs: 60_000 })
    const { released } = await holdWriteLock(700)
    // At most a backlog waits, and each batch out holds at most a backlog: anything beyond that blocks.
    const bound = maxBatch * MAX_BACKLOG_BATCHES * (MAX_IN_FLIGHT + 1)
    const list = syntheticResults(bound + maxBatch * 4, 4)
    let mostPending = 0
    let longestAddMs = 0
    for (const result of list) {
      const t = performance.now()
      writer.add(result)
      longestAddMs = Math.max(longestAddMs, performance.now() - t)
      mostPending = Math.max(mostPending, writer.pending)
    }
    // The first batches waited for the lock; add() blocked rather than queueing without bound.
    expect(mostPending).toBeLessThanOrEqual(bound)
    expect(longestAddMs).toBeGreaterThan(200)
    writer.close()
    await released
    expect(store.countResults('r')).toBe(list.length)
    expect([...store.iterateResults('r')]).toEqual(list)
  }, 20_000)

  it('returns from add() while a batch is being inserted', () => {
    const writer = store.resultWriter('r', { maxBatch: 1_000, maxDelayMs: 60_000 })
    const list = syntheticResults(2_000, 6)
    for (const result of list.slice(0, 1_000)) writer.add(result)
    // Handed over and not committed yet: the insert runs on the thread, not in add().
    expect(writer.pending).toBe(1_000)
    for (const result of list.slice(1_000)) writer.add(result)
    // A read waits for what was handed over.
    expect(store.countResults('r')).toBe(2_000)
    expect(writer.pending).toBe(0)
    writer.close()
  })

  it('writes on the calling thread when asked to, with the same rows', () => {
    const list = syntheticResults(700, 8)
    const writer = store.resultWriter('r', { thread: 'caller', maxBatch: 300 })
    for (const result of list) writer.add(result)
    // Two whole batches went in synchronously; the rest waits for its time or close().
    expect(store.countResults('r')).toBe(600)
    expect(writer.pending).toBe(100)
    writer.close()
    expect([...store.iterateResults('r')]).toEqual(list)
  })
})
