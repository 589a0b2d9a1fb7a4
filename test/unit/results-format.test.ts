import { describe, expect, it } from 'vitest'
import {
  formatBytes,
  formatClock,
  formatCount,
  formatDuration,
  formatMsCell,
  formatOffset,
  formatShare,
  formatStatus,
  statusClassOf
} from '../../renderer/src/features/results/format.ts'

describe('results format', () => {
  it.each([
    [200, '2xx'],
    [302, '3xx'],
    [429, '4xx'],
    [500, '5xx'],
    [103, '1xx'],
    [null, 'none'],
    [0, 'none']
  ] as const)('statusClassOf(%s) = %s', (s, c) => {
    expect(statusClassOf(s)).toBe(c)
  })

  it.each([
    [200, '200'],
    [null, '—'],
    [0, '—']
  ])('formatStatus(%s) = %s', (s, t) => {
    expect(formatStatus(s)).toBe(t)
  })

  it.each([
    [0.44, '0.4'],
    [9.96, '10.0'],
    [12.4, '12'],
    [1_234.5, '1,235'],
    [Number.NaN, '—']
  ])('formatMsCell(%d) = %s', (ms, t) => {
    expect(formatMsCell(ms)).toBe(t)
  })

  it.each([
    [0.5, '0.50 ms'],
    [3.14, '3.1 ms'],
    [250, '250 ms'],
    [1_500, '1.50 s'],
    [30_000, '30.0 s'],
    [61_000, '1 min 1 s'],
    [null, '—']
  ])('formatDuration(%s) = %s', (ms, t) => {
    expect(formatDuration(ms)).toBe(t)
  })

  it.each([
    [0, '0 B'],
    [1_023, '1023 B'],
    [1_024, '1.0 KB'],
    [15_360, '15 KB'],
    [5 * 1024 * 1024, '5.0 MB'],
    [-1, '—']
  ])('formatBytes(%d) = %s', (b, t) => {
    expect(formatBytes(b)).toBe(t)
  })

  it.each([
    [0, 10, '0%'],
    [1, 1_000, '<1%'],
    [42, 100, '42%'],
    [999, 1_000, '>99%'],
    [10, 10, '100%'],
    [5, 0, '0%']
  ])('formatShare(%d, %d) = %s', (p, w, t) => {
    expect(formatShare(p, w)).toBe(t)
  })

  it('formats counts, clocks and offsets', () => {
    expect(formatCount(1_234_567)).toBe('1,234,567')
    expect(formatClock(new Date(2024, 0, 1, 9, 5, 7, 42).getTime())).toBe('09:05:07.042')
    expect(formatClock(0)).toBe('—')
    expect(formatOffset(1_250)).toBe('+1.25 s')
    expect(formatOffset(-5)).toBe('+0 ms')
    expect(formatOffset(0)).toBe('+0 ms')
  })
})
