import { describe, expect, it } from 'vitest'
import { placeMarkLabels, type MarkLine } from '../../../../renderer/src/features/charts/chart-marks.ts'
import { dotsNote, linesNote } from '../../../../renderer/src/features/charts/latency-over-time-chart.tsx'

const mark = (x: number, label: string): MarkLine => ({
  key: `${String(x)}-${label}`,
  x,
  label,
  kind: 'settings'
})

/** Pixel extent of a placed label, as placeMarkLabels lays it out (10 px text, ~5.8 px a character). */
function extent(
  x: number,
  xEnd: number,
  plotPx: number,
  text: string,
  side: 'left' | 'right'
): [number, number] {
  const px = (x / xEnd) * plotPx
  const w = text.length * 5.8
  return side === 'right' ? [px + 4, px + 4 + w] : [px - 4 - w, px - 4]
}

describe('placeMarkLabels', () => {
  it('stacks two close changes ("concurrency 32 → 4" then "4 → 64") on separate rows', () => {
    const placed = placeMarkLabels(
      [mark(20, 'concurrency 32 → 4'), mark(22, 'concurrency 4 → 64')],
      60,
      1_100
    )
    expect(placed.map((m) => m.row)).toEqual([0, 1])
    expect(placed.every((m) => m.text !== null)).toBe(true)
  })

  it('keeps far-apart labels on the first row', () => {
    const placed = placeMarkLabels([mark(5, 'concurrency 8 → 20'), mark(40, 'concurrency 20 → 8')], 60, 1_100)
    expect(placed.map((m) => m.row)).toEqual([0, 0])
  })

  it('never lets two labels on one row overlap, and merges what does not fit into "+N more"', () => {
    const lines = Array.from({ length: 8 }, (_, i) =>
      mark(30 + i * 0.2, `per-host ${String(i)} → ${String(i + 1)}`)
    )
    const placed = placeMarkLabels(lines, 60, 1_100)
    const shown = placed.filter((m) => m.text !== null)
    expect(shown).toHaveLength(3)
    for (const a of shown)
      for (const b of shown) {
        if (a === b || a.row !== b.row) continue
        const ea = extent(a.x, 60, 1_100, a.text ?? '', a.side)
        const eb = extent(b.x, 60, 1_100, b.text ?? '', b.side)
        expect(ea[1] <= eb[0] || eb[1] <= ea[0]).toBe(true)
      }
    expect(shown.at(-1)?.text).toMatch(/\(\+5 more\)$/)
  })

  it('puts labels in the right 40% of the axis on the left of their line', () => {
    const placed = placeMarkLabels([mark(10, 'a'), mark(50, 'b')], 60, 600)
    expect(placed.map((m) => m.side)).toEqual(['right', 'left'])
  })
})

describe('latency chart legend notes', () => {
  it('says what the lines are: the window and the minimum', () => {
    expect(linesNote(10_000, 20)).toBe(
      'lines: percentiles of the last 10 s of results; a gap where fewer than 20 finished'
    )
  })

  it('says how the dots were sampled', () => {
    expect(dotsNote(1_500, 20_000, 20_000)).toBe('dots: 1,500 of 20,000 requests, sampled across the run')
    expect(dotsNote(300, 300, 300)).toBe('dots: all 300 requests')
    // Opened mid-run: the sample is of what this view received.
    expect(dotsNote(1_500, 4_000, 20_000)).toBe('dots: 1,500 of 20,000 requests, sampled from the last 4,000')
  })
})
