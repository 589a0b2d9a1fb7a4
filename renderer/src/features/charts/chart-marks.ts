import { capRecent } from './downsample.ts'
import type { ChartMark } from './types.ts'

/** Settings and decision marks on the time charts: x positions, and label rows that never overlap. */

export interface MarkLine {
  readonly key: string
  readonly x: number
  readonly label: string
  readonly kind: 'settings' | 'decision'
}
/** Marks at or after the start, as x positions in seconds; at most `limit`, the latest kept. */
export function markLines(marks: readonly ChartMark[], startedAt: number, limit = 50): readonly MarkLine[] {
  const kept = capRecent(marks, limit, (m) => m.at)
  return kept
    .filter((m) => m.at >= startedAt)
    .map((m, i) => ({
      key: `${String(m.at)}-${String(i)}`,
      x: (m.at - startedAt) / 1000,
      label: m.label,
      kind: m.kind ?? 'settings'
    }))
}

export interface PlacedMark extends MarkLine {
  /** Label row from the top (0 = first line of text). */
  readonly row: number
  /** Label text; null when no row had room (the line is drawn, its label counted on a neighbour's). */
  readonly text: string | null
  /** Which side of the line the label sits: 'right' of it, or 'left' in the right 40% of the axis. */
  readonly side: 'left' | 'right'
}

/** Mark labels are 10 px text: about this many px a character, plus padding from the line. */
const MARK_CHAR_PX = 5.8
const MARK_PAD_PX = 4
export const MARK_ROWS = 3

/**
 * Places mark labels so none overlaps: each goes on the first row (from the top) where it clears
 * every label already there; with all MARK_ROWS rows taken at its place, its label is dropped and
 * the nearest earlier label shown says "+N more". `plotPx` is the plot's width in pixels.
 */
export function placeMarkLabels(
  lines: readonly MarkLine[],
  xEnd: number,
  plotPx: number,
  maxRows = MARK_ROWS
): readonly PlacedMark[] {
  const sorted = [...lines].sort((a, b) => a.x - b.x)
  const rows: [number, number][][] = Array.from({ length: maxRows }, () => [])
  const out: { line: MarkLine; row: number; text: string | null; side: 'left' | 'right'; more: number }[] = []
  let lastShown = -1
  for (const line of sorted) {
    const frac = xEnd > 0 ? line.x / xEnd : 0
    const side = frac > 0.6 ? 'left' : 'right'
    const px = frac * plotPx
    const w = line.label.length * MARK_CHAR_PX
    const span: [number, number] =
      side === 'right' ? [px + MARK_PAD_PX, px + MARK_PAD_PX + w] : [px - MARK_PAD_PX - w, px - MARK_PAD_PX]
    const row = rows.findIndex((taken) =>
      taken.every(([a, b]) => span[1] + MARK_PAD_PX <= a || span[0] >= b + MARK_PAD_PX)
    )
    if (row < 0) {
      const prev = out[lastShown]
      if (prev) prev.more++
      out.push({ line, row: 0, text: null, side, more: 0 })
      continue
    }
    rows[row]?.push(span)
    lastShown = out.length
    out.push({ line, row, text: line.label, side, more: 0 })
  }
  return out.map((m) => ({
    ...m.line,
    row: m.row,
    side: m.side,
    text: m.text === null ? null : m.more > 0 ? `${m.text} (+${String(m.more)} more)` : m.text
  }))
}
