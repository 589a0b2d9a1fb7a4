import type { LiveSettings, LiveSettingsPatch, RunConfig } from '../../../shared/config.ts'
import { LIVE_SETTING_KEYS, pickLive } from '../../../shared/config.ts'
import type { RequestFailure } from '../../../shared/errors.ts'
import type { EngineEvent, HostDecision, RunState } from '../../../shared/events.ts'
import type { AttemptRecord, RequestResult } from '../../../shared/result.ts'
import { AdaptiveLimiter, adaptiveSignalOf } from '../politeness/adaptive-limit.ts'
import { FailureSafeguard } from '../politeness/failure-safeguard.ts'
import { HostPacer } from '../politeness/host-pacing.ts'
import type { LinkExtractorOptions } from '../crawl/link-extractor.ts'
import { NormalizeMemo } from '../crawl/normalize-url.ts'
import { RobotsCache, robotsFailure, robotsOrigin, type RobotsVerdict } from '../crawl/robots.ts'
import { loadSitemaps } from '../crawl/sitemap-source.ts'
import { RunStats, type RunStatsData } from '../../../shared/stats.ts'
import type { RunSummary } from '../../../shared/summary.ts'
import { AttemptControl, CANCELLED, fetchAttempt, type AttemptData, type AttemptSettings } from './attempt.ts'
import {
  UrlAdmission as Frontier,
  type AdmittedUrl as FrontierEntry,
  type Offered
} from '../crawl/url-admission.ts'
import { HostScheduler, type HostState } from './host-scheduler.ts'
import { createHttpClient, type HttpClient } from './http-client.ts'
import { decideRetry } from './retry-policy.ts'
import { documentFetcher } from './fetch-document.ts'
import type { DocumentFetcher } from '../crawl/document-fetch.ts'

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

export interface StartOptions {
  /** A resumed run's counts (its total already the whole run's). */
  readonly stats?: RunStats
  /** Spider mode, resumed: URLs already fetched (deduped against, counted in maxPages). */
  readonly known?: Iterable<string>
  /** Spider mode: the first id a discovered URL gets (default: one past the largest task id). */
  readonly nextId?: number
}

export type EngineListener = (event: EngineEvent) => void

interface Job {
  readonly id: number
  readonly url: URL
  readonly host: string
  /** Mutable while queued: the frontier lowers them when a shorter path turns up. */
  depth: number
  foundOn: number | null
  readonly attempts: AttemptRecord[]
  firstStartedAt: number
}

/** Extra sockets per origin beyond the per-host limit never happen; this only bounds the pool. */
const SOCKETS_PER_ORIGIN = 512
/** Sitemap fetches get this long each (they can be 50 MB). */
const SITEMAP_TIMEOUT_MS = 60_000

/**
 * How long a page in flight holds back pages two or more links deeper (see HostScheduler): longer
 * than almost every page takes (the demo site's p99 is 200 ms), short enough that a hanging page
 * costs the crawl little.
 */
const BAND_HOLD_MS = 2_000

const ZERO_TIMINGS = Object.freeze({ queue: 0, dns: 0, connect: 0, tls: 0, ttfb: 0, download: 0, total: 0 })

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
  /** One timer per host held back by time (Retry-After pause or pacing) with work waiting. */
  readonly #hostWakers = new Map<string, { readonly timer: NodeJS.Timeout; readonly at: number }>()
  // ---- spider mode and politeness ----
  #frontier: Frontier | null = null
  #linkOptions: LinkExtractorOptions | null = null
  #robots: RobotsCache | null = null
  /** Hosts whose robots.txt has been read: until then one request at a time (it may set a Crawl-delay). */
  readonly #robotsKnown = new Set<string>()
  readonly #robotsLabels = new Map<string, string>()
  readonly #robotsSitemapsRead = new Set<string>()
  readonly #pacer: HostPacer
  readonly #gaps = new Map<string, number>()
  readonly #lastStart = new Map<string, number>()
  #limiter: AdaptiveLimiter | null = null
  readonly #safeguard: FailureSafeguard
  #sourcesPending = 0
  #holdForSitemaps = false
  readonly #sourcesAbort = new AbortController()
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
  #linkSettingsCache: { readonly for: AttemptSettings; readonly value: AttemptSettings } | null = null

  constructor(options: EngineOptions) {
    this.#config = options.config
    this.runId = options.runId ?? `run-${Date.now().toString(36)}`
    this.#random = options.random ?? Math.random
    this.#progressIntervalMs = options.progressIntervalMs ?? 250
    this.#settings = pickLive(options.config)
    const s = this.#settings
    this.#pacer = new HostPacer({
      minDelayMs: s.perHostMinDelayMs,
      maxRequestsPerSecond: s.perHostMaxRequestsPerSecond,
      maxCrawlDelayMs: s.maxCrawlDelayMs
    })
    if (s.adaptiveConcurrency) this.#limiter = new AdaptiveLimiter(s.perHostConcurrency)
    this.#safeguard = new FailureSafeguard({ thresholdPercent: s.failureSafeguardPercent })
    this.#scheduler = new HostScheduler<Job>(this.#settings, {
      hostLimit: (host) => this.#hostLimit(host),
      pacer: {
        earliestStart: (host, now) => this.#earliestStart(host, now),
        noteStart: (host, now) => {
          this.#noteStart(host, now)
        }
      },
      onWakeNeeded: (host, at) => {
        this.#wakeAt(host, at)
      },
      // Breadth first with many requests in flight (a list run's jobs are all depth 0: one band).
      bandOf: (job) => job.depth,
      bandHoldMs: BAND_HOLD_MS
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

  /** URLs waiting: queued on a host or sleeping before a retry. */
  queuedNow(): number {
    return this.#scheduler.queued + this.#waitingRetry
  }

  /** Hosts the scheduler knows, with their limits and pauses now. */
  hostStates(): HostLiveState[] {
    const now = Date.now()
    const user = this.#settings.perHostConcurrency
    return this.#scheduler.hostList().map((host) => {
      const policy = this.#pacer.policy(host.name)
      return {
        host: host.name,
        currentLimit: Math.min(user, this.#limiter?.limit(host.name) ?? user),
        userLimit: user,
        pausedUntil: host.pausedUntil > now ? host.pausedUntil : null,
        crawlDelayMs:
          policy.crawlDelayMs === null ? null : Math.min(policy.crawlDelayMs, policy.maxCrawlDelayMs)
      }
    })
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
  start(tasks: readonly UrlTask[], opts: StartOptions = {}): Promise<RunSummary> {
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
    if (this.spider) this.#startSpider(jobs, opts)
    for (const job of jobs) this.#scheduler.enqueue(job.host, job, now)
    this.#progressTimer = setInterval(() => {
      this.#emitProgress()
    }, this.#progressIntervalMs)
    if (this.spider) this.#emitDiscovered(null, [], jobs.length)
    if (this.#config.mode === 'spider' && this.#config.sitemapUrls.length > 0) {
      // Sitemap URLs are seeds: read them before the first fetch, so a link cannot reach one first
      // (at a greater depth) and the crawl starts breadth first from every seed.
      this.#holdForSitemaps = true
      this.#loadSources(this.#config.sitemapUrls, () => {
        this.#holdForSitemaps = false
      })
    }
    if (!this.#maybeComplete()) this.#pump()
    return this.#finished
  }

  /** Spider mode: the frontier around the seeds, robots.txt, link extraction options. */
  #startSpider(jobs: readonly Job[], opts: StartOptions): void {
    const c = this.#config
    let maxId = -1
    for (const job of jobs) if (job.id > maxId) maxId = job.id
    const frontier = new Frontier({
      config: c,
      seeds: jobs.map((job) => job.url.href),
      nextId: opts.nextId ?? maxId + 1
    })
    for (const url of opts.known ?? []) frontier.noteKnown(url)
    for (const job of jobs) frontier.noteKnown(job.url.href, job.depth)
    this.#frontier = frontier
    const normalize = { stripQueryParams: c.stripQueryParams }
    // One memo for the run: its pages share their navigation links, resolved once.
    this.#linkOptions = { ...normalize, memo: new NormalizeMemo(normalize) }
    if (c.respectRobots) {
      this.#robots = new RobotsCache({ userAgent: c.userAgent, fetch: this.#fetchDocument() })
    }
  }

  /** robots.txt and sitemaps are fetched over the run's HTTP client (its sockets and DNS cache). */
  #fetchDocument(): DocumentFetcher {
    return documentFetcher(this.#client?.dispatcher)
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
    // A resume after the safeguard paused the run judges it afresh.
    this.#safeguard.rearm()
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
    this.#sourcesAbort.abort()
    this.#robots?.cancel()
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
    const before = this.#settings
    this.#settings = next as LiveSettings
    const s = this.#settings
    const now = Date.now()
    this.#pacer.setDefaults({
      minDelayMs: s.perHostMinDelayMs,
      maxRequestsPerSecond: s.perHostMaxRequestsPerSecond,
      maxCrawlDelayMs: s.maxCrawlDelayMs
    })
    this.#gaps.clear()
    this.#safeguard.setOptions({ thresholdPercent: s.failureSafeguardPercent })
    this.#frontier?.setLimits({ maxPages: s.maxPages, perHostBudget: s.perHostBudget })
    let decisions: readonly HostDecision[] = []
    if (!s.adaptiveConcurrency) this.#limiter = null
    else if (!this.#limiter) this.#limiter = new AdaptiveLimiter(s.perHostConcurrency)
    else if (before.perHostConcurrency !== s.perHostConcurrency) {
      decisions = this.#limiter.setUserLimit(s.perHostConcurrency, now)
    }
    this.#scheduler.setLimits(s, now)
    this.#emit({ kind: 'settings-changed', changed, settings: s })
    for (const decision of decisions) this.#emit({ kind: 'host-decision', decision })
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
    if (this.#state !== 'running' || this.#holdForSitemaps) return
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
    if (attempt === 1) {
      job.firstStartedAt = Date.now()
      this.#frontier?.started(job.url.href)
    }
    if (attempt === 1 && this.#robots) {
      const verdict = this.#robots.verdict(job.url) ?? (await this.#loadRobots(job))
      if (this.#state === 'cancelled') return
      if (!verdict.allowed) {
        const now = Date.now()
        this.#scheduler.release(host, now, job)
        this.#finishBlocked(job, verdict, now)
        this.#pump()
        return
      }
      // Pacing counts from the request itself, not from the robots.txt fetch before it.
      this.#noteStart(job.host, Date.now())
    }
    this.#emit({ kind: 'request-started', id: job.id, url: job.url.href, attempt })
    const control = new AttemptControl()
    this.#inFlight.add(control)
    let data: AttemptData
    try {
      data = await fetchAttempt(client, job.url, this.#attemptSettings(job), control)
    } finally {
      this.#inFlight.delete(control)
    }
    if (this.#state === 'cancelled') return
    const now = Date.now()
    // Before the slot is released, so the release already sees a lowered limit.
    if (this.#limiter && data.error?.code !== 'ABORTED') {
      const signal = adaptiveSignalOf(data.status, data.error?.code ?? null)
      const decision = this.#limiter.noteResult(job.host, signal, data.error ? null : data.durationMs, now)
      if (decision) this.#emit({ kind: 'host-decision', decision })
    }
    this.#scheduler.release(host, now, job)

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
  #attemptSettings(job: Job): AttemptSettings {
    const base = this.#baseAttemptSettings()
    if (!this.#linkOptions || !this.#frontier?.followsFrom(job.depth)) return base
    if (this.#linkSettingsCache?.for !== base) {
      this.#linkSettingsCache = { for: base, value: { ...base, links: this.#linkOptions } }
    }
    return this.#linkSettingsCache.value
  }

  #baseAttemptSettings(): AttemptSettings {
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
      retryStatuses: s.retryStatuses,
      links: null,
      checkRedirect: this.#robots ? this.#checkRedirect : null
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
  }

  /**
   * The scheduler asks to look at a host again at `at` (its pause or pacing gap ends). One timer
   * per host: an earlier ask replaces a later timer, a later ask waits for the earlier one, whose
   * wake() asks again if the host still has to wait. Node timers run on a monotonic clock and
   * pauses on Date.now(): a timer can fire a millisecond early, and wake() then simply re-asks.
   */
  #wakeAt(hostName: string, at: number): void {
    if (this.#state === 'cancelled' || this.#state === 'completed') return
    const existing = this.#hostWakers.get(hostName)
    if (existing && existing.at <= at) return
    if (existing) {
      clearTimeout(existing.timer)
      this.#timers.delete(existing.timer)
    }
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer)
        this.#hostWakers.delete(hostName)
        this.#scheduler.wake(hostName, Date.now())
        this.#pump()
      },
      Math.max(0, at - Date.now())
    )
    this.#timers.add(timer)
    this.#hostWakers.set(hostName, { timer, at })
  }

  /** A host's own limit: 1 until its robots.txt is read, then the adaptive limit (if on). */
  #hostLimit(hostName: string): number {
    if (this.#robots && !this.#robotsKnown.has(hostName)) return 1
    return this.#limiter?.limit(hostName) ?? Number.POSITIVE_INFINITY
  }

  #earliestStart(hostName: string, now: number): number {
    const last = this.#lastStart.get(hostName)
    if (last === undefined) return now
    let gap = this.#gaps.get(hostName)
    if (gap === undefined) {
      gap = this.#pacer.gap(hostName).gapMs
      this.#gaps.set(hostName, gap)
    }
    return gap === 0 ? now : Math.max(now, last + gap)
  }

  #noteStart(hostName: string, now: number): void {
    const last = this.#lastStart.get(hostName)
    this.#lastStart.set(hostName, last === undefined ? now : Math.max(last, now))
  }

  /** A redirect's target must be allowed too: ROBOTS_DISALLOWED stops the attempt before it is requested. */
  readonly #checkRedirect = async (target: URL): Promise<RequestFailure | null> => {
    const robots = this.#robots
    if (!robots) return null
    let verdict: RobotsVerdict
    try {
      verdict = robots.verdict(target.href) ?? (await robots.check(target.href))
    } catch {
      return null
    }
    if (verdict.allowed) return null
    const failure = robotsFailure(verdict)
    return { ...failure, message: `Redirected to ${target.href}: ${failure.message}` }
  }

  /** Reads the origin's robots.txt (once; concurrent askers share the fetch) and applies what it says. */
  async #loadRobots(job: Job): Promise<RobotsVerdict> {
    const robots = this.#robots
    if (!robots) return { allowed: true }
    const origin = robotsOrigin(job.url)
    let verdict: RobotsVerdict
    try {
      verdict = await robots.check(job.url.href)
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      verdict = { allowed: false, rule: '', line: 0, message: `robots.txt could not be checked: ${detail}` }
    }
    if (this.#state === 'cancelled') return verdict
    this.#robotsKnown.add(job.host)
    const crawlDelayMs = robots.crawlDelayMs(origin)
    if (this.#pacer.policy(job.host).crawlDelayMs !== crawlDelayMs) {
      this.#pacer.setPolicy(job.host, { crawlDelayMs })
      this.#gaps.delete(job.host)
    }
    const label = robots.status(origin).label
    if (this.#robotsLabels.get(origin) !== label) {
      this.#robotsLabels.set(origin, label)
      this.#emit({ kind: 'robots-status', origin, label, crawlDelayMs })
    }
    if (this.#config.robotsSitemaps && !this.#robotsSitemapsRead.has(origin)) {
      this.#robotsSitemapsRead.add(origin)
      const sitemaps = robots.sitemaps(origin)
      if (sitemaps.length > 0) this.#loadSources(sitemaps)
    }
    // The host may now take more than the one request it had while robots.txt was unknown.
    this.#scheduler.wake(job.host, Date.now())
    return verdict
  }

  /** Sitemaps (config, or robots.txt's) feed the frontier at depth 0; the run ends only after they are read. */
  #loadSources(sources: readonly string[], onRead?: () => void): void {
    this.#sourcesPending++
    void loadSitemaps(sources, {
      fetch: this.#fetchDocument(),
      userAgent: this.#config.userAgent,
      timeoutMs: SITEMAP_TIMEOUT_MS,
      signal: this.#sourcesAbort.signal,
      onUrls: (urls) => {
        if (this.#state === 'cancelled' || !this.#frontier) return
        this.#admit(this.#frontier.offerSitemapUrls(urls), null)
      },
      onProblem: (message) => {
        if (this.#state !== 'cancelled') this.#emit({ kind: 'sitemap-problem', message })
      }
    })
      .catch((error: unknown) => {
        // loadSitemaps reports failures rather than throwing: this is a bug, but the run goes on.
        const detail = error instanceof Error ? error.message : String(error)
        this.#emit({ kind: 'sitemap-problem', message: `Reading sitemaps failed: ${detail}` })
      })
      .finally(() => {
        onRead?.()
        this.#sourcesPending--
        if (this.#state === 'running' || this.#state === 'paused') {
          if (!this.#maybeComplete()) this.#pump()
        }
      })
  }

  /** Enqueues what the frontier accepted and reports traps and the new totals. */
  #admit(offered: Offered, foundOn: number | null): void {
    const now = Date.now()
    for (const entry of offered.accepted) {
      const job = this.#jobOf(entry)
      this.#frontier?.pend(entry.url, job)
      this.#scheduler.enqueue(entry.host, job, now)
    }
    const added = offered.accepted.length
    if (added > 0) {
      this.#total += added
      this.#stats?.setTotal(this.#stats.totalUrls + added)
    }
    for (const { url, trap } of offered.trapped) {
      this.#emit({ kind: 'trap-detected', url, code: trap.code, message: trap.message, foundOn })
    }
    this.#emitDiscovered(foundOn, offered.accepted)
    if (added > 0) this.#pump()
  }

  #jobOf(entry: FrontierEntry): Job {
    return {
      id: entry.id,
      url: new URL(entry.url),
      host: entry.host,
      depth: entry.depth,
      foundOn: entry.foundOn,
      attempts: [],
      firstStartedAt: 0
    }
  }

  #emitDiscovered(foundOn: number | null, urls: readonly FrontierEntry[], seeds = 0): void {
    if (!this.#frontier) return
    this.#emit({
      kind: 'url-discovered',
      foundOn,
      added: urls.length + seeds,
      urls: urls.map(({ id, url, depth, foundOn: on }) => ({ id, url, depth, foundOn: on })),
      frontier: this.#frontier.counts(this.#scheduler.queued + this.#waitingRetry)
    })
  }

  /** A URL robots.txt disallows: a finished, failed result that says which line blocked it. */
  #finishBlocked(job: Job, verdict: Extract<RobotsVerdict, { allowed: false }>, now: number): void {
    this.#recordResult(
      {
        id: job.id,
        url: job.url.href,
        finalUrl: job.url.href,
        host: job.host,
        method: this.#config.method,
        status: null,
        ok: false,
        attempts: [],
        redirects: [],
        error: robotsFailure(verdict),
        timings: ZERO_TIMINGS,
        bytes: 0,
        contentType: null,
        title: null,
        startedAt: now,
        finishedAt: now,
        headers: {},
        depth: job.depth,
        foundOn: job.foundOn
      },
      null
    )
  }

  /** Every URL is done and no sitemap is still being read: the run completes. */
  #maybeComplete(): boolean {
    if (this.#done < this.#total || this.#sourcesPending > 0) return false
    void this.#complete()
    return true
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
    this.#recordResult(result, data.links)
  }

  #recordResult(result: RequestResult, links: AttemptData['links']): void {
    this.#done += 1
    this.#stats?.recordResult(result)
    this.#emit({ kind: 'request-finished', result })
    const frontier = this.#frontier
    if (frontier) {
      if (result.finalUrl !== result.url) frontier.noteFinalUrl(result.finalUrl)
      if (links && result.ok) this.#admit(frontier.offerLinks(links.links, result), result.id)
    }
    if (this.#maybeComplete()) return
    if (this.#settings.failureSafeguardPercent === null) return
    if (this.#safeguard.tripped || this.#state !== 'running') return
    const failure = result.error
    const verdict = this.#safeguard.note(
      {
        host: result.host,
        failure: failure
          ? { code: failure.code, ...(failure.status === undefined ? {} : { status: failure.status }) }
          : null
      },
      Date.now()
    )
    if (verdict.trip) {
      this.#emit({ kind: 'safeguard-tripped', reason: verdict.reason })
      this.pause()
    }
  }

  async #complete(): Promise<void> {
    if (this.#state === 'completed' || this.#state === 'cancelled') return
    this.#state = 'completed'
    this.#clearTimers()
    await this.#client?.close()
    this.#end('completed')
  }

  #end(state: 'completed' | 'cancelled'): void {
    // The frontier's final totals (nothing queued any more), before run-finished closes the stream.
    if (state === 'completed') this.#emitDiscovered(null, [])
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
