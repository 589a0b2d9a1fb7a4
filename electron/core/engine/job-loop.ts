import type { LiveSettings } from '../../../shared/config.ts'
import type { EngineEvent } from '../../../shared/events.ts'
import type { RequestResult } from '../../../shared/result.ts'
import type { ExtractedLinks } from '../crawl/link-extractor.ts'
import type { UrlFrontier, Unstamped } from '../crawl/url-frontier.ts'
import { AttemptControl, CANCELLED, fetchAttempt, type AttemptData } from './attempt.ts'
import type { AttemptSettingsCache } from './attempt-settings.ts'
import { HostScheduler, type HostState } from './host-scheduler.ts'
import type { HttpClient } from './http-client.ts'
import type { PolitenessPolicy, RobotsPolicy } from './policy.ts'
import { jobOf, refusedResult, resultOf, type Job } from './results.ts'
import { judgeAttempt } from './retry-policy.ts'
import { RunTimers } from './run-timers.ts'

/**
 * The engine's moving parts: tasks pulled from the frontier into the host scheduler, started as
 * slots free up, one attempt after another until a result, a backoff between them that holds no
 * slot, and the timers that wake a host held back by time. The run's lifecycle around it (start,
 * pause, cancel, completion, settings, the summary) is CrawlEngine's.
 */

/**
 * How many tasks the scheduler holds pulled from the frontier: twice the concurrency, at least
 * this many, refilled when it falls below half. Small on purpose: a task waits a few ms between
 * pull and start, so its objects die young instead of being promoted and collected later (a
 * 100,000-URL run peaked lower with a window of 200 than of 2,048). A free slot that finds nothing
 * it may start pulls more regardless (hosts further down the list), so no slot idles for it.
 */
const PULL_WINDOW_MIN = 256

/**
 * How long a page in flight holds back pages two or more links deeper (see HostScheduler): longer
 * than almost every page takes (the demo site's p99 is 200 ms), short enough that a hanging page
 * costs the crawl little.
 */
const BAND_HOLD_MS = 2_000

/** What the loop asks of the engine around it. */
export interface LoopHost {
  /** New attempts start only while the run is running. */
  readonly running: () => boolean
  readonly cancelled: () => boolean
  /** Completed or cancelled: no timer is set any more. */
  readonly ended: () => boolean
  readonly settings: () => LiveSettings
  readonly random: () => number
  readonly emit: (event: Unstamped<EngineEvent>) => void
  readonly retryScheduled: () => void
  /** A task's final result, with the links its page yielded. */
  readonly finished: (result: RequestResult, links: ExtractedLinks | null) => void
}

/** What a run's start gives the loop. */
export interface LoopParts {
  readonly frontier: UrlFrontier
  readonly robots: RobotsPolicy | null
  readonly client: HttpClient
  readonly attemptSettings: AttemptSettingsCache
}

export class JobLoop {
  readonly scheduler: HostScheduler<Job>
  readonly #host: LoopHost
  readonly #politeness: PolitenessPolicy
  readonly #timers = new RunTimers()
  readonly #inFlight = new Set<AttemptControl>()
  #parts: LoopParts | null = null
  #waitingRetry = 0
  /** Jobs sleeping before a retry, per host, and when the last of them wakes (the hosts view). */
  readonly #sleeping = new Map<string, { count: number; until: number }>()
  #pulled = 0

  constructor(settings: LiveSettings, politeness: PolitenessPolicy, host: LoopHost) {
    this.#host = host
    this.#politeness = politeness
    this.scheduler = new HostScheduler<Job>(settings, {
      hostLimit: (name) =>
        Math.min(this.#parts?.robots?.hostLimit(name) ?? Infinity, politeness.hostLimit(name)),
      pacer: politeness,
      onWakeNeeded: (name, at) => {
        if (host.ended()) return
        this.#timers.wakeAt(name, at, () => {
          this.scheduler.wake(name, Date.now())
          this.pump()
        })
      },
      // Breadth first with many requests in flight (a list run's tasks are all depth 0: one band).
      bandOf: (job) => job.task.depth,
      bandHoldMs: BAND_HOLD_MS
    })
  }

  /** Tasks pulled from the frontier so far. */
  get pulled(): number {
    return this.#pulled
  }

  /** Jobs sleeping before a retry. */
  get waitingRetry(): number {
    return this.#waitingRetry
  }

  /** The host's jobs sleeping before a retry, and when the last of them wakes; null when none. */
  sleepingOn(host: string): { readonly count: number; readonly until: number } | null {
    return this.#sleeping.get(host) ?? null
  }

  begin(parts: LoopParts): void {
    this.#parts = parts
  }

  /** Starts whatever may start now, pulling from the frontier as the scheduler runs low. */
  pump(): void {
    if (!this.#host.running()) return
    const scheduler = this.scheduler
    const concurrency = this.#host.settings().concurrency
    const window = Math.max(PULL_WINDOW_MIN, 2 * concurrency)
    if (scheduler.queued < window / 2) this.#pull(window - scheduler.queued)
    for (;;) {
      const next = scheduler.next(Date.now())
      if (next) {
        void this.#run(next.item, next.host)
        continue
      }
      // Nothing held may start, yet a slot is free: the frontier may hold a host that can.
      if (scheduler.active >= concurrency || this.#pull(window) === 0) return
    }
  }

  /** Cancel: queued work dropped, retry sleeps and wake-ups cleared, attempts in flight aborted. */
  abort(): void {
    this.#timers.clear()
    this.scheduler.clear()
    this.#waitingRetry = 0
    this.#sleeping.clear()
    for (const control of this.#inFlight) control.abort(CANCELLED)
  }

  /** The run is over: no timer may fire any more. */
  stopTimers(): void {
    this.#timers.clear()
  }

  #pull(max: number): number {
    const frontier = this.#parts?.frontier
    if (!frontier || frontier.pending === 0) return 0
    const tasks = frontier.pull(max)
    const now = Date.now()
    for (const task of tasks) this.scheduler.enqueue(task.host, jobOf(task), now)
    this.#pulled += tasks.length
    return tasks.length
  }

  async #run(job: Job, host: HostState<Job>): Promise<void> {
    const parts = this.#parts
    if (!parts) throw new Error('engine started without its parts')
    const attempt = job.attempts.length + 1
    if (attempt === 1) {
      job.firstStartedAt = Date.now()
      parts.frontier.started(job.task)
    }
    if (attempt === 1 && parts.robots) {
      const answer = parts.robots.answer(job.url) ?? (await parts.robots.read(job.url, job.host))
      if (this.#host.cancelled()) return
      if (!answer.allowed) {
        const now = Date.now()
        this.scheduler.release(host, now, job)
        this.#host.finished(refusedResult(job, parts.attemptSettings.method, answer.failure, now), null)
        this.pump()
        return
      }
      // Pacing counts from the request itself, not from the robots.txt fetch before it.
      this.#politeness.noteStart(job.host, Date.now())
    }
    this.#host.emit({ kind: 'request-started', id: job.task.id, url: job.url.href, attempt })
    const control = new AttemptControl()
    this.#inFlight.add(control)
    let data: AttemptData
    try {
      const settings = parts.attemptSettings.for(this.#host.settings(), parts.frontier.linksFrom(job.task))
      data = await fetchAttempt(parts.client, job.url, settings, control)
    } finally {
      this.#inFlight.delete(control)
    }
    if (this.#host.cancelled()) return
    const now = Date.now()
    const failure = data.error
    // Before the slot is released, so the release already sees a lowered limit.
    const change = this.#politeness.noteAttempt(
      job.host,
      data.status,
      failure?.code ?? null,
      data.durationMs,
      now
    )
    if (change) this.#host.emit({ kind: 'host-decision', decision: change })
    this.scheduler.release(host, now, job)

    const { record, retry } = judgeAttempt(attempt, data, {
      settings: this.#host.settings(),
      now,
      random: this.#host.random
    })
    job.attempts.push(record)
    if (failure && retry) {
      this.#host.emit({
        kind: 'attempt-failed',
        id: job.task.id,
        url: job.url.href,
        attempt,
        error: failure,
        retryInMs: retry.delayMs,
        retryReason: retry.reason
      })
      this.#host.retryScheduled()
      // Retry-After holds back the whole host (and only it); other hosts go on.
      if (retry.pauseHost) this.scheduler.pauseHost(job.host, now + retry.delayMs, now)
      this.#sleepBeforeRetry(job, retry.delayMs)
    } else {
      this.#host.finished(resultOf(job, parts.attemptSettings.method, data, now), data.links)
    }
    this.pump()
  }

  /** A backoff holds no slot: the job sleeps outside the scheduler, then goes first on its host. */
  #sleepBeforeRetry(job: Job, delayMs: number): void {
    this.#waitingRetry += 1
    const until = Date.now() + delayMs
    const sleeping = this.#sleeping.get(job.host)
    if (sleeping) {
      sleeping.count += 1
      sleeping.until = Math.max(sleeping.until, until)
    } else {
      this.#sleeping.set(job.host, { count: 1, until })
    }
    this.#timers.after(delayMs, () => {
      this.#waitingRetry -= 1
      const left = this.#sleeping.get(job.host)
      if (left && --left.count === 0) this.#sleeping.delete(job.host)
      this.scheduler.enqueue(job.host, job, Date.now(), true)
      this.pump()
    })
  }
}
