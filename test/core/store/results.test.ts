import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'
import type { RequestResult } from '../../../shared/result.ts'
import { openRunStore, StoreError, type RunStore } from '../../../electron/core/store/index.ts'
import { result as fixtureResult } from '../../helpers/fixtures.ts'
import { syntheticResults } from '../../helpers/store-results.ts'

let dir: string
let path: string
let store: RunStore
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crawlboard-store-results-'))
  path = join(dir, 'runs.db')
  store = openRunStore(path)
})
afterEach(() => {
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const results = syntheticResults

function createRun(id: string, urls: readonly string[], createdAt = 1_000): void {
  store.createRun({ id, name: `run ${id}`, config: DEFAULT_CONFIG, urls, createdAt })
}

/** Every field non-trivial: what the round trip must give back exactly. */
const everyField: RequestResult = {
  id: 7,
  url: 'https://exämple.test/a?b=1&c=%20',
  finalUrl: 'https://www.exämple.test/a/?b=1',
  host: 'exämple.test',
  method: 'HEAD',
  status: 503,
  ok: false,
  attempts: [
    {
      attempt: 1,
      startedAt: 1_760_000_000_000.25,
      durationMs: 12.345678901234,
      status: null,
      error: { code: 'RESET', message: 'read ECONNRESET', phase: 'body', retryable: true },
      outcome: 'retry',
      waitBeforeNextMs: 512.5,
      waitReason: 'retry-after'
    },
    {
      attempt: 2,
      startedAt: 1_760_000_000_600,
      durationMs: 0.1,
      status: 503,
      error: { code: 'HTTP_STATUS', message: 'HTTP 503', phase: 'headers', retryable: true, status: 503 },
      outcome: 'failed',
      waitBeforeNextMs: null,
      waitReason: null
    }
  ],
  redirects: [
    { url: 'https://exämple.test/a?b=1&c=%20', status: 301, location: '/a/?b=1', durationMs: 3.25 },
    {
      url: 'https://exämple.test/a/?b=1',
      status: 308,
      location: 'https://www.exämple.test/a/?b=1',
      durationMs: 1
    }
  ],
  error: {
    code: 'HTTP_STATUS',
    message: 'HTTP 503 Service Unavailable',
    phase: 'headers',
    retryable: true,
    status: 503
  },
  timings: {
    queue: 0.5,
    dns: 1.25,
    connect: 2.125,
    tls: 3.0625,
    ttfb: 40.03125,
    download: 5.5,
    total: 52.468
  },
  bytes: 1234,
  contentType: 'text/html; charset="utf-8"',
  title: 'Ünïcödé – “quotes” & <tags> 🚀',
  startedAt: 1_760_000_000_000.25,
  finishedAt: 1_760_000_000_700.75,
  headers: { 'content-type': 'text/html; charset="utf-8"', 'x-emoji': '🚀', 'set-cookie': 'a=1, b=2' },
  depth: 0,
  foundOn: null
}

/** A host that did not resolve: nothing answered, nothing was read, with everyField's times. */
const noResponse: RequestResult = fixtureResult({
  id: 8,
  url: 'https://down.test/',
  code: 'DNS',
  message: 'getaddrinfo ENOTFOUND down.test',
  phase: 'dns',
  attempts: 0,
  bytes: 0,
  totalMs: everyField.timings.total,
  timings: everyField.timings,
  startedAt: everyField.startedAt,
  finishedAt: everyField.finishedAt
})

describe('resultWriter', () => {
  it('writes a batch when it reaches maxBatch', () => {
    createRun('r', [])
    const writer = store.resultWriter('r', { maxBatch: 10, maxDelayMs: 60_000 })
    const list = results(25)
    for (const result of list) writer.add(result)
    expect(store.countResults('r')).toBe(20)
    expect(writer.pending).toBe(5)
    writer.close()
    expect(store.countResults('r')).toBe(25)
    expect(writer.pending).toBe(0)
    expect(() => {
      writer.add(list[0] ?? everyField)
    }).toThrow(/closed/)
  })

  it('writes a partial batch after maxDelayMs', async () => {
    createRun('r', [])
    const writer = store.resultWriter('r', { maxBatch: 1_000, maxDelayMs: 20 })
    for (const result of results(3)) writer.add(result)
    expect(store.countResults('r')).toBe(0)
    expect(writer.pending).toBe(3)
    await sleep(80)
    expect(store.countResults('r')).toBe(3)
    expect(writer.pending).toBe(0)
    writer.close()
  })

  it('flushes what is pending when the store closes', () => {
    createRun('r', [])
    const writer = store.resultWriter('r', { maxDelayMs: 60_000 })
    for (const result of results(5)) writer.add(result)
    store.close()
    store = openRunStore(path)
    expect(store.countResults('r')).toBe(5)
  })

  it('keeps a result written twice as one row, with the later content', () => {
    createRun('r', [])
    const writer = store.resultWriter('r')
    writer.add(everyField)
    writer.add({ ...everyField, title: 'first write, same batch' })
    writer.flush()
    const later = { ...everyField, status: 200, ok: true, error: null, title: 'rewritten' }
    writer.add(later)
    writer.close()
    expect(store.countResults('r')).toBe(1)
    expect(store.getResult('r', 7)).toEqual(later)
    expect(store.summaryFromRows('r')).toMatchObject({ done: 1, ok: 1, failed: 0 })
  })

  it('keeps a batch that could not be written and writes it once the database is free', async () => {
    store.close()
    store = openRunStore(path, { busyTimeoutMs: 20 })
    createRun('r', [])
    const errors: Error[] = []
    const writer = store.resultWriter('r', { maxBatch: 2, onError: (e) => errors.push(e) })
    const other = new DatabaseSync(path)
    other.exec('BEGIN IMMEDIATE')
    for (const result of results(3)) writer.add(result)
    // The store's writer thread inserts the batch: its failure is reported a moment later.
    for (let i = 0; i < 200 && errors.length === 0; i++) await sleep(10)
    expect(errors[0]).toBeInstanceOf(StoreError)
    expect((errors[0] as StoreError).code).toBe('LOCKED')
    expect(writer.pending).toBe(3)
    expect(() => {
      writer.flush()
    }).toThrow(StoreError)
    other.exec('ROLLBACK')
    other.close()
    writer.flush()
    expect(writer.pending).toBe(0)
    expect(store.countResults('r')).toBe(3)
  })

  it('refuses ids outside [0, 2^32)', () => {
    createRun('r', [])
    const writer = store.resultWriter('r')
    expect(() => {
      writer.add({ ...everyField, id: -1 })
    }).toThrow(RangeError)
    expect(() => {
      writer.add({ ...everyField, id: 1.5 })
    }).toThrow(RangeError)
    writer.close()
  })
})

describe('round trip', () => {
  it('rebuilds every field of every result exactly', () => {
    createRun('r', [])
    const list = [...results(500, 9), everyField, noResponse].map((r, id) => ({ ...r, id }))
    const writer = store.resultWriter('r', { maxBatch: 64 })
    // Out of id order, as an engine finishes them.
    for (const result of [...list].reverse()) writer.add(result)
    writer.close()
    for (const result of list) expect(store.getResult('r', result.id)).toEqual(result)
    expect([...store.iterateResults('r', 'id')]).toEqual(list)
    expect(store.getResult('r', 10_000)).toBeNull()
    expect(store.getResult('missing', 0)).toBeNull()
  })

  it('reads a NaN timing back as NaN', () => {
    createRun('r', [])
    const writer = store.resultWriter('r')
    writer.add({ ...everyField, timings: { ...everyField.timings, total: NaN, dns: NaN } })
    writer.close()
    const back = store.getResult('r', everyField.id)
    expect(back?.timings.total).toBeNaN()
    expect(back?.timings.dns).toBeNaN()
    expect(back?.timings.tls).toBe(everyField.timings.tls)
  })
})
