import { describe, expect, it } from 'vitest'
import type { CompactResults, RunSnapshot } from '../../../shared/api.ts'
import { Reservoir } from '../../../renderer/src/stores/reservoir.ts'
import { RunData, SAMPLE_CAPACITY } from '../../../renderer/src/stores/run-data.ts'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'
import { LogHistogram } from '../../../shared/histogram.ts'
import { TimeBuckets } from '../../../shared/time-series.ts'

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

describe('Reservoir (algorithm R)', () => {
  it('keeps everything until full, then exactly its capacity', () => {
    const r = new Reservoir(100, mulberry32(1))
    for (let i = 0; i < 60; i++) r.offer(i, i, true)
    expect(r.size).toBe(60)
    expect(Array.from(r.at.subarray(0, 60))).toEqual(Array.from({ length: 60 }, (_, i) => i))
    for (let i = 60; i < 20_000; i++) r.offer(i, i, i % 10 !== 0)
    expect(r.size).toBe(100)
    expect(r.seen).toBe(20_000)
  })

  it('samples evenly across the stream, not just its end', () => {
    const r = new Reservoir(2_000, mulberry32(42))
    for (let i = 0; i < 20_000; i++) r.offer(i, 1, true)
    // Ten equal stretches of the run: each should hold about a tenth of the sample (200 ± 25%).
    const perTenth = new Array<number>(10).fill(0)
    for (let k = 0; k < r.size; k++) {
      const tenth = Math.floor((r.at[k] ?? 0) / 2_000)
      perTenth[tenth] = (perTenth[tenth] ?? 0) + 1
    }
    for (const n of perTenth) {
      expect(n).toBeGreaterThan(150)
      expect(n).toBeLessThan(250)
    }
  })

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new Reservoir(0)).toThrow(/capacity must be a positive integer, got 0/)
    expect(() => new Reservoir(2.5)).toThrow(/got 2.5/)
  })
})

describe('RunData scatter sample', () => {
  it('covers a 20,000-result run from start to end', () => {
    const t0 = Date.parse('2026-11-22T12:00:00Z')
    const empty: CompactResults = { id: [], ok: [], totalMs: [], finishedAt: [], status: [], code: [] }
    const snapshot = {
      runId: 'r',
      series: new TimeBuckets({ startedAt: t0 }).toJSON(),
      histogram: new LogHistogram().toJSON(),
      config: DEFAULT_CONFIG,
      recent: empty,
      marks: [],
      inFlight: { at: t0, inFlight: 0, limit: 8 },
      decisions: [],
      traps: [],
      notices: [],
      frontierSeries: [],
      spider: null
    } as unknown as RunSnapshot
    const data = RunData.fromSnapshot(snapshot, mulberry32(3))
    // 200 batches of 100 results over 40 s.
    for (let b = 0; b < 200; b++) {
      const ids = Array.from({ length: 100 }, (_, k) => b * 100 + k)
      data.applyResults({
        id: ids,
        ok: ids.map(() => 1),
        totalMs: ids.map(() => 60),
        finishedAt: ids.map((i) => t0 + i * 2),
        status: ids.map(() => 200),
        code: ids.map(() => '' as const)
      })
    }
    const points = data.recentPoints()
    expect(points).toHaveLength(SAMPLE_CAPACITY)
    expect(data.sample.seen).toBe(20_000)
    // Oldest first, and from the first seconds as well as the last.
    expect(points.every((p, i) => i === 0 || (points[i - 1]?.at ?? 0) <= p.at)).toBe(true)
    expect((points[0]?.at ?? 0) - t0).toBeLessThan(1_000)
    expect(t0 + 40_000 - (points.at(-1)?.at ?? 0)).toBeLessThan(1_000)
  })
})
