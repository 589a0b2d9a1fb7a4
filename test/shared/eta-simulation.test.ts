import { describe, expect, it } from 'vitest'
import { RunStats } from '../../shared/stats.ts'
import { result } from '../helpers/fixtures.ts'

/**
 * The ETA on a simulated workshop-demo run, driven by a deterministic clock: 20,000 URLs at
 * concurrency 128 with the demo's mix (mostly fast pages; 404s; 5xx retried twice with backoff;
 * flaky pages; 429 with Retry-After; header stalls that time out at 4 s a try; trickled bodies),
 * a 5 s pause at 30%, and the ETA read at 50% and 90% done against the time the run really took.
 */

const T0 = Date.parse('2026-11-22T12:00:00Z')
const URLS = 20_000
const CONCURRENCY = 128
const PAUSE_MS = 5_000

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

interface Job {
  /** ms of each attempt, in order; the waits between them (backoff, Retry-After). */
  readonly tries: readonly number[]
  readonly waits: readonly number[]
  readonly ok: boolean
  next: number
  startedAt: number
}

/** One demo URL: its attempts and the waits between them, as the demo target and retry policy give them. */
function demoJob(r: () => number): Job {
  const u = r()
  const page = () => Math.exp(Math.log(30 + r() * 120) + (r() - 0.5) * 0.8)
  const backoff = (k: number) => Math.min(2_000, 200 * 2 ** k) * (0.5 + r() / 2)
  let tries: number[]
  let waits: number[] = []
  let ok = true
  if (u < 0.76) tries = [page()]
  else if (u < 0.82) {
    tries = [20 + r() * 20] // 404/410/403, not retried
    ok = false
  } else if (u < 0.86) {
    tries = [30, 30, 30] // permanent 5xx: retried twice, then failed
    waits = [backoff(0), backoff(1)]
    ok = false
  } else if (u < 0.9) {
    const fails = r() < 0.5 ? 1 : 2 // flaky: fails 1–2 times, then 200
    tries = [...Array.from({ length: fails }, () => 30), page()]
    waits = Array.from({ length: fails }, (_, k) => backoff(k))
  } else if (u < 0.93) {
    tries = [20, page()] // 429 with Retry-After 1–3 s, then fine
    waits = [1_000 + r() * 2_000]
  } else if (u < 0.96)
    tries = [page() * 3] // redirect chains
  else if (u < 0.97) {
    tries = [4_000, 4_000, 4_000] // header stall: the 4 s headers timeout, retried twice
    waits = [backoff(0), backoff(1)]
    ok = false
  } else if (u < 0.98)
    tries = [2_000 + r() * 4_000] // trickled body
  else tries = [page()]
  return { tries, waits, ok, next: 0, startedAt: 0 }
}

interface Reading {
  readonly at: number
  readonly etaMs: number | null
}

/** Runs the simulation; returns the ETA read when `fractions` of the URLs were done, and the end. */
function simulate(fractions: readonly number[]): { readings: Reading[]; endAt: number } {
  const r = mulberry32(2026)
  const stats = new RunStats({ runId: 'sim', total: URLS, startedAt: T0 })
  const pending: Job[] = Array.from({ length: URLS }, () => demoJob(r))
  let nextJob = 0
  const retryQueue: Job[] = []
  let inFlight = 0
  let waitingRetry = 0
  // Events: [time, kind, job]; kept sorted by time (a binary insert: the list stays small).
  type Ev = { t: number; kind: 'done' | 'retry' | 'resume'; job: Job | null }
  const events: Ev[] = []
  const push = (e: Ev): void => {
    let lo = 0
    let hi = events.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((events[mid]?.t ?? 0) <= e.t) lo = mid + 1
      else hi = mid
    }
    events.splice(lo, 0, e)
  }
  let paused = false
  let pausedOnce = false
  const start = (t: number): void => {
    while (!paused && inFlight < CONCURRENCY) {
      const job = retryQueue.shift() ?? (nextJob < pending.length ? pending[nextJob++] : undefined)
      if (!job) return
      if (job.next === 0) job.startedAt = t
      inFlight++
      push({ t: t + (job.tries[job.next] ?? 0), kind: 'done', job })
    }
  }
  const readings: Reading[] = []
  let want = 0
  let endAt = T0
  start(T0)
  // Bounded: every job has at most three attempts.
  for (let guard = 0; events.length > 0 && guard < URLS * 10; guard++) {
    const e = events.shift() as Ev
    const t = e.t
    if (e.kind === 'resume') {
      paused = false
      stats.noteResumed(t)
      start(t)
      continue
    }
    const job = e.job as Job
    if (e.kind === 'retry') {
      waitingRetry--
      retryQueue.push(job)
      start(t)
      continue
    }
    inFlight--
    const last = job.next === job.tries.length - 1
    if (!last) {
      // The retry's wait holds no slot (ARCHITECTURE.md): it sleeps, then queues again.
      stats.noteRetryScheduled()
      waitingRetry++
      push({ t: t + (job.waits[job.next] ?? 0), kind: 'retry', job })
      job.next++
    } else {
      const total = job.tries[job.next] ?? 0
      stats.recordResult(
        result({
          id: 0,
          ok: job.ok,
          totalMs: total,
          attempts: job.tries.length,
          startedAt: job.startedAt,
          finishedAt: t
        })
      )
      endAt = t
      const done = stats.done
      if (!pausedOnce && done >= URLS * 0.3) {
        pausedOnce = true
        paused = true
        stats.notePaused(t)
        push({ t: t + PAUSE_MS, kind: 'resume', job: null })
      }
      const fraction = fractions[want]
      if (fraction !== undefined && done >= URLS * fraction) {
        const sum = stats.summary({
          state: paused ? 'paused' : 'running',
          inFlight,
          queued: pending.length - nextJob + retryQueue.length,
          waitingRetry,
          now: t
        })
        readings.push({ at: t, etaMs: sum.etaMs })
        want++
      }
    }
    start(t)
  }
  return { readings, endAt }
}

describe('ETA on a simulated demo run', () => {
  it('is within ±25% of the time really left at 50% and 90% done (retries and a pause included)', () => {
    const { readings, endAt } = simulate([0.5, 0.9])
    expect(readings).toHaveLength(2)
    for (const reading of readings) {
      const left = endAt - reading.at
      expect(reading.etaMs).not.toBeNull()
      const ratio = (reading.etaMs ?? 0) / left
      expect(ratio, `ETA ${String(reading.etaMs)} ms with ${String(left)} ms left`).toBeGreaterThan(0.75)
      expect(ratio, `ETA ${String(reading.etaMs)} ms with ${String(left)} ms left`).toBeLessThan(1.25)
    }
  })
})
