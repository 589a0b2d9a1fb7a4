import { describe, expect, it } from 'vitest'
import { HostScheduler } from '../../../electron/core/engine/host-scheduler.ts'
import { HostPacer } from '../../../electron/core/politeness/host-pacing.ts'

/** The scheduler's politeness hooks: a host's own limit, start pacing, and wake-up requests. */

const T0 = 1_000_000

function take(s: HostScheduler<string>, now: number): string[] {
  const out: string[] = []
  for (let i = 0; i < 1_000; i++) {
    const next = s.next(now)
    if (!next) return out
    out.push(`${next.host.name}:${next.item}`)
  }
  throw new Error('next() never ran dry')
}

describe('HostScheduler hooks', () => {
  it('a host’s own limit applies below the user’s, never above it', () => {
    const own = new Map([
      ['a', 2],
      ['b', 50]
    ])
    const s = new HostScheduler<string>(
      { concurrency: 100, perHostConcurrency: 4 },
      { hostLimit: (host) => own.get(host) ?? Number.POSITIVE_INFINITY }
    )
    for (let i = 0; i < 10; i++) {
      s.enqueue('a', `a${i}`, T0)
      s.enqueue('b', `b${i}`, T0)
    }
    const started = take(s, T0)
    expect(started.filter((x) => x.startsWith('a:'))).toHaveLength(2)
    expect(started.filter((x) => x.startsWith('b:'))).toHaveLength(4)
    expect(s.limitOf('a')).toBe(2)
    expect(s.limitOf('b')).toBe(4)
    // The limit rises: wake() lets the host take more.
    own.set('a', 3)
    s.wake('a', T0)
    expect(take(s, T0)).toEqual(['a:a2'])
  })

  it('paces starts per host and asks to be woken when the gap ends, once per host and time', () => {
    const pacer = new HostPacer({ minDelayMs: 100 })
    const wakes: [string, number][] = []
    const s = new HostScheduler<string>(
      { concurrency: 100, perHostConcurrency: 10 },
      {
        pacer: {
          earliestStart: (host, now) => pacer.earliestStart(host, now),
          noteStart: (host, now) => {
            pacer.noteStart(host, now)
          }
        },
        onWakeNeeded: (host, at) => wakes.push([host, at])
      }
    )
    for (let i = 0; i < 3; i++) {
      s.enqueue('a', `a${i}`, T0)
      s.enqueue('b', `b${i}`, T0)
    }
    // One start per host now; each host then waits 100 ms, and says so.
    expect(take(s, T0)).toEqual(['a:a0', 'b:b0'])
    expect(wakes).toEqual([
      ['a', T0 + 100],
      ['b', T0 + 100]
    ])
    expect(take(s, T0 + 99)).toEqual([])
    s.wake('a', T0 + 100)
    s.wake('b', T0 + 100)
    expect(take(s, T0 + 100)).toEqual(['a:a1', 'b:b1'])
    // A pause longer than the gap wins.
    s.pauseHost('a', T0 + 500, T0 + 100)
    expect(wakes.at(-1)).toEqual(['a', T0 + 500])
    s.wake('a', T0 + 200)
    s.wake('b', T0 + 200)
    expect(take(s, T0 + 200)).toEqual(['b:b2'])
    s.wake('a', T0 + 500)
    expect(take(s, T0 + 500)).toEqual(['a:a2'])
    // Nothing queued: no wake-up asked for.
    const before = wakes.length
    s.wake('a', T0 + 700)
    expect(wakes.length).toBe(before)
  })
})
