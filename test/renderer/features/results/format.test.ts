import { describe, expect, it } from 'vitest'
import {
  formatClock,
  formatMsCell,
  formatOffset,
  formatStatus,
  statusClassOf
} from '../../../../renderer/src/features/results/format.ts'

// Durations, sizes, counts and shares are written by shared/format.ts (test/shared/format.test.ts).

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
    [null, '–'],
    [0, '–']
  ])('formatStatus(%s) = %s', (s, t) => {
    expect(formatStatus(s)).toBe(t)
  })

  it.each([
    [0.44, '0.4'],
    [9.96, '10.0'],
    [12.4, '12'],
    [1_234.5, '1,235'],
    [Number.NaN, '–']
  ])('formatMsCell(%d) = %s', (ms, t) => {
    expect(formatMsCell(ms)).toBe(t)
  })

  it('formats clocks and offsets', () => {
    expect(formatClock(new Date(2024, 0, 1, 9, 5, 7, 42).getTime())).toBe('09:05:07.042')
    expect(formatClock(0)).toBe('–')
    expect(formatOffset(1_250)).toBe('+1.25 s')
    expect(formatOffset(-5)).toBe('+0 ms')
    expect(formatOffset(0)).toBe('+0 ms')
  })
})
