import type { ErrorCode } from '../../../shared/errors.ts'

/**
 * # Failure safeguard
 *
 * Pauses a run whose requests mostly fail (the site went down, we got blocked, the network
 * dropped) before it burns through a long URL list producing nothing but errors, and says why:
 * "Paused: 62% of the last 200 requests failed (threshold 50%); most were CONNECT_REFUSED on
 * shop.example".
 *
 * The window is the last `windowResults` finished results that are also at most `windowMs` old,
 * so a failure spell long ago does not linger and a fast run is judged on recent results. Nothing
 * trips before `minResults` results are in the window: the first two requests failing is not a
 * 100% failure rate worth pausing for. A trip is reported once; the safeguard stays quiet until
 * `rearm` (the user resumed), which also empties the window, so the run is judged afresh.
 *
 * Feed it finished results (after retries). Results that say nothing about the target's health
 * are left out: robots.txt refusals, cancellations and malformed input URLs.
 * Pure: `now` is passed in, no timers.
 */

export interface SafeguardOptions {
  /** Pause when at least this percentage of the window failed; null turns the safeguard off. */
  readonly thresholdPercent: number | null
  readonly windowResults: number
  readonly windowMs: number
  /** Results needed in the window before it can trip. */
  readonly minResults: number
}

export const SAFEGUARD_DEFAULTS: SafeguardOptions = Object.freeze({
  thresholdPercent: 50,
  windowResults: 200,
  windowMs: 60_000,
  minResults: 20
})

/** A finished result: its host and, when it failed, its failure code (and HTTP status for HTTP_STATUS). */
export interface SafeguardSample {
  readonly host: string
  readonly failure: { readonly code: ErrorCode; readonly status?: number } | null
}

export type SafeguardVerdict =
  | { readonly trip: false }
  | {
      readonly trip: true
      /** For the pause banner and the run log. */
      readonly reason: string
      readonly failed: number
      readonly total: number
      readonly failedPercent: number
      /** The most common failure, e.g. "CONNECT_REFUSED" or "HTTP 503". */
      readonly topCause: string
      /** The host with most of topCause's failures, when one has at least half of them. */
      readonly topHost: string | null
    }

const NO_TRIP: SafeguardVerdict = Object.freeze({ trip: false })

/** Not a sign of a failing target. */
const IGNORED: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['ROBOTS_DISALLOWED', 'ABORTED', 'INVALID_URL'])

interface Entry {
  readonly at: number
  readonly host: string
  /** null when it succeeded. */
  readonly cause: string | null
}

const causeOf = (failure: NonNullable<SafeguardSample['failure']>): string =>
  failure.code === 'HTTP_STATUS' && failure.status !== undefined ? `HTTP ${failure.status}` : failure.code

function validate(options: SafeguardOptions): SafeguardOptions {
  const t = options.thresholdPercent
  if (t !== null && !(t > 0 && t <= 100))
    throw new RangeError(`thresholdPercent must be in (0, 100], got ${t}`)
  if (!(Number.isInteger(options.windowResults) && options.windowResults >= 1)) {
    throw new RangeError(`windowResults must be a whole number ≥ 1, got ${options.windowResults}`)
  }
  if (!(options.windowMs > 0)) throw new RangeError(`windowMs must be > 0, got ${options.windowMs}`)
  if (!(Number.isInteger(options.minResults) && options.minResults >= 1)) {
    throw new RangeError(`minResults must be a whole number ≥ 1, got ${options.minResults}`)
  }
  return options
}

export class FailureSafeguard {
  #options: SafeguardOptions
  /** A ring of the window's results, oldest at #head. */
  #ring: (Entry | undefined)[]
  #head = 0
  #size = 0
  #failed = 0
  #tripped = false

  constructor(options: Partial<SafeguardOptions> = {}) {
    this.#options = validate({ ...SAFEGUARD_DEFAULTS, ...options })
    this.#ring = new Array<Entry | undefined>(this.#options.windowResults)
  }

  /** True from a trip until rearm. */
  get tripped(): boolean {
    return this.#tripped
  }

  /** The user changed the threshold or window while the run goes. */
  setOptions(options: Partial<SafeguardOptions>): void {
    const next = validate({ ...this.#options, ...options })
    const kept: Entry[] = []
    for (let i = Math.max(0, this.#size - next.windowResults); i < this.#size; i += 1) {
      const entry = this.#at(i)
      if (entry) kept.push(entry)
    }
    this.#options = next
    this.#ring = new Array<Entry | undefined>(next.windowResults)
    this.#head = 0
    this.#size = 0
    this.#failed = 0
    for (const entry of kept) this.#push(entry)
  }

  /** One finished result; returns the trip once when the failure rate reaches the threshold. */
  note(sample: SafeguardSample, now: number): SafeguardVerdict {
    if (sample.failure && IGNORED.has(sample.failure.code)) return NO_TRIP
    this.#evict(now)
    this.#push({ at: now, host: sample.host, cause: sample.failure ? causeOf(sample.failure) : null })
    const threshold = this.#options.thresholdPercent
    if (this.#tripped || threshold === null || this.#size < this.#options.minResults) return NO_TRIP
    if (this.#failed * 100 < threshold * this.#size) return NO_TRIP
    this.#tripped = true
    return this.#trip(threshold)
  }

  /** The run resumed: judge it afresh, from an empty window. */
  rearm(): void {
    this.#tripped = false
    this.#ring.fill(undefined)
    this.#head = 0
    this.#size = 0
    this.#failed = 0
  }

  /** The window as it stands (for the dashboard). */
  window(now: number): { readonly failed: number; readonly total: number; readonly failedPercent: number } {
    this.#evict(now)
    return { failed: this.#failed, total: this.#size, failedPercent: percent(this.#failed, this.#size) }
  }

  #trip(threshold: number): SafeguardVerdict {
    const byCause = new Map<string, Map<string, number>>()
    for (let i = 0; i < this.#size; i += 1) {
      const entry = this.#at(i)
      if (!entry?.cause) continue
      const hosts = byCause.get(entry.cause) ?? new Map<string, number>()
      hosts.set(entry.host, (hosts.get(entry.host) ?? 0) + 1)
      byCause.set(entry.cause, hosts)
    }
    let topCause = ''
    let topHosts = new Map<string, number>()
    let topCount = 0
    for (const [cause, hosts] of byCause) {
      const n = sum(hosts)
      if (n > topCount) [topCause, topHosts, topCount] = [cause, hosts, n]
    }
    let topHost: string | null = null
    let topHostCount = 0
    for (const [host, n] of topHosts) if (n > topHostCount) [topHost, topHostCount] = [host, n]
    if (topHostCount * 2 < topCount) topHost = null

    const failedPercent = percent(this.#failed, this.#size)
    const where = topHost === null ? `across ${topHosts.size} hosts` : `on ${topHost}`
    const cause =
      topCount * 2 >= this.#failed
        ? `most were ${topCause} ${where}`
        : `the most common was ${topCause} (${percent(topCount, this.#failed)}% of failures) ${where}`
    return {
      trip: true,
      reason: `Paused: ${failedPercent}% of the last ${this.#size} requests failed (threshold ${threshold}%); ${cause}`,
      failed: this.#failed,
      total: this.#size,
      failedPercent,
      topCause,
      topHost
    }
  }

  #at(i: number): Entry | undefined {
    return this.#ring[(this.#head + i) % this.#ring.length]
  }

  #push(entry: Entry): void {
    if (this.#size === this.#ring.length) this.#shift()
    this.#ring[(this.#head + this.#size) % this.#ring.length] = entry
    this.#size += 1
    if (entry.cause !== null) this.#failed += 1
  }

  #shift(): void {
    const entry = this.#ring[this.#head]
    this.#ring[this.#head] = undefined
    this.#head = (this.#head + 1) % this.#ring.length
    this.#size -= 1
    if (entry && entry.cause !== null) this.#failed -= 1
  }

  #evict(now: number): void {
    const oldest = now - this.#options.windowMs
    while (this.#size > 0 && (this.#ring[this.#head]?.at ?? oldest) <= oldest) this.#shift()
  }
}

const sum = (counts: ReadonlyMap<string, number>): number => {
  let total = 0
  for (const n of counts.values()) total += n
  return total
}

const percent = (part: number, whole: number): number => (whole === 0 ? 0 : Math.round((part * 100) / whole))
