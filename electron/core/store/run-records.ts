import type { SQLInputValue } from 'node:sqlite'
import type { SettingsMark, SpiderRecord } from '../../../shared/api.ts'
import { runConfigSchema, type LiveSettings, type RunConfig } from '../../../shared/config.ts'
import type { RunState } from '../../../shared/events.ts'
import type { RunStatsData } from '../../../shared/stats.ts'
import type { RunSummary } from '../../../shared/summary.ts'
import type { TimeBucketsData } from '../../../shared/time-series.ts'
import { num, str, strOrNull, type Row } from './result-codec.ts'

/**
 * A run's record: what History lists, what reopening rebuilds the dashboard from, and what resume
 * continues from (stats and series carry the charts and counts on; paused survives a restart).
 * Aggregates are stored as the shared classes' toJSON() data (RunStats, TimeBuckets); callers
 * revive them with fromJSON().
 */

/** Facts about how a run was made that History and exports show (e.g. robots.txt ignored). */
export type RunFlags = Readonly<Record<string, boolean | number | string | null>>

/**
 * The process that drives a run (see run/owner.ts for how a claim is judged alive). `token` is
 * unique per claim, so a compare-and-set on it tells two claimants apart even when they share a pid.
 */
export interface RunOwner {
  readonly pid: number
  /** os.hostname() of the owner; null for a claim recorded before hosts were (same machine). */
  readonly host: string | null
  readonly token: string
  /** Epoch ms the owner process started (null when unknown): a reused pid starts later. */
  readonly startedAt: number | null
}

export interface NewRun {
  readonly id: string
  readonly name: string
  readonly config: RunConfig
  /** The input URLs; URL i gets result id i. */
  readonly urls: readonly string[]
  readonly createdAt: number
  readonly state?: RunState
  readonly note?: string
  readonly flags?: RunFlags
  /** The process that will drive it (the creator, usually). */
  readonly owner?: RunOwner | null
}

export interface RunPatch {
  readonly state?: RunState
  readonly total?: number
  readonly summary?: RunSummary | null
  readonly stats?: RunStatsData | null
  readonly series?: TimeBucketsData | null
  readonly settings?: LiveSettings | null
  readonly marks?: readonly SettingsMark[]
  readonly spider?: SpiderRecord | null
  readonly flags?: RunFlags
  readonly startedAt?: number | null
  readonly finishedAt?: number | null
  readonly paused?: boolean
  /** Why it stopped going without ending; null clears it. */
  readonly interruption?: string | null
}

export interface StoredRun {
  readonly runId: string
  readonly name: string
  readonly note: string
  readonly config: RunConfig
  readonly state: RunState
  readonly createdAt: number
  readonly startedAt: number | null
  readonly finishedAt: number | null
  readonly updatedAt: number
  readonly total: number
  readonly summary: RunSummary | null
  readonly stats: RunStatsData | null
  readonly series: TimeBucketsData | null
  /** Live settings in effect when last saved (null: the config's). */
  readonly settings: LiveSettings | null
  readonly marks: readonly SettingsMark[]
  /** The decision log, traps, robots.txt statuses and frontier as last saved (null: none, or unreadable). */
  readonly spider: SpiderRecord | null
  readonly flags: RunFlags
  readonly paused: boolean
  readonly owner: RunOwner | null
  /** Epoch ms the owner last said it still drives the run. */
  readonly heartbeatAt: number | null
  readonly interruption: string | null
}

/** One line of History. */
export interface RunListEntry {
  readonly runId: string
  readonly name: string
  readonly note: string
  readonly state: RunState
  readonly paused: boolean
  /**
   * Neither completed nor cancelled. When no engine in this process runs it, it was interrupted
   * (app killed, power lost) and can be resumed.
   */
  readonly unfinished: boolean
  readonly createdAt: number
  readonly startedAt: number | null
  readonly finishedAt: number | null
  /** Input URLs. */
  readonly total: number
  readonly done: number
  readonly ok: number
  readonly failed: number
  readonly p50Ms: number | null
  readonly p95Ms: number | null
  readonly durationMs: number | null
  readonly summary: RunSummary | null
  readonly flags: RunFlags
  readonly owner: RunOwner | null
  readonly heartbeatAt: number | null
  readonly interruption: string | null
  readonly updatedAt: number
}

export const RUN_LIST_COLUMNS =
  'id, name, note, state, paused, created_at, started_at, finished_at, updated_at, total, summary, flags, owner, heartbeat_at, interruption'

const json = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value)

/** A JSON column's value; the caller names its type (the store wrote it from that type). */
/**
 * The saved spider record, or null when there is none or it is not one (a damaged value loses the
 * decision log, not the run: everything else in the record still opens).
 */
function spiderRecordOf(row: Row): SpiderRecord | null {
  let value: unknown
  try {
    value = parsed(row, 'spider')
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const r = value as Partial<Record<keyof SpiderRecord, unknown>>
  const lists = [r.decisions, r.traps, r.notices, r.robots, r.depthCounts, r.frontierSeries]
  if (!lists.every(Array.isArray) || typeof r.trapCount !== 'number') return null
  if (typeof r.frontier !== 'object' || r.frontier === null) return null
  return value as SpiderRecord
}

function parsed(row: Row, key: string): unknown {
  const text = strOrNull(row, key)
  return text === null ? null : JSON.parse(text)
}

const numOrNull = (row: Row, key: string): number | null => (row[key] === null ? null : num(row, key))

export const isFinished = (state: RunState): boolean => state === 'completed' || state === 'cancelled'

/**
 * The INSERT of a new run. The owner columns are named only when there is an owner, so a test (or
 * a tool) can still build a database of an older schema version through this store.
 */
export function runInsert(run: NewRun, now: number): { sql: string; params: SQLInputValue[] } {
  const columns = ['id', 'name', 'note', 'config', 'state', 'created_at', 'updated_at', 'total', 'flags']
  const params: SQLInputValue[] = [
    run.id,
    run.name,
    run.note ?? '',
    JSON.stringify(run.config),
    run.state ?? 'idle',
    run.createdAt,
    now,
    run.urls.length,
    JSON.stringify(run.flags ?? {})
  ]
  if (run.owner) {
    columns.push('owner', 'heartbeat_at')
    params.push(JSON.stringify(run.owner), now)
  }
  return {
    sql: `INSERT INTO runs (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    params
  }
}

/** `SET a = ?, b = ?` and its values for the fields present in the patch. */
export function runPatchSql(patch: RunPatch, now: number): { set: string; params: SQLInputValue[] } {
  const sets: string[] = ['updated_at = ?']
  const params: SQLInputValue[] = [now]
  const put = (column: string, value: SQLInputValue): void => {
    sets.push(`${column} = ?`)
    params.push(value)
  }
  if (patch.state !== undefined) put('state', patch.state)
  if (patch.total !== undefined) put('total', patch.total)
  if (patch.summary !== undefined) put('summary', json(patch.summary))
  if (patch.stats !== undefined) put('stats', json(patch.stats))
  if (patch.series !== undefined) put('series', json(patch.series))
  if (patch.settings !== undefined) put('settings', json(patch.settings))
  if (patch.marks !== undefined) put('marks', JSON.stringify(patch.marks))
  if (patch.spider !== undefined) put('spider', json(patch.spider))
  if (patch.flags !== undefined) put('flags', JSON.stringify(patch.flags))
  if (patch.startedAt !== undefined) put('started_at', patch.startedAt)
  if (patch.finishedAt !== undefined) put('finished_at', patch.finishedAt)
  if (patch.paused !== undefined) put('paused', patch.paused ? 1 : 0)
  if (patch.interruption !== undefined) put('interruption', patch.interruption)
  return { set: sets.join(', '), params }
}

export function decodeRun(row: Row): StoredRun {
  return {
    runId: str(row, 'id'),
    name: str(row, 'name'),
    note: str(row, 'note'),
    // Parsed, not cast: a config saved before a setting existed gets that setting's default.
    config: runConfigSchema.parse(JSON.parse(str(row, 'config'))),
    state: str(row, 'state') as RunState,
    createdAt: num(row, 'created_at'),
    startedAt: numOrNull(row, 'started_at'),
    finishedAt: numOrNull(row, 'finished_at'),
    updatedAt: num(row, 'updated_at'),
    total: num(row, 'total'),
    summary: parsed(row, 'summary') as RunSummary | null,
    stats: parsed(row, 'stats') as RunStatsData | null,
    series: parsed(row, 'series') as TimeBucketsData | null,
    settings: parsed(row, 'settings') as LiveSettings | null,
    marks: (parsed(row, 'marks') as SettingsMark[] | null) ?? [],
    spider: spiderRecordOf(row),
    flags: (parsed(row, 'flags') as RunFlags | null) ?? {},
    paused: num(row, 'paused') === 1,
    ...ownership(row)
  }
}

/** The owner columns; a damaged owner value reads as no owner (the run then shows interrupted). */
function ownership(row: Row): Pick<StoredRun, 'owner' | 'heartbeatAt' | 'interruption'> {
  return {
    owner: ownerOf(row),
    heartbeatAt: numOrNull(row, 'heartbeat_at'),
    interruption: strOrNull(row, 'interruption')
  }
}

export function ownerOf(row: Row): RunOwner | null {
  let value: unknown
  try {
    value = parsed(row, 'owner')
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const o = value as Partial<Record<keyof RunOwner, unknown>>
  if (typeof o.pid !== 'number' || !Number.isInteger(o.pid) || typeof o.token !== 'string') return null
  return {
    pid: o.pid,
    host: typeof o.host === 'string' ? o.host : null,
    token: o.token,
    startedAt: typeof o.startedAt === 'number' ? o.startedAt : null
  }
}

export function decodeListEntry(row: Row): RunListEntry {
  const state = str(row, 'state') as RunState
  const summary = parsed(row, 'summary') as RunSummary | null
  const startedAt = numOrNull(row, 'started_at')
  const finishedAt = numOrNull(row, 'finished_at')
  const elapsed = summary?.elapsedMs ?? null
  return {
    runId: str(row, 'id'),
    name: str(row, 'name'),
    note: str(row, 'note'),
    state,
    paused: num(row, 'paused') === 1,
    unfinished: !isFinished(state),
    createdAt: num(row, 'created_at'),
    startedAt,
    finishedAt,
    total: num(row, 'total'),
    done: summary?.done ?? 0,
    ok: summary?.ok ?? 0,
    failed: summary?.failed ?? 0,
    p50Ms: summary?.latency.p50 ?? null,
    p95Ms: summary?.latency.p95 ?? null,
    durationMs: elapsed ?? (startedAt !== null && finishedAt !== null ? finishedAt - startedAt : null),
    summary,
    flags: (parsed(row, 'flags') as RunFlags | null) ?? {},
    updatedAt: num(row, 'updated_at'),
    ...ownership(row)
  }
}
