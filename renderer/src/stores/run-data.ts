import {
  MAX_DECISIONS_KEPT,
  MAX_NOTICES_KEPT,
  MAX_TRAPS_KEPT,
  type CompactResults,
  type EventBatch,
  type FrontierSample,
  type InFlightSample,
  type RunSnapshot,
  type SettingsMark,
  type SpiderState,
  type RunNotice,
  type TrapReport
} from '../../../shared/api.ts'
import { LIVE_SETTING_KEYS, type LiveSettingKey, type LiveSettings } from '../../../shared/config.ts'
import type { SettingSpec } from '../../../shared/setting-spec.ts'
import { SETTINGS } from '../../../shared/settings.ts'
import type { HostDecision } from '../../../shared/events.ts'
import { LogHistogram } from '../../../shared/histogram.ts'
import { TimeBuckets } from '../../../shared/time-series.ts'
import { Reservoir } from './reservoir.ts'

/**
 * The open run's raw aggregates, kept OUTSIDE React state: the ingest mutates them once per event
 * batch, and the metrics ticker derives chart arrays from them a few times a second. Holding them
 * in zustand would mean a new histogram or bucket array per batch for nothing.
 */

/** Same shapes as the charts feature's ChartMark / RecentPoint (structural, so stores stay independent). */
export interface MarkPoint {
  readonly at: number
  readonly label: string
  /** A settings change (the default) or an adaptive-concurrency decision on one host. */
  readonly kind?: 'settings' | 'decision'
}
export interface RecentSample {
  readonly at: number
  readonly ms: number
  readonly ok: boolean
}

/**
 * Individual requests kept for the latency scatter: a uniform sample across the run (algorithm R),
 * so a 20,000-request run shows dots from its first second to its last, not only the newest.
 */
export const SAMPLE_CAPACITY = 1_500

/**
 * Queue-size samples kept (one per event batch, ~10 a second). Past this, every other sample is
 * dropped: the chart shows ≤ 2,000 points anyway, and an hour-long spider must not grow without bound.
 */
export const FRONTIER_CAPACITY = 8_000

/** "shop.example 8 → 4": a decision's chart label (the log has the full reason). */
export function decisionLabel(d: HostDecision): string {
  return `${d.host} ${String(d.from)} → ${String(d.to)}`
}

/** A setting as a chart mark names it: its short name, else its label in lower case. */
function settingName(key: LiveSettingKey): string {
  const spec: SettingSpec = SETTINGS[key]
  return spec.short ?? spec.label.toLowerCase()
}

function settingValue(key: LiveSettingKey, value: unknown): string {
  if (value === undefined) return '?'
  if (typeof value === 'boolean') return value ? 'on' : 'off'
  if (Array.isArray(value)) return value.map(String).join(',') || 'none'
  const text = typeof value === 'number' ? String(value) : JSON.stringify(value)
  const spec: SettingSpec = SETTINGS[key]
  return spec.unit === 'ms' ? `${text} ms` : text
}

/** "concurrency 8 → 20", several changes joined with ", ". */
export function markLabel(before: Partial<LiveSettings>, changed: SettingsMark['changed']): string {
  const parts: string[] = []
  for (const key of LIVE_SETTING_KEYS) {
    if (!(key in changed)) continue
    const next = changed[key]
    const prev = before[key]
    // A patch may restate values that did not change; the label names only what did.
    if (JSON.stringify(prev) === JSON.stringify(next)) continue
    const name = settingName(key)
    parts.push(`${name} ${settingValue(key, prev)} → ${settingValue(key, next)}`)
  }
  return parts.length > 0 ? parts.join(', ') : 'settings changed'
}

export class RunData {
  readonly runId: string
  readonly buckets: TimeBuckets
  readonly histogram: LogHistogram
  readonly marks: MarkPoint[] = []
  /** Adaptive-concurrency decisions, oldest first (the latest MAX_DECISIONS_KEPT). */
  readonly decisions: HostDecision[] = []
  /** The same decisions as chart marks. */
  readonly decisionMarks: MarkPoint[] = []
  /** Spider traps reported, oldest first (the latest MAX_TRAPS_KEPT). */
  readonly traps: TrapReport[] = []
  /** Queue size over time (spider runs). */
  frontier: FrontierSample[] = []
  /** The latest spider aggregates; null for a list run. */
  spider: SpiderState | null = null
  /** Sitemap problems, oldest first (the latest MAX_NOTICES_KEPT). */
  readonly notices: RunNotice[] = []
  /** Bumped when decisions, traps, notices, the frontier or the spider aggregates change. */
  spiderVersion = 0
  private readonly decisionKeys = new Set<string>()
  /** Bumped on every mutation; the ticker re-derives only when it moved. */
  version = 0
  /** Finished results applied (snapshot's recent ones not counted: only the change matters). */
  resultsSeen = 0
  /** The scatter's sample; `sample.seen` is how many results this view received to sample from. */
  readonly sample: Reservoir
  /** Settings in effect after the last mark, for the "before" half of the next label. */
  private markSettings: Partial<LiveSettings>
  private readonly markKeys = new Set<string>()
  /** Reused for every result recorded into the time buckets. */
  private readonly scratch: { ok: boolean; finishedAt: number; timings: { total: number } } = {
    ok: true,
    finishedAt: 0,
    timings: { total: 0 }
  }

  private constructor(
    runId: string,
    buckets: TimeBuckets,
    histogram: LogHistogram,
    base: LiveSettings,
    random: () => number
  ) {
    this.runId = runId
    this.sample = new Reservoir(SAMPLE_CAPACITY, random)
    this.buckets = buckets
    this.histogram = histogram
    this.markSettings = { ...base }
  }

  get startedAt(): number {
    return this.buckets.startedAt
  }

  static fromSnapshot(snapshot: RunSnapshot, random: () => number = Math.random): RunData {
    // Marks are replayed from the run's starting config, so each label knows the value before it.
    const data = new RunData(
      snapshot.runId,
      TimeBuckets.fromJSON(snapshot.series),
      LogHistogram.fromJSON(snapshot.histogram),
      snapshot.config,
      random
    )
    data.pushRecent(snapshot.recent)
    data.addMarks(snapshot.marks)
    data.noteInFlight(snapshot.inFlight)
    data.addDecisions(snapshot.decisions)
    data.addTraps(snapshot.traps)
    data.addNotices(snapshot.notices)
    data.frontier = snapshot.frontierSeries.slice(-FRONTIER_CAPACITY)
    data.spider = snapshot.spider
    data.spiderVersion++
    return data
  }

  /**
   * A batch's spider news: decisions, traps and notices (deltas, so only for a batch not already in the
   * snapshot) and the latest aggregates, sampled into the queue-size series.
   */
  applySpider(batch: EventBatch, withDeltas: boolean): void {
    if (withDeltas) {
      this.addDecisions(batch.decisions)
      this.addTraps(batch.traps)
      this.addNotices(batch.notices)
    }
    if (batch.spider === null) return
    const frontier = batch.spider.frontier
    const last = this.frontier[this.frontier.length - 1]
    if (!last || last.queued !== frontier.queued || last.discovered !== frontier.discovered) {
      this.frontier.push({ at: batch.inFlight.at, queued: frontier.queued, discovered: frontier.discovered })
      if (this.frontier.length > FRONTIER_CAPACITY)
        this.frontier = this.frontier.filter((_, i) => i % 2 === 0)
    }
    this.spider = batch.spider
    this.spiderVersion++
    this.version++
  }

  /** Adds decisions (and their chart marks); one seen before (same time, host and change) is skipped. */
  addDecisions(decisions: readonly HostDecision[]): void {
    if (decisions.length === 0) return
    for (const d of decisions) {
      const key = `${String(d.at)}:${d.host}:${String(d.from)}:${String(d.to)}`
      if (this.decisionKeys.has(key)) continue
      this.decisionKeys.add(key)
      this.decisions.push(d)
      this.decisionMarks.push({ at: d.at, label: decisionLabel(d), kind: 'decision' })
    }
    if (this.decisions.length > MAX_DECISIONS_KEPT) {
      const drop = this.decisions.length - MAX_DECISIONS_KEPT
      this.decisions.splice(0, drop)
      this.decisionMarks.splice(0, drop)
    }
    this.spiderVersion++
    this.version++
  }

  addTraps(traps: readonly TrapReport[]): void {
    if (traps.length === 0) return
    this.traps.push(...traps)
    if (this.traps.length > MAX_TRAPS_KEPT) this.traps.splice(0, this.traps.length - MAX_TRAPS_KEPT)
    this.spiderVersion++
    this.version++
  }

  addNotices(notices: readonly RunNotice[]): void {
    if (notices.length === 0) return
    this.notices.push(...notices)
    if (this.notices.length > MAX_NOTICES_KEPT) this.notices.splice(0, this.notices.length - MAX_NOTICES_KEPT)
    this.spiderVersion++
    this.version++
  }

  /** Records a batch's finished results into the buckets, the histogram and the sample. */
  applyResults(results: CompactResults): void {
    const n = results.id.length
    if (n === 0) return
    const r = this.scratch
    for (let i = 0; i < n; i++) {
      const ms = results.totalMs[i] ?? 0
      r.ok = results.ok[i] === 1
      r.finishedAt = results.finishedAt[i] ?? 0
      r.timings.total = ms
      this.buckets.record(r)
      this.histogram.record(ms)
    }
    this.pushRecent(results)
    this.resultsSeen += n
    this.version++
  }

  noteInFlight(sample: InFlightSample): void {
    this.buckets.noteInFlight(sample.at, sample.inFlight, sample.limit)
    this.version++
  }

  /** Adds settings marks with their labels; a mark seen before (same time and change) is skipped. */
  addMarks(marks: readonly SettingsMark[]): void {
    for (const mark of marks) {
      const key = `${mark.at}:${JSON.stringify(mark.changed)}`
      if (this.markKeys.has(key)) continue
      this.markKeys.add(key)
      this.marks.push({ at: mark.at, label: markLabel(this.markSettings, mark.changed) })
      this.markSettings = { ...this.markSettings, ...mark.changed }
      this.version++
    }
  }

  /** The sampled requests, oldest first. */
  recentPoints(): RecentSample[] {
    const out: RecentSample[] = []
    const r = this.sample
    for (let i = 0; i < r.size; i++) {
      out.push({ at: r.at[i] ?? 0, ms: r.ms[i] ?? 0, ok: r.ok[i] === 1 })
    }
    return out.sort((a, b) => a.at - b.at)
  }

  private pushRecent(results: CompactResults): void {
    const n = results.id.length
    for (let i = 0; i < n; i++) {
      this.sample.offer(results.finishedAt[i] ?? 0, results.totalMs[i] ?? 0, results.ok[i] === 1)
    }
    this.version++
  }
}

let current: RunData | null = null

/** The open run's raw data (null when no run is open). Written only by the ingest. */
export function getRunData(): RunData | null {
  return current
}

export function setRunData(data: RunData | null): void {
  current = data
}
