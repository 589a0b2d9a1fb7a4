import { describe, expect, it } from 'vitest'
import {
  capRecent,
  lttb,
  minMaxDownsample,
  strideDownsample,
  windowByX
} from '../../../../renderer/src/features/charts/downsample.ts'

interface Row {
  x: number
  y: number | null
}

/** mulberry32: the same noisy series on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function series(n: number, seed = 1): Row[] {
  const r = rng(seed)
  return Array.from({ length: n }, (_, i) => ({ x: i, y: 100 + 20 * r() }))
}

const y = (r: Row): number | null => r.y
const x = (r: Row): number => r.x

type Downsampler = (rows: readonly Row[], limit: number) => readonly Row[]
const downsamplers: Record<string, Downsampler> = {
  minMax: (rows, limit) => minMaxDownsample(rows, limit, [y]),
  minMaxTwoValues: (rows, limit) => minMaxDownsample(rows, limit, [y, (r) => (r.y === null ? null : -r.y)]),
  lttb: (rows, limit) => lttb(rows, limit, x, y),
  stride: (rows, limit) => strideDownsample(rows, limit)
}

const sizes: [n: number, limit: number][] = [
  [10_000, 2_000],
  [10_000, 1_000],
  [2_001, 2_000],
  [5_000, 7],
  [5_000, 3],
  [100, 50],
  [37, 10]
]

describe.each(Object.entries(downsamplers))('%s', (_name, down) => {
  it.each(sizes)('n=%i limit=%i: at most limit rows, first and last kept, x ascending', (n, limit) => {
    const rows = series(n)
    const out = down(rows, limit)
    expect(out.length).toBeLessThanOrEqual(limit)
    expect(out.length).toBeGreaterThanOrEqual(Math.min(2, limit))
    expect(out[0]).toBe(rows[0])
    expect(out[out.length - 1]).toBe(rows[n - 1])
    for (let i = 1; i < out.length; i++) expect(out[i]!.x).toBeGreaterThan(out[i - 1]!.x)
  })

  it.each([0, 1, 5, 2_000])('returns a small input of %i rows unchanged (same reference)', (n) => {
    const rows = series(n)
    expect(down(rows, 2_000)).toBe(rows)
  })

  it('is idempotent: downsampling the output again changes nothing', () => {
    const once = down(series(9_000), 500)
    expect(down(once, 500)).toBe(once)
  })

  it('handles limits of 0, 1 and 2', () => {
    const rows = series(100)
    expect(down(rows, 0)).toEqual([])
    expect(down(rows, 1)).toEqual([rows[99]])
    expect(down(rows, 2)).toEqual([rows[0], rows[99]])
  })
})

describe('minMaxDownsample', () => {
  it.each([
    ['a single spike', [4_321], [4_321]],
    ['the taller of two spikes in one bucket', [5_000, 5_001], [5_001]],
    ['a spike next to the end', [9_998], [9_998]],
    ['spikes spread out', [100, 3_000, 6_000, 9_000], [100, 3_000, 6_000, 9_000]]
  ])('keeps %s', (_label, spikes, kept) => {
    const rows = series(10_000)
    for (const i of spikes) rows[i] = { x: i, y: 10_000 + i }
    const out = minMaxDownsample(rows, 400, [y])
    for (const i of kept) expect(out).toContain(rows[i])
    // Whatever else is dropped, the chart's peak is the input's peak.
    expect(Math.max(...out.map((r) => r.y ?? 0))).toBe(Math.max(...rows.map((r) => r.y ?? 0)))
  })

  it('keeps dips too (the min of each bucket)', () => {
    const rows = series(10_000)
    rows[7_777] = { x: 7_777, y: 0.5 }
    expect(minMaxDownsample(rows, 300, [y])).toContain(rows[7_777])
  })

  it('keeps the spike of every value it is given', () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => ({ x: i, a: 1, b: 1 }))
    rows[1_234] = { x: 1_234, a: 999, b: 1 }
    rows[3_456] = { x: 3_456, a: 1, b: 999 }
    const out = minMaxDownsample(rows, 200, [(r) => r.a, (r) => r.b])
    expect(out.length).toBeLessThanOrEqual(200)
    expect(out).toContain(rows[1_234])
    expect(out).toContain(rows[3_456])
  })

  it('skips nulls, and keeps a row for an all-null stretch so the gap stays visible', () => {
    const rows: Row[] = series(4_000)
    for (let i = 1_000; i < 2_000; i++) rows[i] = { x: i, y: null }
    const out = minMaxDownsample(rows, 100, [y])
    expect(out.length).toBeLessThanOrEqual(100)
    expect(out.some((r) => r.y === null)).toBe(true)
    expect(out.every((r) => r.y === null || Number.isFinite(r.y))).toBe(true)
  })

  it('handles an empty input', () => {
    expect(minMaxDownsample([], 10, [y])).toEqual([])
  })
})

describe('lttb', () => {
  it('returns exactly limit rows when the input is longer', () => {
    expect(lttb(series(10_000), 777, x, y)).toHaveLength(777)
  })

  it('keeps an isolated spike that dominates its bucket', () => {
    const rows = series(10_000)
    rows[5_000] = { x: 5_000, y: 10_000 }
    expect(lttb(rows, 500, x, y)).toContain(rows[5_000])
  })

  it('follows a straight line exactly', () => {
    const rows = Array.from({ length: 1_000 }, (_, i) => ({ x: i, y: 2 * i }))
    for (const r of lttb(rows, 50, x, y)) expect(r.y).toBe(2 * r.x)
  })
})

describe('capRecent', () => {
  const at = (p: { at: number }): number => p.at

  it.each([
    ['empty', [], 5, []],
    ['fits', [1, 2, 3], 5, [1, 2, 3]],
    ['keeps the newest of sorted input', [1, 2, 3, 4, 5, 6], 3, [4, 5, 6]],
    ['keeps the newest of unsorted input, sorted', [5, 1, 6, 2, 4, 3], 3, [4, 5, 6]],
    ['limit 0', [1, 2], 0, []]
  ])('%s', (_label, times, limit, expected) => {
    const items = times.map((t) => ({ at: t }))
    expect(capRecent(items, limit, at).map(at)).toEqual(expected)
  })

  it('returns sorted input that fits as the same reference', () => {
    const items = [{ at: 1 }, { at: 2 }]
    expect(capRecent(items, 10, at)).toBe(items)
  })
})

describe('windowByX', () => {
  it.each([
    ['all inside', [0, 100], 0, 99],
    ['a tail window', [50, Infinity], 50, 99],
    ['a middle window', [10, 20], 10, 20]
  ])('%s', (_label, [from, to], first, last) => {
    const rows = series(100)
    const out = windowByX(rows, x, from!, to)
    expect(out[0]!.x).toBe(first)
    expect(out[out.length - 1]!.x).toBe(last)
  })

  it('returns the input itself when every row is inside', () => {
    const rows = series(10)
    expect(windowByX(rows, x, -1)).toBe(rows)
  })
})
