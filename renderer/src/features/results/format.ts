import { EMPTY, formatCount, formatMs } from '../../../../shared/format.ts'

/**
 * What only the results table and detail panel write this way (pure): status classes, ms in a
 * column already labelled ms, wall-clock times. Everything else comes from shared/format.ts.
 */

export { statusClassOf, type StatusClass } from '../../../../shared/result.ts'

/** Status as a table shows it: the code, or the empty glyph when no response arrived. */
export function formatStatus(status: number | null): string {
  return status === null || status === 0 ? EMPTY : String(status)
}

/** A ms value for a column already labelled "ms": "0.4", "12", "1,234". */
export function formatMsCell(ms: number): string {
  if (!Number.isFinite(ms)) return EMPTY
  if (ms < 10) return ms.toFixed(1)
  return formatCount(ms)
}

/** Local wall-clock time with milliseconds: "14:03:22.123". */
export function formatClock(epochMs: number): string {
  if (!Number.isFinite(epochMs) || epochMs <= 0) return EMPTY
  const d = new Date(epochMs)
  const p2 = (n: number): string => String(n).padStart(2, '0')
  return `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`
}

/** Offset from a reference time: "+0 ms", "+1.25 s". */
export function formatOffset(ms: number): string {
  return ms > 0 ? `+${formatMs(ms)}` : '+0 ms'
}
