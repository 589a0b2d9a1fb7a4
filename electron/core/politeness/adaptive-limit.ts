import type { ErrorCode } from '../../../shared/errors.ts'

/**
 * # Adaptive concurrency per host (AIMD)
 *
 * TCP's congestion control applied to one host's request slots:
 * - **Multiplicative decrease.** `signalsToDecrease` throttling signals (429, 503, a timeout)
 *   within `signalWindowMs` halve the host's limit (`decreaseFactor`, never below 1). Then a
 *   cooldown: the requests already in flight when we backed off will fail the same way, and
 *   that burst must count once, not halve the limit again and again.
 * - **Additive increase.** After `healthyPeriodMs` with at least `healthyMinSuccesses` answers,
 *   no throttling signal, and a median latency not above `slowLatencyFactor` × the host's
 *   baseline (the lowest healthy-period median seen), the limit grows by one.
 * - **Bounds.** Never above the user's per-host limit (which may change while a run goes:
 *   lowering it below a host's current value lowers the host at once), never below 1. Hosts start
 *   at the user's limit and only move when they give a reason.
 *
 * Every change is returned as a decision with a plain-words reason for the decision log and the
 * chart markers ("shop.example: 8 → 4 after three 429s in 10 s"). Feed it every attempt, retries
 * included: a 429 that is retried is still the host asking us to slow down. Pure: `now` is passed
 * in, no timers.
 */

/** What one attempt says about the host's load. Other failures (refused, DNS, TLS) say nothing either way. */
export type AdaptiveSignal = 'ok' | 'http-429' | 'http-503' | 'timeout' | 'other-failure'

type ThrottleSignal = Extract<AdaptiveSignal, 'http-429' | 'http-503' | 'timeout'>

export interface AdaptiveOptions {
  readonly decreaseFactor: number
  readonly signalsToDecrease: number
  readonly signalWindowMs: number
  /** After a decrease, throttling signals are not counted for this long. */
  readonly decreaseCooldownMs: number
  readonly healthyPeriodMs: number
  readonly healthyMinSuccesses: number
  /** A period whose median latency is above this × baseline is not healthy. */
  readonly slowLatencyFactor: number
}

export const ADAPTIVE_DEFAULTS: AdaptiveOptions = Object.freeze({
  decreaseFactor: 0.5,
  signalsToDecrease: 3,
  signalWindowMs: 10_000,
  decreaseCooldownMs: 5_000,
  healthyPeriodMs: 20_000,
  healthyMinSuccesses: 20,
  slowLatencyFactor: 2
})

export interface AdaptiveDecision {
  readonly host: string
  readonly from: number
  readonly to: number
  /** Epoch ms. */
  readonly at: number
  readonly kind: 'decrease' | 'increase' | 'user-limit'
  /** Plain words for the decision log: "shop.example: 4 → 5: healthy for 20 s (p50 38 ms)". */
  readonly reason: string
}

/** The signal an attempt gives: its HTTP status (null when none arrived) and failure code (null when it succeeded). */
export function adaptiveSignalOf(status: number | null, code: ErrorCode | null): AdaptiveSignal {
  if (status === 429) return 'http-429'
  if (status === 503) return 'http-503'
  if (code !== null && code.startsWith('TIMEOUT_')) return 'timeout'
  if (code !== null && code !== 'HTTP_STATUS') return 'other-failure'
  return 'ok'
}

const LATENCY_SAMPLES = 1_024

interface HostState {
  limit: number
  /** Throttling signals in the window, oldest first. */
  signals: { readonly at: number; readonly signal: ThrottleSignal }[]
  cooldownUntil: number
  /** Start of the current healthy period; null until an answer starts one. */
  healthySince: number | null
  successes: number
  /** The period's latest latencies, a ring of LATENCY_SAMPLES. */
  latencies: number[]
  baselineMs: number | null
  /** Why the limit is below the user's ("after three 429s in 10 s"); null at the user's limit. */
  lowered: string | null
}

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten']
const count = (n: number): string => WORDS[n] ?? String(n)
const NOUNS: Record<ThrottleSignal, [string, string]> = {
  'http-429': ['429', '429s'],
  'http-503': ['503', '503s'],
  timeout: ['timeout', 'timeouts']
}
const counted = (n: number, signal: ThrottleSignal): string => `${count(n)} ${NOUNS[signal][n === 1 ? 0 : 1]}`
const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`

/** "three 429s", or "three throttling signals (two 429s, one timeout)". */
function describeSignals(signals: readonly { readonly signal: ThrottleSignal }[]): string {
  const byKind = new Map<ThrottleSignal, number>()
  for (const { signal } of signals) byKind.set(signal, (byKind.get(signal) ?? 0) + 1)
  const parts = [...byKind].map(([signal, n]) => counted(n, signal))
  if (byKind.size === 1) return parts[0] ?? ''
  return `${count(signals.length)} throttling signals (${parts.join(', ')})`
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

export class AdaptiveLimiter {
  readonly #hosts = new Map<string, HostState>()
  readonly #options: AdaptiveOptions
  #userLimit: number

  constructor(userLimit: number, options: Partial<AdaptiveOptions> = {}) {
    this.#userLimit = checkLimit(userLimit)
    this.#options = { ...ADAPTIVE_DEFAULTS, ...options }
    const o = this.#options
    if (!(o.decreaseFactor > 0 && o.decreaseFactor < 1))
      throw new RangeError('decreaseFactor must be in (0, 1)')
    if (!(o.signalsToDecrease >= 1)) throw new RangeError('signalsToDecrease must be at least 1')
  }

  get userLimit(): number {
    return this.#userLimit
  }

  /** The host's current limit: the user's limit until the host gives a reason to change it. */
  limit(host: string): number {
    return this.#hosts.get(host)?.limit ?? this.#userLimit
  }

  /** Why the host's limit is below the user's ("after three 429s in 10 s"); null when it is not. */
  loweredBecause(host: string): string | null {
    const state = this.#hosts.get(host)
    return state && state.limit < this.#userLimit ? state.lowered : null
  }

  /** Every host seen so far with its limit (for the hosts view). */
  limits(): { readonly host: string; readonly limit: number }[] {
    return [...this.#hosts].map(([host, state]) => ({ host, limit: state.limit }))
  }

  /** The user changed the per-host limit: hosts above it come down at once; none goes up by itself. */
  setUserLimit(limit: number, now: number): AdaptiveDecision[] {
    this.#userLimit = checkLimit(limit)
    const decisions: AdaptiveDecision[] = []
    for (const [host, state] of this.#hosts) {
      if (state.limit <= limit) continue
      decisions.push({
        host,
        from: state.limit,
        to: limit,
        at: now,
        kind: 'user-limit',
        reason: `${host}: ${state.limit} → ${limit}: per-host limit lowered to ${limit}`
      })
      state.limit = limit
    }
    return decisions
  }

  /** One attempt's outcome on `host`; returns the decision when the limit changes. */
  noteResult(
    host: string,
    signal: AdaptiveSignal,
    latencyMs: number | null,
    now: number
  ): AdaptiveDecision | null {
    const state = this.#state(host)
    switch (signal) {
      case 'http-429':
      case 'http-503':
      case 'timeout':
        return this.#throttled(host, state, signal, now)
      case 'ok':
        return this.#answered(host, state, latencyMs, now)
      case 'other-failure':
        return null
    }
  }

  #state(host: string): HostState {
    let state = this.#hosts.get(host)
    if (!state) {
      state = {
        limit: this.#userLimit,
        signals: [],
        cooldownUntil: 0,
        healthySince: null,
        successes: 0,
        latencies: [],
        baselineMs: null,
        lowered: null
      }
      this.#hosts.set(host, state)
    }
    return state
  }

  #throttled(host: string, state: HostState, signal: ThrottleSignal, now: number): AdaptiveDecision | null {
    const o = this.#options
    // Any throttling restarts the healthy period, even an echo during the cooldown.
    state.healthySince = null
    state.successes = 0
    state.latencies = []
    if (now < state.cooldownUntil) return null
    state.signals.push({ at: now, signal })
    while ((state.signals[0]?.at ?? now) <= now - o.signalWindowMs) state.signals.shift()
    if (state.signals.length < o.signalsToDecrease) return null

    const what = describeSignals(state.signals)
    state.signals = []
    state.cooldownUntil = now + o.decreaseCooldownMs
    const from = state.limit
    const to = Math.max(1, Math.floor(from * o.decreaseFactor))
    if (to === from) return null
    state.limit = to
    state.lowered = `after ${what} in ${seconds(o.signalWindowMs)}`
    return {
      host,
      from,
      to,
      at: now,
      kind: 'decrease',
      reason: `${host}: ${from} → ${to} after ${what} in ${seconds(o.signalWindowMs)}`
    }
  }

  #answered(host: string, state: HostState, latencyMs: number | null, now: number): AdaptiveDecision | null {
    const o = this.#options
    state.healthySince ??= now
    state.successes += 1
    if (latencyMs !== null) state.latencies[(state.successes - 1) % LATENCY_SAMPLES] = latencyMs
    const elapsed = now - state.healthySince
    if (elapsed < o.healthyPeriodMs || state.successes < o.healthyMinSuccesses) return null

    const p50 = state.latencies.length > 0 ? median(state.latencies) : null
    const baseline = state.baselineMs ?? p50
    const fastEnough = p50 === null || baseline === null || p50 <= o.slowLatencyFactor * baseline
    if (p50 !== null) state.baselineMs = Math.min(baseline ?? p50, p50)
    // Each period is judged on its own answers.
    state.healthySince = now
    state.successes = 0
    state.latencies = []
    if (!fastEnough || state.limit >= this.#userLimit) return null

    const from = state.limit
    state.limit = from + 1
    if (state.limit >= this.#userLimit) state.lowered = null
    const latency = p50 === null ? '' : ` (p50 ${Math.round(p50)} ms)`
    return {
      host,
      from,
      to: state.limit,
      at: now,
      kind: 'increase',
      reason: `${host}: ${from} → ${state.limit}: healthy for ${seconds(elapsed)}${latency}`
    }
  }
}

function checkLimit(limit: number): number {
  if (!(Number.isInteger(limit) && limit >= 1))
    throw new RangeError(`a per-host limit is a whole number ≥ 1, got ${limit}`)
  return limit
}
