import type { LiveSettings, LiveSettingsPatch, RunConfig } from '../../../shared/config.ts'
import { LIVE_SETTING_KEYS, pickLive } from '../../../shared/config.ts'
import type { EngineEvent, RunState } from '../../../shared/events.ts'
import type { AttemptRecord, RequestResult } from '../../../shared/result.ts'
import { RunStats, type RunStatsData } from '../../../shared/stats.ts'
import type { RunSummary } from '../../../shared/summary.ts'
import { AttemptControl, CANCELLED, fetchAttempt, type AttemptData, type AttemptSettings } from './attempt.ts'
import { HostScheduler, type HostState } from './host-scheduler.ts'
import { createHttpClient, type HttpClient } from './http-client.ts'
import { decideRetry } from './retry-policy.ts'

/**
 * The crawl engine: takes validated URLs, runs them through the host scheduler under the live
 * limits, performs attempts, applies the retry policy, and reports a `seq`-numbered event stream
 * plus a running summary. Plain Node: it never imports Electron, so the app, the browser host, the
 * headless runner and the tests all drive the same code.
 */

export interface UrlTask {
  /** Stable index of the URL in the run's input. */
  readonly id: number
  readonly url: string
  /** Link hops from a seed (spider mode; 0 for list URLs, seeds and sitemap URLs). */
  readonly depth?: number
  /** The id of the page it was found on (spider mode). */
  readonly foundOn?: number | null
}

/** What the engine knows about one host now: the hosts view's live columns. */
export interface HostLiveState {
  readonly host: string
  readonly currentLimit: number
  readonly userLimit: number
  /** Epoch ms until which Retry-After holds the host back; null when it is not paused. */
  readonly pausedUntil: number | null
  /** The Crawl-delay honoured on this host (ms, capped); null when none. */
  readonly crawlDelayMs: number | null
}

export interface EngineOptions {
  readonly config: RunConfig
  readonly runId?: string
  /** Uniform [0,1) source for backoff jitter. */
  readonly random?: () => number
  /** How often a run-progress event is emitted. */
  readonly progressIntervalMs?: number
}

export type EngineListener = (event: EngineEvent) => void

interface Job {
  readonly id: number
  readonly url: URL
  readonly host: string
  readonly depth: number
  readonly foundOn: number | null
  readonly attempts: AttemptRecord[]
  firstStartedAt: number
}

/** Extra sockets per origin beyond the per-host limit never happen; this only bounds the pool. */
const SOCKETS_PER_ORIGIN = 512

export class CrawlEngine {
  readonly runId: string
  readonly #config: RunConfig
  #settings: LiveSettings
  readonly #random: () => number
  readonly #progressIntervalMs: number
  readonly #listeners = new Set<EngineListener>()
  readonly #scheduler: HostScheduler<Job>
  readonly #inFlight = new Set<AttemptControl>()
  readonly #timers = new Set<NodeJS.Timeout>()
  readonly #hostWakers = new Map<string, NodeJS.Timeout>()
  #client: HttpClient | null = null
  #stats: RunStats | null = null
  #state: RunState = 'idle'
  #seq = 0
  #total = 0
  #done = 0
  #waitingRetry = 0
  #progressTimer: NodeJS.Timeout | null = null
  #finish: ((summary: RunSummary) => void) | null = null
  #finished: Promise<RunSummary> | null = null
  #listenerErrorLogged = false
  #attemptSettingsCache: { readonly for: LiveSettings; readonly value: AttemptSettings } | null = null

  constructor(options: EngineOptions) {
    this.#config = options.config
    this.runId = options.runId ?? `run-${Date.now().toString(36)}`
    this.#random = options.random ?? Math.random
    this.#progressIntervalMs = options.progressIntervalMs ?? 250
    this.#settings = pickLive(options.config)
    this.#scheduler = new HostScheduler<Job>(this.#settings)
  }

  get state(): RunState {
    return this.#state
  }

  get settings(): LiveSettings {
    return this.#settings
  }

  get lastSeq(): number {
    return this.#seq
  }

  /** The run's counts as data (what a store saves, so a resume carries on); null before start(). */
  statsData(): RunStatsData | null {
    return this.#stats?.toJSON() ?? null
  }

  /** Sockets the engine's HTTP client holds open right now. */
  openSockets(): number {
    return this.#client?.openSockets() ?? 0
  }

  /** Hosts the scheduler knows, with their limits and pauses now. */
  hostStates(): HostLiveState[] {
    const now = Date.now()
    return this.#scheduler.hostList().map((host) => ({
      host: host.name,
      currentLimit: this.#settings.perHostConcurrency,
      userLimit: this.#settings.perHostConcurrency,
      pausedUntil: host.pausedUntil > now ? host.pausedUntil : null,
      crawlDelayMs: null
    }))
  }

  onEvent(listener: EngineListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  summary(): RunSummary {
    const stats = this.#stats ?? new RunStats({ runId: this.runId, total: 0, startedAt: Date.now() })
    return stats.summary({
      state: this.#state,
      inFlight: this.#scheduler.active,
      queued: this.#scheduler.queued,
      waitingRetry: this.#waitingRetry,
      now: Date.now()
    })
  }

  /**
   * Starts the run; resolves with the final summary when every URL is done or the run is cancelled.
   * A resumed run passes the counts it continues from (`stats`, its total already set to the whole
   * run's): the summary then carries on from them while only `tasks` are fetched.
   */
  start(tasks: readonly UrlTask[], opts: { readonly stats?: RunStats } = {}): Promise<RunSummary> {
    if (this.#state !== 'idle') throw new Error(`Engine already ${this.#state}; create a new engine per run`)
    const now = Date.now()
    const jobs: Job[] = tasks.map((task) => {
      const url = new URL(task.url)
      url.hash = ''
      // Per-host limits, pauses and pacing key on the authority (host[:port]), as robots.txt
      // (RFC 9309) is scoped: two ports on one machine are two services. Default ports are dropped,
      // so http://a and https://a share one key.
      return {
        id: task.id,
        url,
        host: url.host,
        depth: task.depth ?? 0,
        foundOn: task.foundOn ?? null,
        attempts: [],
        firstStartedAt: 0
      }
    })
    this.#total = jobs.length
    this.#stats = opts.stats ?? new RunStats({ runId: this.runId, total: jobs.length, startedAt: now })
    this.#client = createHttpClient({
      connectTimeoutMs: () => this.#settings.connectTimeoutMs,
      keepAliveTimeoutMs: this.#config.keepAliveTimeoutMs,
      dnsCacheTtlMs: this.#config.dnsCacheTtlMs,
      connectionsPerOrigin: SOCKETS_PER_ORIGIN
    })
    this.#finished = new Promise((resolve) => {
      this.#finish = resolve
    })
    this.#state = 'running'
    this.#emit({ kind: 'run-started', runId: this.runId, total: this.#stats.totalUrls, config: this.#config })
    for (const job of jobs) this.#scheduler.enqueue(job.host, job, now)
    this.#progressTimer = setInterval(() => {
      this.#emitProgress()
    }, this.#progressIntervalMs)
    if (jobs.length === 0) void this.#complete()
    else this.#pump()
    return this.#finished
  }

  pause(): void {
    if (this.#state !== 'running') return
    this.#state = 'paused'
    this.#stats?.notePaused(Date.now())
    this.#emit({ kind: 'run-state-changed', state: 'paused' })
  }

  resume(): void {
    if (this.#state !== 'paused') return
    this.#state = 'running'
    this.#stats?.noteResumed(Date.now())
    this.#emit({ kind: 'run-state-changed', state: 'running' })
    this.#pump()
  }

  /** Stops the run: in-flight requests are aborted, every socket closed and every timer cleared. */
  async cancel(): Promise<RunSummary> {
    if (this.#state === 'idle') {
      this.#state = 'cancelled'
      return this.summary()
    }
    if (this.#state === 'completed' || this.#state === 'cancelled') return this.#finished ?? this.summary()
    if (this.#state === 'paused') this.#stats?.noteResumed(Date.now())
    this.#state = 'cancelled'
    this.#clearTimers()
    this.#scheduler.clear()
    this.#waitingRetry = 0
    for (const control of this.#inFlight) control.abort(CANCELLED)
    await this.#client?.destroy()
    this.#end('cancelled')
    return this.#finished ?? this.summary()
  }

  /** Applies a live settings change to attempts that start afterwards. */
  updateSettings(patch: LiveSettingsPatch): LiveSettings {
    const changed: Record<string, unknown> = {}
    const next: Record<string, unknown> = { ...this.#settings }
    for (const key of LIVE_SETTING_KEYS) {
      const value = patch[key]
      if (value !== undefined && JSON.stringify(value) !== JSON.stringify(this.#settings[key])) {
        next[key] = value
        changed[key] = value
      }
    }
    if (Object.keys(changed).length === 0) return this.#settings
    this.#settings = next as LiveSettings
    this.#scheduler.setLimits(this.#settings, Date.now())
    this.#emit({ kind: 'settings-changed', changed, settings: this.#settings })
    this.#pump()
    return this.#settings
  }

  #emit(event: DistributiveOmit<EngineEvent, 'seq' | 'at'>): void {
    this.#seq += 1
    const full = { ...event, seq: this.#seq, at: Date.now() } as EngineEvent
    for (const listener of this.#listeners) {
      try {
        listener(full)
      } catch (error) {
        // A listener bug must not stall the run; report it once.
        if (!this.#listenerErrorLogged) {
          this.#listenerErrorLogged = true
          console.error('crawlboard: an engine event listener threw:', error)
        }
      }
    }
  }

  #emitProgress(): void {
    if (this.#state === 'running' || this.#state === 'paused') {
      this.#emit({ kind: 'run-progress', summary: this.summary() })
    }
  }

  #pump(): void {
    if (this.#state !== 'running') return
    for (;;) {
      const next = this.#scheduler.next(Date.now())
      if (!next) return
      void this.#run(next.item, next.host)
    }
  }

  async #run(job: Job, host: HostState<Job>): Promise<void> {
    const client = this.#client
    if (!client) throw new Error('engine started without an HTTP client')
    const attempt = job.attempts.length + 1
    if (attempt === 1) job.firstStartedAt = Date.now()
    this.#emit({ kind: 'request-started', id: job.id, url: job.url.href, attempt })
    const control = new AttemptControl()
    this.#inFlight.add(control)
    let data: AttemptData
    try {
      data = await fetchAttempt(client, job.url, this.#attemptSettings(), control)
    } finally {
      this.#inFlight.delete(control)
    }
    if (this.#state === 'cancelled') return
    const now = Date.now()
    this.#scheduler.release(host, now)

    const failure = data.error
    const decision =
      failure && failure.code !== 'ABORTED'
        ? decideRetry({
            attempt,
            failure,
            retryAfter: data.retryAfter,
            settings: this.#settings,
            now,
            random: this.#random
          })
        : null
    const retrying = decision?.retry === true
    job.attempts.push({
      attempt,
      startedAt: data.startedAt,
      durationMs: data.durationMs,
      status: data.status,
      error: failure,
      outcome: failure ? (retrying ? 'retry' : 'failed') : 'ok',
      waitBeforeNextMs: decision?.retry ? decision.delayMs : null,
      waitReason: decision?.retry ? decision.reason : null
    })

    if (failure && decision?.retry) {
      this.#emit({
        kind: 'attempt-failed',
        id: job.id,
        url: job.url.href,
        attempt,
        error: failure,
        retryInMs: decision.delayMs,
        retryReason: decision.reason
      })
      this.#stats?.noteRetryScheduled()
      if (decision.pauseHost) this.#pauseHost(job.host, now + decision.delayMs, now)
      this.#scheduleRetry(job, decision.delayMs)
    } else {
      this.#finishJob(job, data, now)
    }
    this.#pump()
  }

  /** Built once per settings change, not per attempt: this runs thousands of times a second. */
  #attemptSettings(): AttemptSettings {
    if (this.#attemptSettingsCache?.for === this.#settings) return this.#attemptSettingsCache.value
    const s = this.#settings
    const value: AttemptSettings = {
      method: this.#config.method,
      headers: {
        'user-agent': this.#config.userAgent,
        'accept-encoding': 'gzip, deflate, br',
        ...this.#config.headers
      },
      connectTimeoutMs: s.connectTimeoutMs,
      headersTimeoutMs: s.headersTimeoutMs,
      bodyTimeoutMs: s.bodyTimeoutMs,
      totalTimeoutMs: s.totalTimeoutMs,
      maxRedirects: this.#config.maxRedirects,
      maxBodyBytes: this.#config.maxBodyBytes,
      retryStatuses: s.retryStatuses
    }
    this.#attemptSettingsCache = { for: s, value }
    return value
  }

  #scheduleRetry(job: Job, delayMs: number): void {
    this.#waitingRetry += 1
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      this.#waitingRetry -= 1
      this.#scheduler.enqueue(job.host, job, Date.now(), true)
      this.#pump()
    }, delayMs)
    this.#timers.add(timer)
  }

  /** Retry-After holds back the whole host (and only it); other hosts go on. */
  #pauseHost(hostName: string, until: number, now: number): void {
    this.#scheduler.pauseHost(hostName, until, now)
    this.#armHostWaker(hostName, now)
  }

  #armHostWaker(hostName: string, now: number): void {
    const existing = this.#hostWakers.get(hostName)
    if (existing) {
      clearTimeout(existing)
      this.#timers.delete(existing)
    }
    const until2 = this.#scheduler.host(hostName).pausedUntil
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer)
        this.#hostWakers.delete(hostName)
        const at = Date.now()
        // Node timers run on a monotonic millisecond clock, pausedUntil on Date.now(): the timer
        // can fire a millisecond before Date.now() reaches pausedUntil. wake() would then leave the
        // host paused with nothing left to wake it, and the run would hang; so re-arm instead.
        if (this.#scheduler.host(hostName).pausedUntil > at) {
          this.#armHostWaker(hostName, at)
          return
        }
        this.#scheduler.wake(hostName, at)
        this.#pump()
      },
      Math.max(0, until2 - now)
    )
    this.#timers.add(timer)
    this.#hostWakers.set(hostName, timer)
  }

  #finishJob(job: Job, data: AttemptData, now: number): void {
    const result: RequestResult = {
      id: job.id,
      url: job.url.href,
      finalUrl: data.finalUrl,
      host: job.host,
      method: this.#config.method,
      status: data.status,
      ok: data.error === null,
      attempts: job.attempts,
      redirects: data.redirects,
      error: data.error,
      timings: data.timings,
      bytes: data.bytes,
      contentType: data.contentType,
      title: data.title,
      startedAt: job.firstStartedAt,
      finishedAt: now,
      headers: data.headers,
      depth: job.depth,
      foundOn: job.foundOn
    }
    this.#done += 1
    this.#stats?.recordResult(result)
    this.#emit({ kind: 'request-finished', result })
    if (this.#done === this.#total) void this.#complete()
  }

  async #complete(): Promise<void> {
    if (this.#state === 'completed' || this.#state === 'cancelled') return
    this.#state = 'completed'
    this.#clearTimers()
    await this.#client?.close()
    this.#end('completed')
  }

  #end(state: 'completed' | 'cancelled'): void {
    const finishedAt = Date.now()
    const summary = (
      this.#stats ?? new RunStats({ runId: this.runId, total: 0, startedAt: finishedAt })
    ).summary({
      state,
      inFlight: 0,
      queued: state === 'cancelled' ? this.#total - this.#done : 0,
      waitingRetry: 0,
      now: finishedAt,
      finishedAt
    })
    this.#emit({ kind: 'run-finished', state, summary })
    this.#finish?.(summary)
  }

  #clearTimers(): void {
    if (this.#progressTimer) clearInterval(this.#progressTimer)
    this.#progressTimer = null
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers.clear()
    this.#hostWakers.clear()
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
