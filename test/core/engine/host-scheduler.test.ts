import { describe, expect, it } from 'vitest'
import { HostScheduler } from '../../../electron/core/engine/host-scheduler.ts'

const T0 = 1_000_000

/** Takes everything that may start now, as "host:item" strings. */
function drain(s: HostScheduler<string>, now = T0): string[] {
  const out: string[] = []
  for (let i = 0; i < 10_000; i += 1) {
    const next = s.next(now)
    if (!next) return out
    out.push(`${next.host.name}:${next.item}`)
  }
  throw new Error('next() never ran dry')
}

function fill(s: HostScheduler<string>, host: string, count: number, now = T0): void {
  for (let i = 0; i < count; i += 1) s.enqueue(host, `${host}${i}`, now)
}

describe('HostScheduler', () => {
  it('hosts with work take turns (round robin), so a big host cannot starve the others', () => {
    const s = new HostScheduler<string>({ concurrency: 100, perHostConcurrency: 100 })
    fill(s, 'a', 6)
    fill(s, 'b', 2)
    fill(s, 'c', 1)
    expect(drain(s)).toEqual(['a:a0', 'b:b0', 'c:c0', 'a:a1', 'b:b1', 'a:a2', 'a:a3', 'a:a4', 'a:a5'])
    expect(s.active).toBe(9)
    expect(s.queued).toBe(0)
  })

  it('items of one host start in FIFO order', () => {
    const s = new HostScheduler<string>({ concurrency: 10, perHostConcurrency: 10 })
    fill(s, 'h', 5)
    expect(drain(s)).toEqual(['h:h0', 'h:h1', 'h:h2', 'h:h3', 'h:h4'])
  })

  it('enforces the global limit, and a release lets the next one start', () => {
    const s = new HostScheduler<string>({ concurrency: 3, perHostConcurrency: 10 })
    fill(s, 'a', 5)
    fill(s, 'b', 5)
    const first = drain(s)
    expect(first).toHaveLength(3)
    expect(s.active).toBe(3)
    expect(s.queued).toBe(7)
    expect(s.next(T0)).toBeNull()
    s.release(s.host('a'), T0, '')
    expect(drain(s)).toHaveLength(1)
    expect(s.active).toBe(3)
  })

  it('enforces the per-host limit while other hosts fill the global limit', () => {
    const s = new HostScheduler<string>({ concurrency: 10, perHostConcurrency: 2 })
    fill(s, 'a', 5)
    fill(s, 'b', 5)
    const started = drain(s)
    expect(started.filter((x) => x.startsWith('a:'))).toEqual(['a:a0', 'a:a1'])
    expect(started.filter((x) => x.startsWith('b:'))).toEqual(['b:b0', 'b:b1'])
    expect(s.host('a').active).toBe(2)
    // A release on host a frees exactly one more for host a.
    s.release(s.host('a'), T0, '')
    expect(drain(s)).toEqual(['a:a2'])
  })

  it('a paused host starts nothing until woken after its pause; others go on', () => {
    const s = new HostScheduler<string>({ concurrency: 10, perHostConcurrency: 10 })
    fill(s, 'a', 2)
    fill(s, 'b', 2)
    s.pauseHost('a', T0 + 1_000, T0)
    expect(drain(s)).toEqual(['b:b0', 'b:b1'])
    // Still paused just before the end, even when woken.
    s.wake('a', T0 + 999)
    expect(drain(s, T0 + 999)).toEqual([])
    s.wake('a', T0 + 1_000)
    expect(drain(s, T0 + 1_000)).toEqual(['a:a0', 'a:a1'])
  })

  it('a pause is extended but never shortened', () => {
    const s = new HostScheduler<string>({ concurrency: 10, perHostConcurrency: 10 })
    s.pauseHost('a', T0 + 2_000, T0)
    s.pauseHost('a', T0 + 500, T0)
    expect(s.host('a').pausedUntil).toBe(T0 + 2_000)
    fill(s, 'a', 1, T0 + 600)
    s.wake('a', T0 + 600)
    expect(drain(s, T0 + 600)).toEqual([])
    s.wake('a', T0 + 2_000)
    expect(drain(s, T0 + 2_000)).toEqual(['a:a0'])
  })

  it('work enqueued after the pause ended is eligible without a wake', () => {
    const s = new HostScheduler<string>({ concurrency: 10, perHostConcurrency: 10 })
    s.pauseHost('a', T0 + 100, T0)
    s.enqueue('a', 'late', T0 + 100)
    expect(drain(s, T0 + 100)).toEqual(['a:late'])
  })

  it('raising the limits lets more start at once', () => {
    const s = new HostScheduler<string>({ concurrency: 2, perHostConcurrency: 1 })
    fill(s, 'a', 4)
    fill(s, 'b', 4)
    expect(drain(s)).toEqual(['a:a0', 'b:b0'])
    s.setLimits({ concurrency: 6, perHostConcurrency: 3 }, T0)
    expect(s.limits).toEqual({ concurrency: 6, perHostConcurrency: 3 })
    expect(drain(s).sort()).toEqual(['a:a1', 'a:a2', 'b:b1', 'b:b2'])
    expect(s.active).toBe(6)
  })

  it('lowering the limits starts nothing until enough have finished', () => {
    const s = new HostScheduler<string>({ concurrency: 6, perHostConcurrency: 6 })
    fill(s, 'a', 10)
    expect(drain(s)).toHaveLength(6)
    s.setLimits({ concurrency: 3, perHostConcurrency: 6 }, T0)
    const a = s.host('a')
    s.release(a, T0, '')
    s.release(a, T0, '')
    s.release(a, T0, '')
    expect(drain(s)).toEqual([]) // 3 still active = the new limit
    s.release(a, T0, '')
    expect(drain(s)).toEqual(['a:a6'])
    s.setLimits({ concurrency: 10, perHostConcurrency: 2 }, T0)
    expect(drain(s)).toEqual([]) // 3 active > per-host 2
    s.release(a, T0, '')
    s.release(a, T0, '')
    expect(drain(s)).toEqual(['a:a7'])
  })

  it('a retry goes to the front of its host queue', () => {
    const s = new HostScheduler<string>({ concurrency: 1, perHostConcurrency: 1 })
    fill(s, 'a', 3)
    const first = s.next(T0)
    expect(first?.item).toBe('a0')
    if (first) s.release(first.host, T0, first.item)
    s.enqueue('a', 'a0-retry', T0, true)
    expect(drain(s)).toEqual(['a:a0-retry'])
    s.release(s.host('a'), T0, '')
    expect(drain(s)).toEqual(['a:a1'])
  })

  it('banded: a lower band (a shallower page) starts first whatever the order of arrival; a retry goes first of all', () => {
    // Items are "depth/name"; the band is the depth.
    const s = new HostScheduler<string>(
      { concurrency: 100, perHostConcurrency: 100 },
      { bandOf: (item) => Number(item.split('/')[0]) }
    )
    for (const item of ['3/x', '1/a', '2/p', '1/b', '0/seed', '2/q']) s.enqueue('h', item, T0)
    expect(drain(s)).toEqual(['h:0/seed', 'h:1/a', 'h:1/b', 'h:2/p', 'h:2/q', 'h:3/x'])
    // Later arrivals: a shallower one still goes before deeper ones queued earlier.
    for (const item of ['4/y', '2/r', '1/c']) s.enqueue('h', item, T0)
    s.enqueue('h', '5/retry', T0, true)
    expect(drain(s)).toEqual(['h:5/retry', 'h:1/c', 'h:2/r', 'h:4/y'])
    expect(s.queued).toBe(0)
  })

  it('banded: within the per-host limit, lower bands go first as slots free up', () => {
    const s = new HostScheduler<string>(
      { concurrency: 100, perHostConcurrency: 1 },
      { bandOf: (item) => Number(item.split('/')[0]) }
    )
    s.enqueue('h', '2/deep', T0)
    const first = s.next(T0)
    expect(first?.item).toBe('2/deep')
    s.enqueue('h', '4/deeper', T0)
    s.enqueue('h', '1/shallow', T0)
    expect(s.next(T0)).toBeNull()
    if (first) s.release(first.host, T0, first.item)
    expect(s.next(T0)?.item).toBe('1/shallow')
  })

  it('banded: an item waits while items two bands below are in flight, until they finish', () => {
    const wakes: [string, number][] = []
    const s = new HostScheduler<string>(
      { concurrency: 100, perHostConcurrency: 100 },
      {
        bandOf: (item) => Number(item.split('/')[0]),
        bandHoldMs: 1_000,
        onWakeNeeded: (host, at) => wakes.push([host, at])
      }
    )
    s.enqueue('h', '0/seed', T0)
    const seed = s.next(T0)
    s.enqueue('h', '2/deep', T0 + 10)
    s.enqueue('h', '1/near', T0 + 10)
    // The seed may still link to "deep" at depth 1: only the adjacent band starts meanwhile.
    expect(drain(s, T0 + 10)).toEqual(['h:1/near'])
    expect(wakes).toEqual([['h', T0 + 1_000]])
    if (seed) s.release(seed.host, T0 + 50, seed.item)
    expect(drain(s, T0 + 50)).toEqual(['h:2/deep'])
  })

  it('banded: a hanging item holds deeper ones back for bandHoldMs at most', () => {
    const s = new HostScheduler<string>(
      { concurrency: 100, perHostConcurrency: 100 },
      { bandOf: (item) => Number(item.split('/')[0]), bandHoldMs: 1_000 }
    )
    s.enqueue('a', '0/hangs', T0)
    expect(drain(s)).toEqual(['a:0/hangs'])
    s.enqueue('b', '3/other-host', T0 + 100)
    expect(drain(s, T0 + 100)).toEqual([])
    s.wake('b', T0 + 1_000)
    expect(drain(s, T0 + 1_000)).toEqual(['b:3/other-host'])
  })

  it('without bands nothing is held: a list run starts in arrival order', () => {
    const s = new HostScheduler<string>({ concurrency: 100, perHostConcurrency: 100 }, { bandHoldMs: 1_000 })
    for (const item of ['2/x', '0/y', '5/z']) s.enqueue('h', item, T0)
    expect(drain(s)).toEqual(['h:2/x', 'h:0/y', 'h:5/z'])
  })

  it('clear drops every queued item', () => {
    const s = new HostScheduler<string>({ concurrency: 10, perHostConcurrency: 10 })
    fill(s, 'a', 3)
    fill(s, 'b', 3)
    s.clear()
    expect(s.queued).toBe(0)
    expect(s.next(T0)).toBeNull()
  })

  it('stays consistent over many enqueues and releases', () => {
    const s = new HostScheduler<string>({ concurrency: 7, perHostConcurrency: 3 })
    const hosts = ['a', 'b', 'c', 'd']
    let enqueued = 0
    let started = 0
    const active: string[] = []
    for (let round = 0; round < 3_000; round += 1) {
      const host = hosts[round % hosts.length] ?? 'a'
      s.enqueue(host, `${round}`, T0)
      enqueued += 1
      for (let next = s.next(T0); next; next = s.next(T0)) {
        started += 1
        active.push(next.host.name)
        expect(s.active).toBeLessThanOrEqual(7)
        expect(next.host.active).toBeLessThanOrEqual(3)
      }
      if (round % 2 === 0) {
        const done = active.shift()
        if (done) s.release(s.host(done), T0, '')
      }
    }
    expect(started + s.queued).toBe(enqueued)
    expect(s.active).toBe(active.length)
  })
})
