import { describe, expect, it } from 'vitest'
import type { ResultPage, ResultQueryInput, ResultRow } from '../../../../shared/api.ts'
import { ResultPageStore } from '../../../../renderer/src/features/results/page-store.ts'
import {
  buildQuery,
  defaultFilters,
  type BaseQuery
} from '../../../../renderer/src/features/results/query.ts'

/** A run of `total` rows served on demand, answering when the test says so. */
function fakeApi(total: number) {
  const calls: ResultQueryInput[] = []
  const waiting: { query: ResultQueryInput; resolve: () => void; reject: (e: Error) => void }[] = []
  let served = total
  const fetchPage = (query: ResultQueryInput): Promise<ResultPage> => {
    calls.push(query)
    return new Promise((resolve, reject) => {
      waiting.push({
        query,
        resolve: () => {
          const offset = query.offset
          const n = Math.max(0, Math.min(query.limit, served - offset))
          const rows: ResultRow[] = Array.from({ length: n }, (_, i) => ({
            id: offset + i,
            url: `https://demo.test/${String(offset + i)}?total=${String(served)}`,
            host: 'demo.test',
            status: 200,
            ok: true,
            errorCode: null,
            errorMessage: null,
            attempts: 1,
            totalMs: 1,
            ttfbMs: 1,
            bytes: 1,
            title: null,
            finishedAt: 0,
            depth: 0
          }))
          resolve({ total: served, offset, rows })
        },
        reject
      })
    })
  }
  return {
    fetchPage,
    calls,
    waiting,
    setTotal(n: number) {
      served = n
    },
    async answerAll() {
      while (waiting.length > 0) {
        waiting.shift()!.resolve()
        await Promise.resolve()
        await Promise.resolve()
      }
    }
  }
}

/** Manual timers: the test advances time. */
function fakeTimers() {
  let now = 0
  let next = 1
  const timers = new Map<number, { at: number; fn: () => void }>()
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const id = next++
      timers.set(id, { at: now + ms, fn })
      return id
    },
    clearTimer: (h: unknown) => {
      timers.delete(h as number)
    },
    advance(ms: number) {
      const end = now + ms
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0]
        if (!due) break
        now = due[1].at
        timers.delete(due[0])
        due[1].fn()
      }
      now = end
    },
    pending: () => timers.size
  }
}

const query = (): BaseQuery => buildQuery('run-1', defaultFilters())

function setup(total = 100_000) {
  const api = fakeApi(total)
  const t = fakeTimers()
  const store = new ResultPageStore(api.fetchPage, {
    pageSize: 200,
    maxPages: 6,
    prefetchRows: 60,
    debounceMs: 50,
    maxWaitMs: 200,
    now: t.now,
    setTimer: t.setTimer,
    clearTimer: t.clearTimer
  })
  return { api, t, store }
}

describe('ResultPageStore', () => {
  it('loads the first page at once for a new query and learns the total from it', async () => {
    const { api, store } = setup()
    store.setQuery(query())
    expect(api.calls.map((c) => [c.offset, c.limit])).toEqual([[0, 200]])
    expect(store.getSnapshot().total).toBeNull()
    await api.answerAll()
    const snap = store.getSnapshot()
    expect(snap.total).toBe(100_000)
    expect(snap.pages.get(0)?.length).toBe(200)
    expect(snap.pending).toBe(0)
  })

  it('fetches the pages for the visible window after a debounce, never the whole run', async () => {
    const { api, t, store } = setup()
    store.setQuery(query())
    await api.answerAll()
    store.setVisibleRange(50_000, 50_024)
    expect(api.calls).toHaveLength(1)
    t.advance(49)
    expect(api.calls).toHaveLength(1)
    t.advance(1)
    expect(api.calls.slice(1).map((c) => c.offset)).toEqual([49_800, 50_000])
    await api.answerAll()
    expect([...store.getSnapshot().pages.keys()].sort((a, b) => a - b)).toEqual([0, 249, 250])
  })

  it('keeps debouncing during a scroll but fetches at least every maxWait', async () => {
    const { api, t, store } = setup()
    store.setQuery(query())
    await api.answerAll()
    for (let i = 1; i <= 20; i++) {
      store.setVisibleRange(i * 1_000, i * 1_000 + 24)
      t.advance(20) // a scroll event every 20 ms: a pure debounce would never fire
    }
    expect(api.calls.length).toBeGreaterThan(1)
  })

  it('holds at most maxPages pages however far the user scrolls', async () => {
    const { api, t, store } = setup()
    store.setQuery(query())
    await api.answerAll()
    for (let first = 0; first < 100_000; first += 3_000) {
      store.setVisibleRange(first, first + 24)
      t.advance(60)
      await api.answerAll()
      expect(store.getSnapshot().pages.size).toBeLessThanOrEqual(6)
    }
  })

  it('does not refetch pages it already has', async () => {
    const { api, t, store } = setup()
    store.setQuery(query())
    await api.answerAll()
    store.setVisibleRange(10, 34)
    t.advance(60)
    store.setVisibleRange(20, 44)
    t.advance(60)
    expect(api.calls).toHaveLength(1)
  })

  it('drops everything and starts over on a new query; late answers to the old one are ignored', async () => {
    const { api, t, store } = setup()
    store.setQuery(query())
    await api.answerAll()
    store.setVisibleRange(5_000, 5_024)
    t.advance(60)
    const stale = api.waiting.splice(0)
    store.setQuery(buildQuery('run-1', { ...defaultFilters('failed') }))
    expect(store.getSnapshot().pages.size).toBe(0)
    expect(store.getSnapshot().total).toBeNull()
    expect(api.calls[api.calls.length - 1]).toMatchObject({ offset: 0, outcome: 'failed' })
    for (const w of stale) w.resolve()
    await Promise.resolve()
    await Promise.resolve()
    expect(store.getSnapshot().pages.size).toBe(0)
  })

  it('treats equal filters as the same query', () => {
    const { api, store } = setup()
    store.setQuery(buildQuery('r', { ...defaultFilters(), statuses: [500, 200] }))
    store.setQuery(buildQuery('r', { ...defaultFilters(), statuses: [200, 500] }))
    expect(api.calls).toHaveLength(1)
  })

  it('on invalidate refetches what is on screen and keeps the old rows until the new ones land', async () => {
    const { api, t, store } = setup(1_000)
    store.setQuery(query())
    await api.answerAll()
    store.setVisibleRange(0, 24)
    t.advance(60)
    api.setTotal(1_500)
    store.invalidate()
    expect(api.calls.at(-1)).toMatchObject({ offset: 0 })
    expect(store.getSnapshot().pages.get(0)?.[0]?.url).toContain('total=1000')
    expect(store.getSnapshot().total).toBe(1_000)
    await api.answerAll()
    expect(store.getSnapshot().pages.get(0)?.[0]?.url).toContain('total=1500')
    expect(store.getSnapshot().total).toBe(1_500)
  })

  it('stops on an error and resumes on retry', async () => {
    const { api, t, store } = setup()
    store.setQuery(query())
    await api.answerAll()
    store.setVisibleRange(2_000, 2_024)
    t.advance(60)
    api.waiting.shift()!.reject(new Error('backend gone'))
    await Promise.resolve()
    await Promise.resolve()
    expect(store.getSnapshot().error).toBe('backend gone')
    api.waiting.length = 0
    const before = api.calls.length
    store.setVisibleRange(1_990, 2_010)
    t.advance(60)
    expect(api.calls.length).toBe(before)
    store.retry()
    expect(store.getSnapshot().error).toBeNull()
    expect(api.calls.length).toBeGreaterThan(before)
  })

  it('notifies subscribers with a new snapshot object on change', async () => {
    const { api, store } = setup()
    let calls = 0
    const off = store.subscribe(() => calls++)
    const first = store.getSnapshot()
    store.setQuery(query())
    await api.answerAll()
    expect(calls).toBeGreaterThan(0)
    expect(store.getSnapshot()).not.toBe(first)
    off()
  })
})
