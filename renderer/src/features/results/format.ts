/** Formatting for the results table and detail panel (pure; the charts feature has its own). */

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'none'

export function statusClassOf(status: number | null): StatusClass {
  if (status === null || !Number.isFinite(status) || status < 100) return 'none'
  if (status < 200) return '1xx'
  if (status < 300) return '2xx'
  if (status < 400) return '3xx'
  if (status < 500) return '4xx'
  return '5xx'
}

/** Status as a table shows it: the code, or an em dash when no response arrived. */
export function formatStatus(status: number | null): string {
  return status === null || status === 0 ? '—' : String(status)
}

/** A ms value for a column already labelled "ms": "0.4", "12", "1,234". */
export function formatMsCell(ms: number): string {
  if (!Number.isFinite(ms)) return '—'
  if (ms < 10) return ms.toFixed(1)
  return Math.round(ms).toLocaleString('en-US')
}

/** A duration with its unit: "0.42 ms", "12 ms", "1.23 s", "2 min 5 s". */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—'
  const a = Math.abs(ms)
  if (a < 1) return `${ms.toFixed(2)} ms`
  if (a < 10) return `${ms.toFixed(1)} ms`
  if (a < 1000) return `${String(Math.round(ms))} ms`
  if (a < 10_000) return `${(ms / 1000).toFixed(2)} s`
  if (a < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const m = Math.floor(a / 60_000)
  const s = Math.round((a % 60_000) / 1000)
  return `${String(m)} min ${String(s)} s`
}

const BYTE_UNITS = ['KB', 'MB', 'GB', 'TB'] as const

/** Bytes in binary steps with decimal-looking labels, as file managers show them: "512 B", "1.2 KB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—'
  if (bytes < 1024) return `${String(Math.round(bytes))} B`
  let v = bytes / 1024
  let unit = 0
  while (v >= 1024 && unit < BYTE_UNITS.length - 1) {
    v /= 1024
    unit++
  }
  return `${v < 10 ? v.toFixed(1) : String(Math.round(v))} ${BYTE_UNITS[unit] ?? 'TB'}`
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

/** Share of a whole: "42%", "<1%" for small non-zero shares, "0%" for none. */
export function formatShare(part: number, whole: number): string {
  if (!(whole > 0) || !(part > 0)) return '0%'
  const pct = (part / whole) * 100
  if (pct < 1) return '<1%'
  if (pct > 99 && part < whole) return '>99%'
  return `${String(Math.round(pct))}%`
}

/** Local wall-clock time with milliseconds: "14:03:22.123". */
export function formatClock(epochMs: number): string {
  if (!Number.isFinite(epochMs) || epochMs <= 0) return '—'
  const d = new Date(epochMs)
  const p2 = (n: number): string => String(n).padStart(2, '0')
  return `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`
}

/** Offset from a reference time: "+0 ms", "+1.25 s". */
export function formatOffset(ms: number): string {
  return ms > 0 ? `+${formatDuration(ms)}` : '+0 ms'
}
