/**
 * Figures as text, the same in the app, the runner and the HTML report: counts, latencies,
 * durations, bytes, rates, percentages, and one glyph for "no value". A fixed locale (en-US digits
 * and separators) so a screen, a terminal and a report that travels all read alike. Pure: no DOM,
 * no Node.
 */

/** Shown where there is no value (no response, no latency yet, nothing to divide by). */
export const EMPTY = '–'

type Maybe = number | null | undefined

const known = (n: Maybe): n is number => n !== null && n !== undefined && Number.isFinite(n)

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

/** "1,234,567". */
export function formatCount(n: Maybe): string {
  return known(n) ? grouped.format(n) : EMPTY
}

const two = (n: number): string => String(n).padStart(2, '0')

/** A latency or a short time: "0.42 ms", "3.1 ms", "250 ms", "1.25 s", "12.5 s", "2 min 05 s". */
export function formatMs(ms: Maybe): string {
  if (!known(ms)) return EMPTY
  if (ms < 0) return `-${formatMs(-ms)}`
  if (ms < 1) return `${ms.toFixed(2)} ms`
  if (ms < 10) return `${ms.toFixed(1)} ms`
  if (ms < 999.5) return `${Math.round(ms)} ms`
  if (ms < 10_000) return `${(ms / 1_000).toFixed(2)} s`
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`
  return formatDuration(ms)
}

/** A run's length, elapsed time or ETA: "4.2 s", "45 s", "3 min 07 s", "2 h 05 min". */
export function formatDuration(ms: Maybe): string {
  if (!known(ms) || ms < 0) return EMPTY
  if (ms < 10_000) return `${(ms / 1_000).toFixed(1)} s`
  const s = Math.round(ms / 1_000)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${two(s % 60)} s`
  return `${Math.floor(m / 60)} h ${two(m % 60)} min`
}

/** The same for a narrow place (a card, a progress line): "45 s", "1m 37s", "1h 02m". */
export function formatDurationShort(ms: Maybe): string {
  if (!known(ms) || ms < 0) return EMPTY
  const s = Math.round(ms / 1_000)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${two(s % 60)}s`
  return `${Math.floor(m / 60)}h ${two(m % 60)}m`
}

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB'] as const

/** Sizes in steps of 1024, named so: "512 B", "1.5 KiB", "15 KiB", "5.0 MiB". */
export function formatBytes(bytes: Maybe): string {
  if (!known(bytes) || bytes < 0) return EMPTY
  if (bytes < 1024) return `${Math.round(bytes)} B`
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024
    unit += 1
  }
  // Two or three significant digits; "10.0" would round up past the step.
  const digits = value < 9.95 ? value.toFixed(1) : String(Math.round(value))
  return `${digits} ${BYTE_UNITS[unit] ?? 'TiB'}`
}

/** A rate's number alone, for a place already labelled req/s: "0.8", "12.5", "1,250". */
export function formatRateValue(perSecond: Maybe): string {
  if (!known(perSecond)) return EMPTY
  return perSecond >= 100 ? grouped.format(perSecond) : perSecond.toFixed(1)
}

/** Requests per second: "12.5 req/s". */
export function formatRate(perSecond: Maybe): string {
  return known(perSecond) ? `${formatRateValue(perSecond)} req/s` : EMPTY
}

/** A percentage already computed: "0%", "37.5%", "100%". */
export function formatPercent(percent: Maybe): string {
  if (!known(percent)) return EMPTY
  return percent === 0 || percent === 100 ? `${percent}%` : `${percent.toFixed(1)}%`
}

/**
 * A part of a whole: "33.3%"; "<0.1%" for a small part that is not none, ">99.9%" for nearly all
 * but not all (so 100% always means every one).
 */
export function formatShare(part: Maybe, whole: Maybe): string {
  if (!known(part) || !known(whole) || whole <= 0) return EMPTY
  const percent = (part / whole) * 100
  if (part > 0 && percent < 0.1) return '<0.1%'
  if (part < whole && percent > 99.9) return '>99.9%'
  return formatPercent(part === whole ? 100 : percent)
}

/** How many times faster than one request at a time: "3.2×". */
export function formatSpeedup(speedup: Maybe): string {
  return known(speedup) ? `${speedup.toFixed(1)}×` : EMPTY
}
