/**
 * Chart arithmetic for the report's server-drawn SVG: nice tick values, linear and log scales,
 * path data, downsampling. Pure functions, table-tested.
 */

/** Most points a drawn series keeps: enough for a 720-unit-wide chart, small enough for the file. */
export const MAX_SERIES_POINTS = 500

/** A step of 1, 2 or 5 × 10^k giving about `count` intervals over `span`. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1
  const raw = span / Math.max(1, count)
  const power = Math.pow(10, Math.floor(Math.log10(raw)))
  const unit = raw / power
  const nice = unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10
  return nice * power
}

/**
 * Ticks at multiples of a nice step from ⌊lo⌋ to ⌈hi⌉ (so the first and last tick enclose the
 * data and become the axis ends). lo = hi gets a span of one step around the value. `integer`
 * keeps the step at 1 or more (counts of requests have no fractions).
 */
export function niceTicks(lo: number, hi: number, count = 5, opts: { integer?: boolean } = {}): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1]
  if (hi < lo) [lo, hi] = [hi, lo]
  if (hi === lo) {
    if (lo === 0) return [0, 1]
    const step = niceStep(Math.abs(lo), count)
    lo -= step
    hi += step
  }
  const step = opts.integer === true ? Math.max(1, niceStep(hi - lo, count)) : niceStep(hi - lo, count)
  const first = Math.floor(lo / step + 1e-9)
  const last = Math.ceil(hi / step - 1e-9)
  const ticks: number[] = []
  // Rounded to the step's decimals so 0.1 + 0.2 prints as 0.3.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)))
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toFixed(decimals)))
  return ticks
}

/** Ticks at 1, 2 and 5 × 10^k inside [lo, hi] (lo > 0); at least the two ends when none fall inside. */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0) || !(hi >= lo) || !Number.isFinite(hi)) return []
  const ticks: number[] = []
  for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * Math.pow(10, p)).toPrecision(6))
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push(v)
    }
  }
  // Too many labels for the width: keep the powers of ten.
  const thinned = ticks.length > 10 ? ticks.filter(isPow10) : ticks
  return thinned.length >= 2 ? thinned : [lo, hi]
}

function isPow10(v: number): boolean {
  const p = Math.round(Math.log10(v))
  return Math.abs(v - Math.pow(10, p)) <= 1e-9 * v
}

export type Scale = (value: number) => number

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps everything to the range's middle. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain
  const [r0, r1] = range
  if (d1 === d0) return () => (r0 + r1) / 2
  const k = (r1 - r0) / (d1 - d0)
  return (v) => r0 + (v - d0) * k
}

/** Log scale over a positive domain; values ≤ 0 go to the range's start. */
export function logScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain
  const lin = linearScale([Math.log(d0), Math.log(d1)], range)
  return (v) => (v > 0 ? lin(Math.log(v)) : range[0])
}

/** A coordinate with one decimal: plenty for a 720-unit viewBox, and a small file. */
export function coord(v: number): string {
  return String(Math.round(v * 10) / 10)
}

/**
 * SVG path data through screen points; null starts a new segment (a gap where there was no data),
 * so a line never bridges a silent stretch of the run.
 */
export function pathData(points: readonly (readonly [number, number] | null)[]): string {
  let d = ''
  let pen = false
  for (const p of points) {
    if (p === null) {
      pen = false
      continue
    }
    d += `${pen ? 'L' : 'M'}${coord(p[0])} ${coord(p[1])}`
    pen = true
  }
  return d
}

/**
 * At most `max` items, evenly strided, first and last kept. (The run's time series are already
 * merged bucket-wise to ≤ MAX_SERIES_POINTS; this is the guard for anything else drawn.)
 */
export function downsample<T>(items: readonly T[], max: number): T[] {
  const n = items.length
  const limit = Math.max(2, Math.floor(max))
  if (n <= limit) return [...items]
  const out: T[] = []
  for (let k = 0; k < limit; k++) {
    const item = items[Math.round((k * (n - 1)) / (limit - 1))]
    if (item !== undefined) out.push(item)
  }
  return out
}

/** A time axis in the unit that keeps its numbers short: seconds, minutes or hours. */
export function timeUnit(spanSeconds: number): {
  readonly unit: 's' | 'min' | 'h'
  readonly seconds: number
} {
  if (spanSeconds <= 180) return { unit: 's', seconds: 1 }
  if (spanSeconds <= 3 * 3600) return { unit: 'min', seconds: 60 }
  return { unit: 'h', seconds: 3600 }
}

/**
 * SVG path data for the area under a line down to `baseY`: one closed shape per segment between
 * gaps, so an area never spans a stretch without data.
 */
export function areaData(points: readonly (readonly [number, number] | null)[], baseY: number): string {
  let d = ''
  let segment: (readonly [number, number])[] = []
  const close = (): void => {
    const first = segment[0]
    const last = segment[segment.length - 1]
    if (first && last) {
      d += `M${coord(first[0])} ${coord(baseY)}`
      for (const p of segment) d += `L${coord(p[0])} ${coord(p[1])}`
      d += `L${coord(last[0])} ${coord(baseY)}Z`
    }
    segment = []
  }
  for (const p of points) {
    if (p === null) close()
    else segment.push(p)
  }
  close()
  return d
}

/** The 1-2-5 values just enclosing [lo, hi] (lo > 0): the ends of a log axis. */
export function logNiceDomain(lo: number, hi: number): [number, number] {
  if (!(lo > 0) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [1, 10]
  if (hi < lo) [lo, hi] = [hi, lo]
  const steps = (p: number): number[] => [1, 2, 5].map((m) => Number((m * Math.pow(10, p)).toPrecision(6)))
  let below = Math.pow(10, Math.floor(Math.log10(lo)))
  for (const v of steps(Math.floor(Math.log10(lo)))) if (v <= lo * (1 + 1e-9)) below = v
  let above = Math.pow(10, Math.ceil(Math.log10(hi)))
  for (const v of [
    ...steps(Math.floor(Math.log10(hi))),
    ...steps(Math.floor(Math.log10(hi)) + 1)
  ].reverse()) {
    if (v >= hi * (1 - 1e-9)) above = v
  }
  if (above <= below) above = below * 2
  return [below, above]
}
