import type { LiveSettings, LiveSettingsPatch, RunConfig } from '../../../shared/config.ts'
import { pickLive } from '../../../shared/config.ts'
import type { RunState } from '../../../shared/events.ts'
import type { RequestResult } from '../../../shared/result.ts'
import { RunStats, type RunStatsData } from '../../../shared/stats.ts'
import type { RunSummary } from '../../../shared/summary.ts'
import type { ExtractedLinks } from '../crawl/link-extractor.ts'
import type { FrontierFactory, UrlFrontier, UrlTask } from '../crawl/url-frontier.ts'
import { Politeness } from '../politeness/politeness.ts'
import { AttemptSettingsCache } from './attempt-settings.ts'
import { composePolicy, type PolicyPorts } from './compose-policy.ts'
import type { EngineOptions, HostLiveState, StartOptions } from './engine-options.ts'
import { EventStream, type EngineListener } from './event-stream.ts'
import { documentFetcher } from './fetch-document.ts'
import { createHttpClient, type HttpClient } from './http-client.ts'
import { JobLoop } from './job-loop.ts'
import type { PolitenessPolicy, RobotsPolicy } from './policy.ts'
import { patchLiveSettings } from './settings-patch.ts'

/**
 * The crawl engine: pulls URL tasks from the run's frontier, runs them through the host scheduler
 * under the live limits (job-loop.ts), and reports a `seq`-numbered event stream plus a running
 * summary. What to fetch and how gently is the policy units' to say, through the interfaces in
 * policy.ts; this is the plumbing. Plain Node: it never imports Electron, so the app, the browser
 * host, the headless runner and the tests all drive the same code.
 */

export type { UrlTask } from '../crawl/url-frontier.ts'
export { LIST_READ_WINDOW, WindowedListFrontier, type ListSource } from '../crawl/list-frontier.ts'
export type { EngineOptions, HostLiveState, StartOptions } from './engine-options.ts'
export type { EngineListener } from './event-stream.ts'

export class CrawlEngine {
  readonly runId: string
  readonly #config: RunConfig
  #settings: LiveSettings
  readonly #progressIntervalMs: number
  readonly #frontierFactory: FrontierFactory | null
  readonly #events = new EventStream()
  readonly #politeness: PolitenessPolicy
  readonly #loop: JobLoop
  #frontier: UrlFrontier | null = null
  #robots: RobotsPolicy | null = null
  #client: HttpClient | null = null
  #stats: RunStats | null = null
  #state: RunState = 'idle'
  /** The frontier's total as last added to the run's total. */
  #counted = 0
  #done = 0
  #progressTimer: NodeJS.Timeout | null = null
  #finish: ((summary: RunSummary) => void) | null = null
  #finished: Promise<RunSummary> | null = null
  /** The failure safeguard paused the run (until it resumes). */
  #safeguardPaused = false

  constructor(options: EngineOptions) {
    this.#config = options.config
    this.runId = options.runId
    this.#progressIntervalMs = options.progressIntervalMs ?? 250
    this.#frontierFactory = options.frontier ?? null
    this.#settings = pickLive(options.config)
    this.#politeness = new Politeness(this.#settings)
    this.#loop = new JobLoop(this.#settings, this.#politeness, {
      running: () => this.#state === 'running',
      cancelled: () => this.#state === 'cancelled',
      ended: () => this.#state === 'cancelled' || this.#state === 'completed',
      settings: () => this.#settings,
      random: options.random ?? Math.random,
      emit: (event) => {
        this.#events.emit(event)
      },
      retryScheduled: () => {
        this.#stats?.noteRetryScheduled()
      },
      finished: (result, links) => {
        this.#recordResult(result, links)
      }
    })
  }

  get spider(): boolean {
    return this.#config.mode === 'spider'
  }

  get state(): RunState {
    return this.#state
  }

  get settings(): LiveSettings {
    return this.#settings
  }

  get lastSeq(): number {
    return this.#events.lastSeq
  }

  /** The run's counts as data (what a store saves, so a resume carries on); null before start(). */
  statsData(): RunStatsData | null {
    return this.#stats?.toJSON() ?? null
  }

  /** Sockets the engine's HTTP client holds open right now. */
  openSockets(): number {
    return this.#client?.openSockets() ?? 0
  }

  /** URLs waiting: in the frontier, queued on a host, or sleeping before a retry. */
  queuedNow(): number {
    return this.#queued() + this.#loop.waitingRetry
  }

  /**
   * Hosts the scheduler knows, with their limits, pauses, work and pacing now. A host is held back
   * by Retry-After while its pause lasts; by backoff when all it has left is retries asleep; by the
   * safeguard while the run stays paused for it.
   */
  hostStates(): HostLiveState[] {
    const now = Date.now()
    const user = this.#settings.perHostConcurrency
    const safeguard = this.#state === 'paused' && this.#safeguardPaused
    return this.#loop.scheduler.hostList().map((host) => {
      const view = this.#politeness.hostView(host.name, user, now)
      const sleeping = this.#loop.sleepingOn(host.name)
      const retryAfter = host.pausedUntil > now
      const backoff = !retryAfter && sleeping !== null && host.queue.length === 0 && host.active === 0
      const hasWork = host.queue.length > 0 || sleeping !== null
      return {
        host: host.name,
        currentLimit: view.currentLimit,
        userLimit: user,
        pausedUntil: retryAfter ? host.pausedUntil : backoff ? sleeping.until : null,
        pauseReason:
          safeguard && hasWork ? 'safeguard' : retryAfter ? 'retry-after' : backoff ? 'backoff' : null,
        crawlDelayMs: view.crawlDelayMs,
        inFlight: host.active,
        queued: host.queue.length,
        retrying: sleeping?.count ?? 0,
        gapMs: view.gapMs,
        pacing: view.gapSource === 'none' ? null : view.gapSource,
        nextStartAt: host.queue.length > 0 ? view.nextStartAt : null,
        limitReason: view.limitReason
      }
    })
  }

  onEvent(listener: EngineListener): () => void {
    return this.#events.on(listener)
  }

  summary(): RunSummary {
    return this.#statsOrEmpty().summary({
      state: this.#state,
      inFlight: this.#loop.scheduler.active,
      queued: this.#queued(),
      waitingRetry: this.#loop.waitingRetry,
      now: Date.now()
    })
  }

  /**
   * Starts the run; resolves with the final summary when every URL is done or the run is cancelled.
   * A resumed run passes the counts it continues from (`stats`, its total already set to the whole
   * run's): the summary then carries on from them while only `tasks` are fetched.
   */
  start(tasks: readonly UrlTask[], opts: StartOptions = {}): Promise<RunSummary> {
    if (this.#state !== 'idle') throw new Error(`Engine already ${this.#state}; create a new engine per run`)
    if (this.#frontierFactory && tasks.length > 0)
      throw new Error('This engine has its own frontier: start([])')
    const { frontier, robots } = composePolicy({
      config: this.#config,
      settings: this.#settings,
      tasks,
      ...opts,
      ...(this.#frontierFactory ? { frontier: this.#frontierFactory } : {}),
      ports: this.#policyPorts()
    })
    const client = createHttpClient({
      connectTimeoutMs: () => this.#settings.connectTimeoutMs,
      keepAliveTimeoutMs: this.#config.keepAliveTimeoutMs,
      dnsCacheTtlMs: this.#config.dnsCacheTtlMs,
      connectionsPerOrigin: () => this.#settings.perHostConcurrency
    })
    this.#frontier = frontier
    this.#robots = robots
    this.#client = client
    const attemptSettings = new AttemptSettingsCache(this.#config, robots?.checkRedirect ?? null)
    this.#loop.begin({ frontier, robots, client, attemptSettings })
    this.#counted = frontier.total
    this.#stats =
      opts.stats ?? new RunStats({ runId: this.runId, total: frontier.total, startedAt: Date.now() })
    this.#finished = new Promise((resolve) => {
      this.#finish = resolve
    })
    this.#state = 'running'
    const total = this.#stats.totalUrls
    this.#events.emit({ kind: 'run-started', runId: this.runId, total, config: this.#config })
    this.#progressTimer = setInterval(() => {
      if (this.#state === 'running' || this.#state === 'paused') {
        this.#events.emit({ kind: 'run-progress', summary: this.summary() })
      }
    }, this.#progressIntervalMs)
    frontier.start()
    if (!this.#maybeComplete()) this.#loop.pump()
    return this.#finished
  }

  pause(): void {
    if (this.#state !== 'running') return
    this.#state = 'paused'
    this.#stats?.notePaused(Date.now())
    this.#events.emit({ kind: 'run-state-changed', state: 'paused' })
  }

  resume(): void {
    if (this.#state !== 'paused') return
    this.#state = 'running'
    this.#stats?.noteResumed(Date.now())
    // A resume after the safeguard paused the run judges it afresh.
    this.#safeguardPaused = false
    this.#politeness.rearm()
    this.#events.emit({ kind: 'run-state-changed', state: 'running' })
    this.#loop.pump()
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
    this.#stopProgress()
    this.#frontier?.cancel()
    this.#robots?.cancel()
    this.#loop.abort()
    await this.#client?.destroy()
    this.#end('cancelled')
    return this.#finished ?? this.summary()
  }

  /** Applies a live settings change to attempts that start afterwards. */
  updateSettings(patch: LiveSettingsPatch): LiveSettings {
    const patched = patchLiveSettings(this.#settings, patch)
    if (!patched) return this.#settings
    const { settings: s, changed } = patched
    this.#settings = s
    const now = Date.now()
    const decisions = this.#politeness.update(s, now)
    this.#frontier?.updateSettings(s)
    this.#loop.scheduler.setLimits(s, now)
    this.#client?.resize()
    this.#events.emit({ kind: 'settings-changed', changed, settings: s })
    for (const decision of decisions) this.#events.emit({ kind: 'host-decision', decision })
    this.#loop.pump()
    return this.#settings
  }

  /** What the policy units may ask of the engine. */
  #policyPorts(): PolicyPorts {
    return {
      // robots.txt and sitemaps are fetched over the run's HTTP client (its sockets and DNS cache).
      fetch: (request) => documentFetcher(this.#client?.dispatcher)(request),
      emit: (event) => {
        this.#countTotal()
        this.#events.emit(event)
      },
      queuedInEngine: () => this.#loop.scheduler.queued + this.#loop.waitingRetry,
      wake: () => {
        this.#countTotal()
        if ((this.#state === 'running' || this.#state === 'paused') && !this.#maybeComplete())
          this.#loop.pump()
      },
      crawlDelay: (host, ms) => {
        this.#politeness.setCrawlDelay(host, ms)
      },
      hostReady: (host) => {
        this.#loop.scheduler.wake(host, Date.now())
      }
    }
  }

  /** Tasks not started: still in the frontier, or pulled and queued on a host. */
  #queued(): number {
    return this.#loop.scheduler.queued + (this.#frontier?.pending ?? 0)
  }

  /** The frontier took on more tasks: the run's total grows by as many. */
  #countTotal(): void {
    const total = this.#frontier?.total ?? 0
    if (total <= this.#counted) return
    this.#stats?.setTotal(this.#stats.totalUrls + total - this.#counted)
    this.#counted = total
  }

  #recordResult(result: RequestResult, links: ExtractedLinks | null): void {
    this.#done += 1
    this.#stats?.recordResult(result)
    this.#events.emit({ kind: 'request-finished', result })
    // The page's links start at once, before the safeguard may pause the run.
    if ((this.#frontier?.finished(result, links) ?? 0) > 0) {
      this.#countTotal()
      this.#loop.pump()
    }
    if (this.#maybeComplete() || this.#state !== 'running') return
    const reason = this.#politeness.noteResult(result, Date.now())
    if (reason !== null) {
      this.#events.emit({ kind: 'safeguard-tripped', reason })
      this.pause()
      this.#safeguardPaused = true
    }
  }

  /** Every task pulled is done and the frontier has nothing more to give: the run completes. */
  #maybeComplete(): boolean {
    const frontier = this.#frontier
    if (!frontier || this.#done < this.#loop.pulled || frontier.pending > 0 || !frontier.settled) return false
    void this.#complete()
    return true
  }

  async #complete(): Promise<void> {
    if (this.#state === 'completed' || this.#state === 'cancelled') return
    this.#state = 'completed'
    this.#stopProgress()
    this.#loop.stopTimers()
    await this.#client?.close()
    this.#end('completed')
  }

  #end(state: 'completed' | 'cancelled'): void {
    if (state === 'completed') this.#frontier?.completed()
    const finishedAt = Date.now()
    const unfinished = this.#loop.pulled - this.#done + (this.#frontier?.pending ?? 0)
    const summary = this.#statsOrEmpty(finishedAt).summary({
      state,
      inFlight: 0,
      queued: state === 'cancelled' ? unfinished : 0,
      waitingRetry: 0,
      now: finishedAt,
      finishedAt
    })
    this.#events.emit({ kind: 'run-finished', state, summary })
    this.#finish?.(summary)
  }

  #statsOrEmpty(now = Date.now()): RunStats {
    return this.#stats ?? new RunStats({ runId: this.runId, total: 0, startedAt: now })
  }

  #stopProgress(): void {
    if (this.#progressTimer) clearInterval(this.#progressTimer)
    this.#progressTimer = null
  }
}
