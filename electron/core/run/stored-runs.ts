import { hostname } from 'node:os'
import {
  MAX_HOST_ROWS,
  unfilteredQuery,
  type CompactResults,
  type HostRow,
  type ResultRow,
  type RunInfo,
  type RunSnapshot
} from '../../../shared/api.ts'
import { pickLive, type RunConfig } from '../../../shared/config.ts'
import type { RunState } from '../../../shared/events.ts'
import { RunStats } from '../../../shared/stats.ts'
import type { RunSummary } from '../../../shared/summary.ts'
import { TimeBuckets } from '../../../shared/time-series.ts'
import { CANCELLED, COMPLETED, isUnfinished, SUSPENDED, type RunStatus } from '../../../shared/run-status.ts'
import {
  restoreRunStats,
  type RunFlags,
  type RunListEntry,
  type RunStore,
  type StoredRun
} from '../store/index.ts'
import { CompactRing } from './compact-results.ts'
import type { RestoredRun } from './live-run.ts'
import { claimAlive } from './owner.ts'
import { RECENT_RESULTS } from './run-aggregates.ts'
import {
  extrasOfRecord,
  idleHost,
  NO_SPIDER_EXTRAS,
  SpiderAggregates,
  type SpiderExtras
} from './spider-aggregates.ts'

/**
 * Runs as a store holds them, turned into what the API answers when no engine in this process
 * drives them: History's lines, a reopened run's snapshot, and what a resume continues from.
 * Their status (shared/run-status.ts) follows from the record: ended, driven by another live
 * process (elsewhere), or left by one (interrupted, or suspended when it was paused).
 */

/** The status of a run no engine here drives, from its record and its owner's claim. */
export function storedStatus(
  run: Pick<StoredRun, 'state' | 'paused' | 'owner' | 'heartbeatAt' | 'interruption'>
): RunStatus {
  if (run.state === 'completed') return COMPLETED
  if (run.state === 'cancelled') return CANCELLED
  const owner = run.owner
  if (owner !== null && claimAlive(owner, run.heartbeatAt)) {
    return { kind: 'elsewhere', pid: owner.pid, host: owner.host === hostname() ? null : owner.host }
  }
  if (run.paused) return SUSPENDED
  const reason =
    run.interruption ??
    (owner === null
      ? 'it stopped before it finished'
      : `the process driving it (pid ${owner.pid}) ended before it finished`)
  return { kind: 'interrupted', reason }
}

/** A stored summary as of now: nothing is in flight in a run this process does not drive. */
function restingSummary(summary: RunSummary, status: RunStatus): RunSummary {
  if (status.kind === 'elsewhere' || !isUnfinished(status)) return summary
  return {
    ...summary,
    inFlight: 0,
    waitingRetry: 0,
    queued: Math.max(0, summary.total - summary.done),
    recentPerSecond: 0,
    etaMs: null
  }
}

/** The summary of a run saved before its first progress save (counts all zero). */
function blankSummary(runId: string, total: number, state: RunState, startedAt: number): RunSummary {
  return new RunStats({ runId, total, startedAt }).summary({
    state,
    inFlight: 0,
    queued: total,
    waitingRetry: 0,
    now: startedAt,
    finishedAt: null
  })
}

/**
 * History's line of a stored run. An unfinished run nobody drives may hold rows its last save did
 * not count (its process was killed between the two): its counts come from the rows.
 */
export function storedRunInfo(store: RunStore, entry: RunListEntry): RunInfo {
  const status = storedStatus(entry)
  let summary =
    entry.summary ?? blankSummary(entry.runId, entry.total, entry.state, entry.startedAt ?? entry.createdAt)
  if (status.kind === 'interrupted' || status.kind === 'suspended') {
    const rows = store.summaryFromRows(entry.runId)
    if (rows.done !== summary.done)
      summary = { ...summary, done: rows.done, ok: rows.ok, failed: rows.failed }
  }
  return {
    runId: entry.runId,
    name: entry.name,
    note: entry.note,
    status,
    createdAt: entry.createdAt,
    total: entry.total,
    summary: restingSummary(summary, status)
  }
}

/** History's line for a full stored run. */
export function infoOfStored(store: RunStore, run: StoredRun): RunInfo {
  return storedRunInfo(store, {
    ...run,
    unfinished: run.state !== 'completed' && run.state !== 'cancelled',
    done: run.summary?.done ?? 0,
    ok: run.summary?.ok ?? 0,
    failed: run.summary?.failed ?? 0,
    p50Ms: null,
    p95Ms: null,
    durationMs: null
  })
}

/**
 * The last results by id (a rowid range walk, instant even for a million rows; id order is close to
 * finishing order), oldest finish first: the scatter of a reopened run.
 */
export function recentRows(store: RunStore, runId: string): ResultRow[] {
  const rows: ResultRow[] = []
  for (let offset = 0; offset < RECENT_RESULTS; offset += 1_000) {
    const page = store.queryResults(
      unfilteredQuery(runId, {
        offset,
        limit: Math.min(1_000, RECENT_RESULTS - offset),
        sort: { column: 'id', direction: 'desc' }
      })
    )
    rows.push(...page.rows)
    if (page.rows.length === 0 || offset + page.rows.length >= page.total) break
  }
  return rows.sort((a, b) => a.finishedAt - b.finishedAt || a.id - b.id)
}

function compactOf(rows: readonly ResultRow[]): CompactResults {
  const ring = new CompactRing(Math.max(1, rows.length))
  for (const row of rows) ring.pushRow(row)
  return ring.toCompact()
}

/**
 * Counts for a reopened run: the saved ones when the run finished (saved after its last row), else
 * checked against the rows (an interrupted run may have rows its last save did not count).
 */
function statsOf(store: RunStore, run: StoredRun): RunStats {
  if ((run.state === 'completed' || run.state === 'cancelled') && run.stats !== null) {
    try {
      return RunStats.fromJSON(run.stats)
    } catch {
      // Fall through to the rows.
    }
  }
  return restoreRunStats(store, run)
}

/** The dashboard of a run nothing here drives, rebuilt from the database. */
export function storedSnapshot(store: RunStore, run: StoredRun): RunSnapshot {
  const status = storedStatus(run)
  const stats = statsOf(store, run)
  const summary =
    run.summary && run.summary.done === stats.done
      ? restingSummary(run.summary, status)
      : restingSummary(
          stats.summary({
            state: run.state,
            inFlight: 0,
            queued: Math.max(0, run.total - stats.done),
            waitingRetry: 0,
            now: run.updatedAt,
            finishedAt: run.finishedAt
          }),
          status
        )
  const series = run.series ? TimeBuckets.fromJSON(run.series) : new TimeBuckets({ startedAt: run.createdAt })
  return {
    runId: run.runId,
    name: run.name,
    note: run.note,
    seq: 0,
    status,
    config: run.config,
    settings: run.settings ?? pickLive(run.config),
    summary,
    series: series.toJSON(),
    histogram: stats.latency.toJSON(),
    recent: compactOf(recentRows(store, run.runId)),
    marks: run.marks,
    inFlight: { at: run.updatedAt, inFlight: 0, limit: (run.settings ?? pickLive(run.config)).concurrency },
    ...storedSpiderExtras(run, status)
  }
}

/**
 * A reopened run's decision log, traps, sitemap problems, robots.txt statuses and queue chart, as
 * last saved. Nothing is queued in a run that ended; the safeguard's reason stands only while the
 * run is still paused (for it). Runs saved before these were kept have none.
 */
function storedSpiderExtras(run: StoredRun, status: RunStatus): SpiderExtras {
  const record = run.spider
  if (record === null) return NO_SPIDER_EXTRAS
  return extrasOfRecord(
    {
      ...record,
      frontier: isUnfinished(status) ? record.frontier : { ...record.frontier, queued: 0 },
      safeguardReason: status.kind === 'suspended' || status.kind === 'paused' ? record.safeguardReason : null
    },
    run.config.mode === 'spider'
  )
}

/**
 * Where a resumed spider run picks up: the URLs it has results for (deduped against) and the
 * first id no URL of it has. The saved total can lag the recorded URLs by a save interval after a
 * crash, so the pending URLs' ids count too.
 */
export function spiderResumeOf(
  store: RunStore,
  run: StoredRun,
  pending: readonly { readonly id: number }[]
): { known: string[]; nextId: number; aggregates: SpiderAggregates } {
  const known: string[] = []
  // The same pass rebuilds the hosts view's figures and the per-depth counts from the rows (the
  // record's counts can lag them by a save after a crash); the logs and series come from the record.
  const aggregates = new SpiderAggregates(true, run.config.respectRobots, run.spider)
  aggregates.clearDepthCounts()
  let maxId = run.total - 1
  for (const result of store.iterateResults(run.runId)) {
    known.push(result.url)
    aggregates.noteResult(result)
    if (result.id > maxId) maxId = result.id
  }
  for (const task of pending) if (task.id > maxId) maxId = task.id
  return { known, nextId: maxId + 1, aggregates }
}

/**
 * What a run's settings say that History and reports flag: `robotsIgnored` when a spider run was
 * told not to respect robots.txt (the setup form asked for confirmation; the record keeps it).
 */
export function configFlags(config: RunConfig): RunFlags {
  return config.mode === 'spider' && !config.respectRobots ? { robotsIgnored: true } : {}
}

/**
 * The hosts view of a run nothing drives: results, ok and p50/p95 per host from the stored rows
 * (the busiest hosts). Limits are the user's (adaptive limits lived in the engine), nothing is
 * paused, and robots.txt is said to have been respected or ignored.
 */
export function storedHosts(store: RunStore, run: StoredRun): HostRow[] {
  const userLimit = (run.settings ?? pickLive(run.config)).perHostConcurrency
  const robots =
    run.config.mode !== 'spider' ? 'not used (list run)' : run.config.respectRobots ? 'respected' : 'ignored'
  return store.hostFigures(run.runId, MAX_HOST_ROWS).map((h) => ({
    ...idleHost(h.host, userLimit),
    requests: h.requests,
    ok: h.ok,
    failed: h.requests - h.ok,
    okPercent: h.requests === 0 ? 0 : (h.ok / h.requests) * 100,
    p50Ms: h.p50Ms,
    p95Ms: h.p95Ms,
    robots
  }))
}

/** What a resumed run continues from. */
export function restoredRun(store: RunStore, run: StoredRun): RestoredRun {
  const stats = restoreRunStats(store, run)
  stats.setTotal(run.total)
  return {
    createdAt: run.createdAt,
    savedAt: run.updatedAt,
    stats,
    series: run.series ? TimeBuckets.fromJSON(run.series) : new TimeBuckets({ startedAt: run.createdAt }),
    marks: run.marks,
    recent: recentRows(store, run.runId),
    settings: run.settings,
    note: run.note,
    spider: run.spider
  }
}
