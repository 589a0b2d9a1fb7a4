import { describe, expect, it } from 'vitest'
import { LogHistogram, type HistogramData } from '../../../../shared/histogram.ts'
import { BINS_PER_DECADE, comparisonSteps } from '../../../../renderer/src/features/charts/comparison-data.ts'

/** The Compare view's overlaid distributions: both runs on the same bins, as shares of their requests. */

function histogram(values: readonly number[]): HistogramData {
  const h = new LogHistogram()
  for (const v of values) h.record(v)
  return h.toJSON()
}

const range = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i))

describe('comparisonSteps', () => {
  it('puts both runs on the same edges, each summing to 100% of its own requests', () => {
    const base = histogram(range(1_000, (i) => 10 + i))
    const other = histogram(range(50_000, (i) => 200 + (i % 5_000)))
    const steps = comparisonSteps(base, other, 40)
    expect(steps.length).toBeGreaterThan(10)
    expect(steps.length).toBeLessThanOrEqual(41)
    // The closing row repeats the last bin: leave it out of the sums.
    const bins = steps.slice(0, -1)
    const sum = (f: (s: (typeof bins)[number]) => number): number => bins.reduce((n, s) => n + f(s), 0)
    expect(sum((s) => s.base)).toBeCloseTo(100, 9)
    expect(sum((s) => s.other)).toBeCloseTo(100, 9)
    expect(sum((s) => s.baseCount)).toBe(1_000)
    expect(sum((s) => s.otherCount)).toBe(50_000)
    // Edges rise strictly, from the smallest value to the largest of either run.
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.x).toBeGreaterThan(steps[i - 1]!.x)
    expect(steps[0]!.x).toBe(10)
    expect(steps[steps.length - 1]!.x).toBe(5_199)
  })

  it('counts each value in the bin whose edges hold it', () => {
    const base = histogram([12, 12, 12, 900])
    const other = histogram([12, 900, 900, 900])
    const steps = comparisonSteps(base, other, 60)
    const binOf = (v: number): number =>
      steps.findIndex((s, i) => v >= s.x && v < (steps[i + 1]?.x ?? Infinity))
    const at12 = steps[binOf(12)]!
    const at900 = steps[binOf(899)]!
    expect(at12).toMatchObject({ baseCount: 3, otherCount: 1, base: 75, other: 25 })
    expect(at900).toMatchObject({ baseCount: 1, otherCount: 3, base: 25, other: 75 })
  })

  it('draws one run alone when the other has no requests', () => {
    const steps = comparisonSteps(histogram([5, 50, 500]), histogram([]), 60)
    expect(steps.every((s) => s.other === 0 && s.otherCount === 0)).toBe(true)
    expect(steps.slice(0, -1).reduce((n, s) => n + s.baseCount, 0)).toBe(3)
  })

  it('gives a single value some width, and nothing for two empty runs', () => {
    const steps = comparisonSteps(histogram([42]), histogram([42]), 60)
    expect(steps.length).toBe(2)
    expect(steps[1]!.x).toBeGreaterThan(steps[0]!.x)
    expect(steps[0]).toMatchObject({ base: 100, other: 100 })
    expect(comparisonSteps(histogram([]), histogram([]))).toEqual([])
  })

  it('keeps sub-microsecond values (the zero bucket) in the first bin', () => {
    const steps = comparisonSteps(histogram([0, 0, 10, 100]), histogram([100]), 60)
    expect(steps[0]!.x).toBeGreaterThan(0)
    expect(steps[0]!.baseCount).toBeGreaterThanOrEqual(2)
    expect(steps.slice(0, -1).reduce((n, s) => n + s.baseCount, 0)).toBe(4)
  })
})

describe('bin width', () => {
  it('makes bins no finer than 1/20 of a decade, even over a narrow range', () => {
    const steps = comparisonSteps(histogram([15, 36, 40]), histogram([15.2]), 60)
    // 15–40 ms is 0.43 of a decade: 9 bins, not the 50 native buckets it spans.
    expect(steps.length - 1).toBeLessThanOrEqual(Math.ceil(Math.log10(40 / 14.7) * BINS_PER_DECADE))
    for (let i = 1; i < steps.length - 1; i++) {
      expect(Math.log10(steps[i + 1]!.x / steps[i]!.x)).toBeGreaterThan(0.03)
    }
  })
})
