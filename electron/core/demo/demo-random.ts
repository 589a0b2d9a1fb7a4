/**
 * Small seeded randomness for the demo target. Everything the demo serves or generates must be
 * reproducible from a seed, so workshops, tests and benchmarks see the same "random" site.
 */

export type Rng = () => number

/** mulberry32: tiny, fast, good enough for demo data (not for anything security related). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Integer in [min, max], both inclusive. */
export function randInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1))
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)]
  if (item === undefined) throw new Error('pick() needs a non-empty list')
  return item
}

/** z-score of the 99th percentile of the standard normal distribution. */
const Z_P99 = 2.326347874

/**
 * Draws from a log-normal distribution described the way people think about latency: by its median
 * and its p99. sigma follows from ln(p99 / median) = sigma * z(0.99).
 */
export function sampleLognormal(rng: Rng, median: number, p99: number): number {
  const mu = Math.log(median)
  const sigma = Math.log(p99 / median) / Z_P99
  // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
  const u1 = 1 - rng()
  const u2 = rng()
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
  return Math.exp(mu + sigma * z)
}

/** FNV-1a, to turn strings (page names, keys) into seeds. */
export function hashString(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** The longest delay any demo route (or a page of the demo site) sleeps before answering. */
export const MAX_DELAY_MS = 120_000
