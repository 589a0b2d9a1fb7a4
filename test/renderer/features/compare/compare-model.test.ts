import { describe, expect, it } from 'vitest'
import type { HostDelta, RunInfo } from '../../../../shared/api.ts'
import type { LatencyFigures } from '../../../../shared/summary.ts'
import {
  changeDelta,
  defaultOther,
  formatDelta,
  hostRows,
  latencyDelta,
  nextHostSort,
  pageLabel,
  percentileRows,
  sortHostRows,
  toggleKind
} from '../../../../renderer/src/features/compare/compare-model.ts'
import { runInfo } from '../../../helpers/fixtures.ts'

/** The Compare view's figures: deltas and their direction, host order, the default pair. */

const figures = (p50: number | null, p90: number | null, p95: number | null, p99: number | null): LatencyFigures => ({
  count: 10, min: 1, mean: 50, p50, p90, p95, p99, max: 500
}) // prettier-ignore

describe('latency deltas', () => {
  it.each([
    [100, 150, 'slower', '+50 ms (+50%)'],
    [200, 100, 'faster', '−100 ms (−50%)'],
    [100, 100.2, 'same', 'no change'],
    [1_000, 1_045, 'slower', '+45 ms (+4.5%)'],
    [0, 12, 'slower', '+12 ms'],
    [null, 12, 'unknown', '–'],
    [12, Number.NaN, 'unknown', '–']
  ] as const)('%s → %s ms is %s: "%s"', (base, other, direction, text) => {
    const d = latencyDelta(base, other)
    expect(d.direction).toBe(direction)
    expect(formatDelta(d)).toBe(text)
  })

  it('lists p50, p90, p95 and p99 of both runs with their change', () => {
    const rows = percentileRows(figures(100, 200, 300, 400), figures(90, 200, 450, null))
    expect(rows.map((r) => [r.key, r.base, r.other, r.delta.direction])).toEqual([
      ['p50', 100, 90, 'faster'],
      ['p90', 200, 200, 'same'],
      ['p95', 300, 450, 'slower'],
      ['p99', 400, null, 'unknown']
    ])
  })

  it('gives a URL that is in one run only no delta', () => {
    const side = { id: 1, status: 200, ok: true, errorCode: null, totalMs: 50 }
    expect(changeDelta({ url: 'u', kind: 'only-in-base', base: side, other: null }).ms).toBeNull()
    expect(
      changeDelta({ url: 'u', kind: 'much-slower', base: side, other: { ...side, totalMs: 400 } }).ms
    ).toBe(350)
  })
})

describe('hosts', () => {
  const host = (name: string, base: [number, number, number] | null, other: [number, number, number] | null): HostDelta => ({
    host: name,
    base: base && { count: base[0], p50: base[1], p95: base[2] },
    other: other && { count: other[0], p50: other[1], p95: other[2] }
  }) // prettier-ignore
  const hosts = [
    host('a.test', [100, 10, 20], [100, 30, 25]),
    host('b.test', [50, 10, 20], [60, 5, 200]),
    host('c.test', null, [40, 10, 20]),
    host('d.test', [10, 10, 20], [10, 10, 20])
  ]
  const order = (key: 'host' | 'requests' | 'p50' | 'p95', direction: 'asc' | 'desc'): string[] =>
    sortHostRows(hostRows(hosts), { key, direction }).map((r) => r.host)

  it('sorts by the change of p50 or p95, hosts of one run last in either direction', () => {
    expect(order('p50', 'desc')).toEqual(['a.test', 'd.test', 'b.test', 'c.test'])
    expect(order('p50', 'asc')).toEqual(['b.test', 'd.test', 'a.test', 'c.test'])
    expect(order('p95', 'desc')).toEqual(['b.test', 'a.test', 'd.test', 'c.test'])
  })

  it('sorts by requests in both runs and by name', () => {
    expect(order('requests', 'desc')).toEqual(['a.test', 'b.test', 'c.test', 'd.test'])
    expect(order('host', 'desc')).toEqual(['d.test', 'c.test', 'b.test', 'a.test'])
  })

  it('flips the direction on the same column and starts a new one at its natural direction', () => {
    expect(nextHostSort({ key: 'p95', direction: 'desc' }, 'p95')).toEqual({ key: 'p95', direction: 'asc' })
    expect(nextHostSort({ key: 'p95', direction: 'asc' }, 'host')).toEqual({ key: 'host', direction: 'asc' })
    expect(nextHostSort({ key: 'host', direction: 'asc' }, 'p50')).toEqual({ key: 'p50', direction: 'desc' })
  })
})

describe('the pair and the changes list', () => {
  const run = (runId: string, createdAt: number): RunInfo => runInfo({ runId, createdAt })

  it('pairs a base with the next run made after it, else the one before', () => {
    const runs = [run('c', 300), run('a', 100), run('b', 200)]
    expect(defaultOther(runs, 'a')).toBe('b')
    expect(defaultOther(runs, 'b')).toBe('c')
    expect(defaultOther(runs, 'c')).toBe('b')
    expect(defaultOther([run('a', 100)], 'a')).toBeNull()
    expect(defaultOther(runs, 'gone')).toBeNull()
  })

  it('toggles kinds, keeping them in the order the host lists them', () => {
    expect(toggleKind([], 'fixed')).toEqual(['fixed'])
    expect(toggleKind(['fixed'], 'newly-failing')).toEqual(['newly-failing', 'fixed'])
    expect(toggleKind(['newly-failing', 'fixed'], 'newly-failing')).toEqual(['fixed'])
  })

  it('labels a page', () => {
    const count = (n: number): string => n.toLocaleString('en')
    expect(pageLabel(0, 100, 4_524, count)).toBe('1–100 of 4,524')
    expect(pageLabel(4_500, 24, 4_524, count)).toBe('4,501–4,524 of 4,524')
    expect(pageLabel(0, 0, 0, count)).toBe('No changes')
    expect(pageLabel(5_000, 0, 4_524, count)).toBe('None past 4,524')
  })
})
