import { describe, expect, it } from 'vitest'
import { BlockCache, decodeBlock, encodeBlock } from '../../../electron/core/store/result-blocks.ts'
import type { DetailJson } from '../../../electron/core/store/result-codec.ts'
import { sqliteCode, StoreError, toStoreError } from '../../../electron/core/store/store-error.ts'

const detail = (n: number): DetailJson => ({
  method: 'GET',
  attempts: [],
  redirects: [],
  headers: { 'content-type': 'text/html', etag: `"${n}"` },
  timings: [n, 0.5, null, 3.25, 1e-9],
  ...(n % 2 ? { retryable: true, errorStatus: 503 } : {})
})

describe('result blocks', () => {
  it.each(['br2', 'br', 'json'] as const)('round-trips details through the %s codec', (codec) => {
    const details = Array.from({ length: 200 }, (_, n) => detail(n))
    expect(decodeBlock(codec, encodeBlock(details, codec))).toEqual(details)
  })

  it('compresses repetitive details several times over', () => {
    const details = Array.from({ length: 200 }, (_, n) => detail(n))
    expect(encodeBlock(details).length * 4).toBeLessThan(JSON.stringify(details).length)
  })

  it('refuses a codec it does not know', () => {
    expect(() => decodeBlock('zz', new Uint8Array())).toThrow(/Unknown result block codec "zz"/)
  })

  it('keeps the most recently used blocks', () => {
    const cache = new BlockCache(2)
    let loads = 0
    const load = (n: number) => () => {
      loads++
      return [detail(n)]
    }
    cache.get(1, load(1))
    cache.get(2, load(2))
    cache.get(1, load(1)) // 1 is now the most recent
    cache.get(3, load(3)) // evicts 2
    cache.get(1, load(1))
    expect(loads).toBe(3)
    cache.get(2, load(2))
    expect(loads).toBe(4)
  })
})

describe('store errors', () => {
  const sqliteError = (errcode: number, message: string): Error =>
    Object.assign(new Error(message), { code: 'ERR_SQLITE_ERROR', errcode, errstr: message })

  it.each([
    [5, 'LOCKED'],
    [517, 'LOCKED'], // SQLITE_BUSY_SNAPSHOT: extended codes fold to their primary code
    [6, 'LOCKED'],
    [11, 'CORRUPT'],
    [26, 'CORRUPT'],
    [13, 'IO'],
    [14, 'IO'],
    [10, 'IO']
  ] as const)('SQLite code %i is %s, with advice', (errcode, code) => {
    const error = toStoreError(sqliteError(errcode, 'boom'), '/data/runs.db', 'open')
    expect(error).toBeInstanceOf(StoreError)
    expect(error.code).toBe(code)
    expect(error.path).toBe('/data/runs.db')
    expect(error.message).toContain('/data/runs.db')
  })

  it('passes a StoreError through and reads codes only from SQLite errors', () => {
    const original = new StoreError('TOO_NEW', 'newer')
    expect(toStoreError(original, 'x', 'open')).toBe(original)
    expect(sqliteCode(new Error('plain'))).toBeNull()
    expect(sqliteCode(sqliteError(261, 'busy recovery'))).toBe(5)
  })
})
