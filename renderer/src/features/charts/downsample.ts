/**
 * Pure downsampling for the live charts. recharts redraws every SVG node on each update, so a
 * series must stay at about the plot's pixel width (≤ 2,000 points; see the ecosystem notes §5.1).
 *
 * - minMaxDownsample: per bucket, keeps the rows holding each value's minimum and maximum, so a
 *   latency spike is never averaged away (LTTB can skip a one-point spike next to a taller one).
 * - lttb: Largest-Triangle-Three-Buckets (Steinarsson 2013) for counts and rates, where the visual
 *   shape matters more than every extreme.
 * - capRecent: the scatter of individual requests keeps only the most recent points.
 *
 * Every function returns the input array itself when it already fits, so a memoised chart sees a
 * stable reference, and never more than `limit` items otherwise. First and last items are kept.
 */

export type Accessor<T> = (item: T) => number | null

/** The default cap for a line series handed to recharts. */
export const MAX_SERIES_POINTS = 2_000

/**
 * Min/max bucket downsampling over one or more values of each row (e.g. p50, p95, p99). Rows are
 * split into equal-count buckets between the first and last row; each bucket contributes the rows
 * holding the min and max of every value (deduplicated, in input order). Null values are skipped;
 * a bucket whose values are all null contributes its first row so gaps stay visible.
 */
export function minMaxDownsample<T>(
  rows: readonly T[],
  limit: number,
  values: readonly Accessor<T>[]
): readonly T[] {
  const n = rows.length
  const cap = Math.floor(limit)
  if (n <= cap) return rows
  if (cap <= 0) return []
  if (cap === 1) return rows.slice(n - 1)
  if (cap === 2) return [rows[0] as T, rows[n - 1] as T]
  const perBucket = 2 * Math.max(1, values.length)
  const bucketCount = Math.floor((cap - 2) / perBucket)
  if (bucketCount < 1) return strideDownsample(rows, cap)
  const inner = n - 2
  const out: T[] = [rows[0] as T]
  const picked: number[] = []
  for (let b = 0; b < bucketCount; b++) {
    const from = 1 + Math.floor((b * inner) / bucketCount)
    const to = 1 + Math.floor(((b + 1) * inner) / bucketCount)
    if (from >= to) continue
    picked.length = 0
    let anyValue = false
    for (const value of values) {
      let minI = -1
      let maxI = -1
      let min = Infinity
      let max = -Infinity
      for (let i = from; i < to; i++) {
        const v = value(rows[i] as T)
        if (v === null || !Number.isFinite(v)) continue
        if (v < min) {
          min = v
          minI = i
        }
        if (v > max) {
          max = v
          maxI = i
        }
      }
      if (minI >= 0) {
        anyValue = true
        picked.push(minI, maxI)
      }
    }
    if (!anyValue) picked.push(from)
    picked.sort((a, b2) => a - b2)
    let prev = -1
    for (const i of picked) {
      if (i === prev) continue
      out.push(rows[i] as T)
      prev = i
    }
  }
  out.push(rows[n - 1] as T)
  return out
}

/**
 * Largest-Triangle-Three-Buckets: exactly `limit` rows (when the input is longer), first and last
 * kept, each middle bucket represented by the row forming the largest triangle with the previous
 * pick and the next bucket's average. Null y counts as 0.
 */
export function lttb<T>(
  rows: readonly T[],
  limit: number,
  x: (item: T) => number,
  y: Accessor<T>
): readonly T[] {
  const n = rows.length
  const cap = Math.floor(limit)
  if (n <= cap) return rows
  if (cap <= 0) return []
  if (cap === 1) return rows.slice(n - 1)
  if (cap === 2) return [rows[0] as T, rows[n - 1] as T]
  const yv = (i: number): number => {
    const v = y(rows[i] as T)
    return v === null || !Number.isFinite(v) ? 0 : v
  }
  const out: T[] = [rows[0] as T]
  const every = (n - 2) / (cap - 2)
  let a = 0
  for (let b = 0; b < cap - 2; b++) {
    // Average of the next bucket (the last row for the final bucket).
    const nextFrom = Math.floor((b + 1) * every) + 1
    const nextTo = Math.min(n, Math.floor((b + 2) * every) + 1)
    let avgX = 0
    let avgY = 0
    const len = Math.max(0, nextTo - nextFrom)
    if (len > 0) {
      for (let i = nextFrom; i < nextTo; i++) {
        avgX += x(rows[i] as T)
        avgY += yv(i)
      }
      avgX /= len
      avgY /= len
    } else {
      avgX = x(rows[n - 1] as T)
      avgY = yv(n - 1)
    }
    const from = Math.floor(b * every) + 1
    const to = Math.min(n - 1, Math.floor((b + 1) * every) + 1)
    const ax = x(rows[a] as T)
    const ay = yv(a)
    let best = from
    let bestArea = -1
    for (let i = from; i < to; i++) {
      const area = Math.abs((ax - avgX) * (yv(i) - ay) - (ax - x(rows[i] as T)) * (avgY - ay))
      if (area > bestArea) {
        bestArea = area
        best = i
      }
    }
    out.push(rows[best] as T)
    a = best
  }
  out.push(rows[n - 1] as T)
  return out
}

/** Every k-th row with the first and last kept: the cheapest fallback, ≤ limit rows. */
export function strideDownsample<T>(rows: readonly T[], limit: number): readonly T[] {
  const n = rows.length
  const cap = Math.floor(limit)
  if (n <= cap) return rows
  if (cap <= 0) return []
  if (cap === 1) return rows.slice(n - 1)
  const out: T[] = []
  for (let k = 0; k < cap; k++) out.push(rows[Math.round((k * (n - 1)) / (cap - 1))] as T)
  return out
}

/**
 * The `limit` most recent items by `at`, in ascending time order. Input already in time order (the
 * usual case: a ring buffer's tail) is sliced without copying the rest.
 */
export function capRecent<T>(items: readonly T[], limit: number, at: (item: T) => number): readonly T[] {
  const cap = Math.max(0, Math.floor(limit))
  let sorted = true
  for (let i = 1; i < items.length; i++) {
    if (at(items[i - 1] as T) > at(items[i] as T)) {
      sorted = false
      break
    }
  }
  if (sorted) return items.length <= cap ? items : items.slice(items.length - cap)
  const copy = items.slice().sort((p, q) => at(p) - at(q))
  return copy.length <= cap ? copy : copy.slice(copy.length - cap)
}

/** Rows whose x lies in [from, to] (a window for charts that show only the latest minutes). */
export function windowByX<T>(
  rows: readonly T[],
  x: (item: T) => number,
  from: number,
  to = Infinity
): readonly T[] {
  if (rows.length === 0) return rows
  const first = rows[0] as T
  const last = rows[rows.length - 1] as T
  if (x(first) >= from && x(last) <= to) return rows
  return rows.filter((r) => {
    const v = x(r)
    return v >= from && v <= to
  })
}
