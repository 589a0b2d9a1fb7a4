import {
  MAX_DECISIONS_KEPT,
  MAX_FRONTIER_SAMPLES,
  MAX_HOST_ROWS,
  MAX_NOTICES_KEPT,
  MAX_TRAPS_KEPT,
  type FrontierSample,
  type HostLiveFigures,
  type HostRow,
  type PathStep,
  type RobotsRow,
  type RunNotice,
  type RunSnapshot,
  type SpiderRecord,
  type SpiderState,
  type TrapReport
} from '../../../shared/api.ts'
import {
  assertNever,
  type EngineEvent,
  type FrontierCounts,
  type HostDecision
} from '../../../shared/events.ts'
import { LogHistogram } from '../../../shared/histogram.ts'
import { hasLatency, type RequestResult } from '../../../shared/result.ts'

/**
 * What a run's dashboard shows beyond the list-mode charts: the decision log, traps, robots.txt per
 * origin, the safeguard's reason, frontier counts over time, results per depth, and per-host
 * figures for the hosts view. Fed every engine event in order (like the session's other
 * aggregates) so a snapshot holds exactly the events up to its seq. Every list is bounded: the
 * decision log and traps keep the latest entries, the frontier series is thinned by halving.
 */

/** No spider extras: what a list-mode (or stored, pre-spider) snapshot carries. */
export const NO_SPIDER_EXTRAS = Object.freeze({
  decisions: [] as readonly HostDecision[],
  traps: [] as readonly TrapReport[],
  notices: [] as readonly RunNotice[],
  robots: [] as readonly RobotsRow[],
  safeguardReason: null,
  spider: null,
  frontierSeries: [] as readonly FrontierSample[]
})

/** What a snapshot carries beyond the list-mode charts. */
export type SpiderExtras = Pick<
  RunSnapshot,
  'decisions' | 'traps' | 'notices' | 'robots' | 'safeguardReason' | 'spider' | 'frontierSeries'
>

/** A spider record as a snapshot shows it (`spiderMode` false: a list run, no spider state). */
export function extrasOfRecord(record: SpiderRecord, spiderMode: boolean): SpiderExtras {
  return {
    decisions: record.decisions,
    traps: record.traps,
    notices: record.notices,
    robots: record.robots,
    safeguardReason: record.safeguardReason,
    spider: spiderMode
      ? { frontier: record.frontier, depthCounts: record.depthCounts, trapCount: record.trapCount }
      : null,
    frontierSeries: record.frontierSeries
  }
}

const EMPTY_FRONTIER: FrontierCounts = Object.freeze({
  queued: 0,
  discovered: 0,
  deduped: 0,
  outOfScope: 0,
  trapped: 0,
  overLimit: 0,
  nofollow: 0,
  maxDepthSeen: 0
})

/** A frontier sample at most this often (the queue chart needs no finer grain). */
const SAMPLE_EVERY_MS = 250

interface HostFigures {
  requests: number
  ok: number
  /** Null past MAX_HOST_HISTOGRAMS hosts: a list run over 100,000 hosts must not hold 100,000 histograms. */
  readonly latency: LogHistogram | null
}

/** Hosts whose latency percentiles are kept (the first seen); later ones show counts only. */
const MAX_HOST_HISTOGRAMS = 5_000

/** What the engine knows about a host right now (limits and pauses live there). */
export type HostLive = HostLiveFigures

/** A host the engine holds nothing for (not seen since a resume, say): at the user's limit, idle. */
export function idleHost(host: string, userLimit: number): HostLive {
  return {
    host,
    currentLimit: userLimit,
    userLimit,
    pausedUntil: null,
    pauseReason: null,
    crawlDelayMs: null,
    inFlight: 0,
    queued: 0,
    retrying: 0,
    gapMs: 0,
    pacing: null,
    nextStartAt: null,
    limitReason: null
  }
}

export class SpiderAggregates {
  readonly spiderMode: boolean
  private readonly decisions: HostDecision[] = []
  private readonly traps: TrapReport[] = []
  private trapCount = 0
  private readonly notices: RunNotice[] = []
  private readonly robots = new Map<string, RobotsRow>()
  private safeguardReason: string | null = null
  private frontier: FrontierCounts = EMPTY_FRONTIER
  private readonly depthCounts: number[] = []
  private frontierSeries: FrontierSample[] = []
  private sampleEveryMs = SAMPLE_EVERY_MS
  private readonly hosts = new Map<string, HostFigures>()
  private histograms = 0

  /** `restored`: a resumed run's saved record; its logs, robots statuses and series continue. */
  constructor(spiderMode: boolean, robotsRespected: boolean, restored: SpiderRecord | null = null) {
    this.spiderMode = spiderMode
    this.robotsRespected = robotsRespected
    if (restored) {
      this.decisions.push(...restored.decisions.slice(-MAX_DECISIONS_KEPT))
      this.traps.push(...restored.traps.slice(-MAX_TRAPS_KEPT))
      this.trapCount = Math.max(restored.trapCount, this.traps.length)
      this.notices.push(...restored.notices.slice(-MAX_NOTICES_KEPT))
      for (const row of restored.robots) this.robots.set(row.origin, row)
      this.frontier = restored.frontier
      this.depthCounts.push(...restored.depthCounts)
      this.frontierSeries = restored.frontierSeries.slice(-MAX_FRONTIER_SAMPLES)
      // A thinned series keeps its spacing: at least the gap between its last two samples.
      const [a, b] = this.frontierSeries.slice(-2)
      if (a && b) this.sampleEveryMs = Math.max(SAMPLE_EVERY_MS, b.at - a.at)
    }
  }

  /** What the run's record keeps (`queued`: the engine's queue now, as for spiderState). */
  toRecord(queued?: number): SpiderRecord {
    return {
      decisions: [...this.decisions],
      traps: [...this.traps],
      trapCount: this.trapCount,
      notices: [...this.notices],
      robots: [...this.robots.values()],
      safeguardReason: this.safeguardReason,
      frontier: queued === undefined ? this.frontier : { ...this.frontier, queued },
      depthCounts: [...this.depthCounts],
      frontierSeries: [...this.frontierSeries]
    }
  }

  private readonly robotsRespected: boolean

  ingest(event: EngineEvent): void {
    switch (event.kind) {
      case 'request-finished':
        this.noteResult(event.result)
        break
      case 'url-discovered':
        this.frontier = event.frontier
        this.sample(event.at)
        break
      case 'host-decision':
        this.decisions.push(event.decision)
        if (this.decisions.length > MAX_DECISIONS_KEPT)
          this.decisions.splice(0, this.decisions.length - MAX_DECISIONS_KEPT)
        break
      case 'trap-detected':
        this.trapCount++
        this.traps.push({
          at: event.at,
          url: event.url,
          code: event.code,
          message: event.message,
          foundOn: event.foundOn
        })
        if (this.traps.length > MAX_TRAPS_KEPT) this.traps.splice(0, this.traps.length - MAX_TRAPS_KEPT)
        break
      case 'sitemap-problem':
        this.notices.push({ at: event.at, source: 'sitemap', message: event.message })
        if (this.notices.length > MAX_NOTICES_KEPT)
          this.notices.splice(0, this.notices.length - MAX_NOTICES_KEPT)
        break
      case 'robots-status':
        this.robots.set(event.origin, {
          origin: event.origin,
          label: event.label,
          crawlDelayMs: event.crawlDelayMs
        })
        break
      case 'safeguard-tripped':
        this.safeguardReason = event.reason
        break
      case 'run-state-changed':
        // The reason stands while the run stays paused for it; a resume clears it.
        if (event.state === 'running') this.safeguardReason = null
        break
      case 'attempt-failed':
      case 'request-started':
      case 'run-finished':
      case 'run-progress':
      case 'run-started':
      case 'settings-changed':
        break
      default:
        assertNever(event, 'engine event')
    }
  }

  /** Forgets the per-depth counts (a resumed run recounts them from its stored results). */
  clearDepthCounts(): void {
    this.depthCounts.length = 0
  }

  /** Counts one finished result (live through ingest, or a resumed run's stored ones). */
  noteResult(result: RequestResult): void {
    this.depthCounts[result.depth] = (this.depthCounts[result.depth] ?? 0) + 1
    for (let d = 0; d < result.depth; d++) this.depthCounts[d] ??= 0
    let figures = this.hosts.get(result.host)
    if (!figures) {
      const latency = this.histograms < MAX_HOST_HISTOGRAMS ? new LogHistogram() : null
      if (latency) this.histograms++
      figures = { requests: 0, ok: 0, latency }
      this.hosts.set(result.host, figures)
    }
    figures.requests++
    if (result.ok) figures.ok++
    if (hasLatency(result)) figures.latency?.record(result.timings.total)
  }

  /**
   * The engine's queue now (called with each batch): the queue chart must show the queue draining
   * too, and pages at the last depth discover nothing, so discovery events alone would leave it flat.
   */
  noteQueued(at: number, queued: number): void {
    if (!this.spiderMode || queued === this.frontier.queued) return
    this.frontier = { ...this.frontier, queued }
    this.sample(at)
  }

  /** Keeps the series bounded: past the cap, every other sample goes and the spacing doubles. */
  private sample(at: number): void {
    const last = this.frontierSeries.at(-1)
    const point = { at, queued: this.frontier.queued, discovered: this.frontier.discovered }
    if (last && at - last.at < this.sampleEveryMs) {
      this.frontierSeries[this.frontierSeries.length - 1] = { ...point, at: last.at }
      return
    }
    this.frontierSeries.push(point)
    if (this.frontierSeries.length > MAX_FRONTIER_SAMPLES) {
      this.frontierSeries = this.frontierSeries.filter((_, i) => i % 2 === 0)
      this.sampleEveryMs *= 2
    }
  }

  /** `queued`: the engine's queue now (fresher than the last discovery event's). */
  spiderState(queued?: number): SpiderState | null {
    if (!this.spiderMode) return null
    const frontier = queued === undefined ? this.frontier : { ...this.frontier, queued }
    return { frontier, depthCounts: [...this.depthCounts], trapCount: this.trapCount }
  }

  snapshotExtras(queued?: number): SpiderExtras {
    return extrasOfRecord(this.toRecord(queued), this.spiderMode)
  }

  /** The hosts view: the busiest hosts (results, or work queued), most requests first, at most MAX_HOST_ROWS. */
  hostRows(live: readonly HostLive[], userLimit: number): HostRow[] {
    const liveOf = new Map(live.map((h) => [h.host, h]))
    const names = new Set([...this.hosts.keys(), ...liveOf.keys()])
    const busiest = [...names]
      .map((host) => ({ host, requests: this.hosts.get(host)?.requests ?? 0 }))
      .sort((a, b) => b.requests - a.requests || a.host.localeCompare(b.host))
      .slice(0, MAX_HOST_ROWS)
    const rows: HostRow[] = []
    for (const { host } of busiest) {
      const f = this.hosts.get(host)
      const l = liveOf.get(host)
      const requests = f?.requests ?? 0
      const ok = f?.ok ?? 0
      const [p50, p95] = f?.latency ? f.latency.quantiles([0.5, 0.95]) : [null, null]
      rows.push({
        ...(l ?? idleHost(host, userLimit)),
        requests,
        ok,
        failed: requests - ok,
        okPercent: requests === 0 ? 0 : (ok / requests) * 100,
        p50Ms: p50 ?? null,
        p95Ms: p95 ?? null,
        robots: this.robotsLabel(host)
      })
    }
    rows.sort((a, b) => b.requests - a.requests || a.host.localeCompare(b.host))
    return rows
  }

  private robotsLabel(host: string): string {
    if (!this.robotsRespected) return 'ignored'
    // Origins are scheme://host[:port]; a host may be reached over http and https.
    const labels: string[] = []
    for (const row of this.robots.values()) {
      const authority = row.origin.replace(/^[a-z]+:\/\//, '')
      if (authority === host) labels.push(row.label)
    }
    return labels.length === 0 ? 'not fetched' : labels.join('; ')
  }
}

/** Seed → … → `id` by following foundOn; stops at a missing link or a cycle (bounded by depth + 1 steps). */
export function pathOf(id: number, get: (id: number) => RequestResult | null): PathStep[] {
  const steps: PathStep[] = []
  const seen = new Set<number>()
  let next: number | null = id
  while (next !== null && !seen.has(next) && steps.length <= 10_000) {
    seen.add(next)
    const r = get(next)
    if (!r) break
    steps.push({ id: r.id, url: r.url, depth: r.depth })
    next = r.foundOn
  }
  return steps.reverse()
}
