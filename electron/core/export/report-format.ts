import { EMPTY } from '../../../shared/format.ts'

/**
 * What only the report writes this way: dates in the exporting machine's time zone with the offset
 * written out (the file travels), and its SVG charts' tick labels. Counts, latencies, sizes and
 * shares come from shared/format.ts, as the app and the runner show them.
 */

const two = (n: number): string => String(n).padStart(2, '0')

/**
 * Local date and time with the UTC offset: 2025-10-09 14:03:07 UTC+02:00. `offsetMinutes` is for
 * tests; by default the machine's offset at that instant.
 */
export function formatDateTime(epochMs: number | null, offsetMinutes?: number): string {
  if (epochMs === null || !Number.isFinite(epochMs)) return EMPTY
  const offset = offsetMinutes ?? -new Date(epochMs).getTimezoneOffset()
  // Shift, then read the UTC fields: the wall time at that offset, whatever this machine's zone.
  const d = new Date(epochMs + offset * 60_000)
  const sign = offset < 0 ? '−' : '+'
  const abs = Math.abs(offset)
  return (
    `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ` +
    `UTC${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`
  )
}

/** Tick labels: short, at most three significant digits (1.5k for 1,500). */
export function formatTick(value: number): string {
  if (!Number.isFinite(value)) return ''
  const abs = Math.abs(value)
  if (abs >= 1e6) return `${trim(value / 1e6)}M`
  if (abs >= 1e4) return `${trim(value / 1e3)}k`
  return trim(value, 4)
}

function trim(value: number, digits = 3): string {
  return String(Number(value.toPrecision(digits)))
}
