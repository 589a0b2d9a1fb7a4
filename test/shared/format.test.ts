import { describe, expect, it } from 'vitest'
import {
  EMPTY,
  formatBytes,
  formatCount,
  formatDuration,
  formatDurationShort,
  formatMs,
  formatPercent,
  formatRate,
  formatRateValue,
  formatShare,
  formatSpeedup
} from '../../shared/format.ts'

/** One way to write each figure, in the app, the runner and the report alike. */

describe('the empty value', () => {
  it('is one glyph, the en dash, for every formatter', () => {
    expect(EMPTY).toBe('–')
    for (const format of [formatCount, formatMs, formatDuration, formatDurationShort, formatBytes]) {
      expect(format(null)).toBe('–')
      expect(format(Number.NaN)).toBe('–')
    }
    for (const format of [formatRate, formatRateValue, formatPercent, formatSpeedup]) {
      expect(format(undefined)).toBe('–')
      expect(format(Number.POSITIVE_INFINITY)).toBe('–')
    }
  })
})

describe('formatMs: latencies and short times', () => {
  it.each([
    [null, '–'],
    [Number.NaN, '–'],
    [0.4234, '0.42 ms'],
    [0.5, '0.50 ms'],
    [3.14, '3.1 ms'],
    [4.26, '4.3 ms'],
    [12.34, '12 ms'],
    [123.4, '123 ms'],
    [250, '250 ms'],
    [812.4, '812 ms'],
    [999.7, '1.00 s'],
    [1_234, '1.23 s'],
    [1_250, '1.25 s'],
    [1_500, '1.50 s'],
    [12_500, '12.5 s'],
    [15_000, '15.0 s'],
    [30_000, '30.0 s'],
    [61_000, '1 min 01 s'],
    [125_000, '2 min 05 s'],
    [-12.34, '-12 ms']
  ])('formatMs(%s) = %s', (ms, text) => {
    expect(formatMs(ms)).toBe(text)
  })
})

describe('formatDuration: run lengths, elapsed and ETA', () => {
  it.each([
    [0, '0.0 s'],
    [4_200, '4.2 s'],
    [45_400, '45 s'],
    [59_600, '1 min 00 s'],
    [187_000, '3 min 07 s'],
    [7_500_000, '2 h 05 min'],
    [-1, '–'],
    [null, '–']
  ])('formatDuration(%s) = %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })

  it.each([
    [45_000, '45 s'],
    [97_000, '1m 37s'],
    [3_720_000, '1h 02m'],
    [-1, '–']
  ])('formatDurationShort(%s) = %s', (ms, text) => {
    expect(formatDurationShort(ms)).toBe(text)
  })
})

describe('formatBytes: steps of 1024, named so', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1_023, '1023 B'],
    [1_024, '1.0 KiB'],
    [2_048, '2.0 KiB'],
    [10_189, '10 KiB'],
    [15_360, '15 KiB'],
    [5 * 1024 * 1024, '5.0 MiB'],
    [60_327_882, '58 MiB'],
    [3 * 1024 ** 4, '3.0 TiB'],
    [-1, '–']
  ])('formatBytes(%d) = %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text)
  })
})

describe('counts, rates and speedups', () => {
  it.each([
    [1_000_000, '1,000,000'],
    [1_234_567, '1,234,567'],
    [0, '0'],
    [12.6, '13']
  ])('formatCount(%d) = %s', (n, text) => {
    expect(formatCount(n)).toBe(text)
  })

  it.each([
    [0.84, '0.8 req/s', '0.8'],
    [12.46, '12.5 req/s', '12.5'],
    [1_250.4, '1,250 req/s', '1,250']
  ])('formatRate(%d) = %s', (perSecond, text, value) => {
    expect(formatRate(perSecond)).toBe(text)
    expect(formatRateValue(perSecond)).toBe(value)
  })

  it('writes a speedup with one decimal', () => {
    expect(formatSpeedup(3.24)).toBe('3.2×')
  })
})

describe('percentages and shares', () => {
  it.each([
    [0, '0%'],
    [37, '37.0%'],
    [98.456, '98.5%'],
    [100, '100%']
  ])('formatPercent(%d) = %s', (percent, text) => {
    expect(formatPercent(percent)).toBe(text)
  })

  it.each([
    [1, 3, '33.3%'],
    [2, 3, '66.7%'],
    [1, 10_000, '<0.1%'],
    [1, 1_000, '0.1%'],
    [0, 10, '0%'],
    [42, 100, '42.0%'],
    [999, 1_000, '99.9%'],
    [9_999, 10_000, '>99.9%'],
    [10, 10, '100%'],
    [5, 0, '–']
  ])('formatShare(%d, %d) = %s', (part, whole, text) => {
    expect(formatShare(part, whole)).toBe(text)
  })
})
