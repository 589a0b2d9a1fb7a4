/**
 * Numbers, sizes, times and durations as the report prints them. Fixed locale (en-US digits and
 * separators) so a report reads the same wherever it was made; dates in the exporting machine's
 * time zone with the offset written out, since the file travels.
 */

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

export function formatCount(n: number): string {
  return Number.isFinite(n) ? grouped.format(n) : '–'
}

/** A latency or duration in ms: 0.42 ms, 12.3 ms, 812 ms, 1.25 s, 2 min 05 s. */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '–'
  if (ms < 10) return `${ms.toFixed(2)} ms`
  if (ms < 100) return `${ms.toFixed(1)} ms`
  if (ms < 1_000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
  return formatDuration(ms)
}

/** A run's length: 4.2 s, 3 min 07 s, 2 h 05 min. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '–'
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const s = Math.round(ms / 1000)
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–'
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${value.toFixed(1)} ${units[unit] ?? 'TiB'}`
}

/** A share as a percentage: 12.5 %, <0.1 % for a small non-zero share. */
export function formatShare(part: number, whole: number): string {
  if (!(whole > 0) || !Number.isFinite(part)) return '–'
  const pct = (part / whole) * 100
  if (pct > 0 && pct < 0.1) return '<0.1 %'
  return `${pct.toFixed(1)} %`
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '–'
  return `${perSecond < 10 ? perSecond.toFixed(2) : perSecond.toFixed(1)} req/s`
}

const two = (n: number): string => String(n).padStart(2, '0')

/**
 * Local date and time with the UTC offset: 2025-10-09 14:03:07 UTC+02:00. `offsetMinutes` is for
 * tests; by default the machine's offset at that instant.
 */
export function formatDateTime(epochMs: number | null, offsetMinutes?: number): string {
  if (epochMs === null || !Number.isFinite(epochMs)) return '–'
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
