import { ApiError } from '../../shared/api.ts'
import type { EventBatch, FailureGroup, Preferences, ResultRow, RunSnapshot } from '../../shared/api.ts'
import { DEFAULT_CONFIG, LIVE_SETTING_KEYS, type LiveSettings } from '../../shared/config.ts'
import type { ErrorCode } from '../../shared/errors.ts'
import type { RunState } from '../../shared/events.ts'
import { drivenStatus } from '../../shared/run-status.ts'
import type { RequestResult } from '../../shared/result.ts'
import { RunStats } from '../../shared/stats.ts'
import { TimeBuckets } from '../../shared/time-series.ts'
import type { CrawlerBackend } from '../../electron/core/api/backend.ts'
import { CompactRing, emptyCompact, pushCompact } from '../../electron/core/run/compact-results.ts'
import { eventBatch, result as fixtureResult, resultRow, runInfo, runSnapshot } from '../helpers/fixtures.ts'

/**
 * A backend that produces a steady, realistic event stream at a chosen rate without doing any
 * network work, so the UI benchmark measures the renderer's ingest and drawing, not the engine.
 * Results are synthetic (log-normal latencies, a mix of statuses and error codes).
 */

const RUN_ID = 'bench-run'
const CODES: readonly ErrorCode[] = ['HTTP_STATUS', 'TIMEOUT_HEADERS', 'RESET', 'TIMEOUT_CONNECT']

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface SyntheticOptions {
  readonly perSecond: number
  readonly durationMs: number
  readonly batchIntervalMs?: number
}

export function createSyntheticBackend(options: SyntheticOptions): CrawlerBackend & { start(): void } {
  const interval = options.batchIntervalMs ?? 100
  const perBatch = Math.round((options.perSecond * interval) / 1000)
  const total = Math.round((options.perSecond * options.durationMs) / 1000)
  const random = mulberry32(7)
  const settings = Object.fromEntries(
    LIVE_SETTING_KEYS.map((k) => [k, DEFAULT_CONFIG[k]])
  ) as unknown as LiveSettings
  const listeners = new Set<(batch: EventBatch) => void>()
  let startedAt = Date.now()
  let stats = new RunStats({ runId: RUN_ID, total, startedAt })
  let buckets = new TimeBuckets({ startedAt })
  const recent = new CompactRing(2_000)
  let seq = 0
  let done = 0
  let timer: NodeJS.Timeout | null = null
  let state: RunState = 'idle'
  let urlDraft = ''
  let preferences: Preferences = {
    config: {},
    presetId: null,
    demoOffered: true,
    theme: 'system'
  }

  const result = (id: number, now: number): RequestResult => {
    const ms = Math.exp(
      Math.log(80) + 0.8 * Math.sqrt(-2 * Math.log(random() || 1e-9)) * Math.cos(2 * Math.PI * random())
    )
    const roll = random()
    const failed = roll < 0.08
    const status = failed ? (roll < 0.05 ? 503 : null) : 200
    const code = failed
      ? status === 503
        ? 'HTTP_STATUS'
        : (CODES[1 + Math.floor(random() * 3)] ?? 'RESET')
      : null
    return fixtureResult({
      id,
      url: `https://site-${id % 50}.example/page/${id}`,
      status,
      code,
      message: code ?? undefined,
      retryable: true,
      totalMs: ms,
      timings: { ttfb: ms * 0.8, download: ms * 0.2 },
      bytes: 20_000,
      contentType: 'text/html',
      title: `Page ${id}`,
      startedAt: now - ms,
      finishedAt: now
    })
  }

  const summary = (now: number) =>
    stats.summary({
      state,
      inFlight: state === 'running' ? 50 : 0,
      queued: total - done,
      waitingRetry: 0,
      now
    })

  const tick = () => {
    const now = Date.now()
    const compact = emptyCompact()
    const count = Math.min(perBatch, total - done)
    for (let i = 0; i < count; i += 1) {
      const r = result(done, now)
      done += 1
      stats.recordResult(r)
      buckets.record(r)
      recent.push(r)
      pushCompact(compact, r)
    }
    buckets.noteInFlight(now, 50, settings.concurrency)
    if (done >= total) {
      state = 'completed'
      if (timer) clearInterval(timer)
      timer = null
    }
    const fromSeq = seq + 1
    seq += count * 2 + 1
    const batch = eventBatch({
      runId: RUN_ID,
      fromSeq,
      toSeq: seq,
      results: compact,
      status: drivenStatus(state),
      settings,
      summary: summary(now),
      inFlight: { at: now, inFlight: state === 'running' ? 50 : 0, limit: settings.concurrency }
    })
    for (const listener of listeners) listener(batch)
  }

  const row = (id: number): ResultRow => resultRow(result(id, Date.now()))

  const snapshot = (): RunSnapshot =>
    runSnapshot({
      runId: RUN_ID,
      name: 'UI benchmark',
      seq,
      status: drivenStatus(state),
      settings,
      summary: summary(Date.now()),
      series: buckets.toJSON(),
      histogram: stats.latency.toJSON(),
      recent: recent.toCompact(),
      inFlight: { at: Date.now(), inFlight: 50, limit: settings.concurrency }
    })

  const groups = (): FailureGroup[] =>
    Object.entries(summary(Date.now()).byError).map(([code, count]) => ({
      code: code as ErrorCode,
      count: count,
      suggestion: 'Synthetic failures for the benchmark.',
      sampleUrls: []
    }))

  return {
    start() {
      startedAt = Date.now()
      stats = new RunStats({ runId: RUN_ID, total, startedAt })
      buckets = new TimeBuckets({ startedAt })
      state = 'running'
      timer = setInterval(tick, interval)
    },
    getAppInfo: () => Promise.resolve({ version: 'bench', transport: 'browser', platform: process.platform }),
    startDemoTarget: () => Promise.reject(new Error('not in the benchmark')),
    startRun: () => Promise.reject(new Error('not in the benchmark')),
    pauseRun: () => Promise.resolve(),
    resumeRun: () => Promise.resolve(),
    stopRun: () => Promise.resolve(),
    updateSettings: () => Promise.resolve(settings),
    getSnapshot: () => Promise.resolve(state === 'idle' ? null : snapshot()),
    queryResults: (q) =>
      Promise.resolve({
        total: done,
        offset: q.offset,
        rows: Array.from({ length: Math.max(0, Math.min(q.limit, done - q.offset)) }, (_, i) =>
          row(q.offset + i)
        )
      }),
    getResultFacets: () => Promise.resolve({ statuses: [], errorCodes: [], hosts: [], depths: [] }),
    getResult: (_runId, id) => Promise.resolve(result(id, Date.now())),
    getFailureGroups: () => Promise.resolve(groups()),
    // A list-mode run: no spider hosts view or found-via paths to show.
    getHosts: () => Promise.resolve([]),
    getPath: () => Promise.resolve([]),
    listRuns: () =>
      Promise.resolve([
        runInfo({
          runId: RUN_ID,
          name: 'UI benchmark',
          status: drivenStatus(state),
          createdAt: startedAt,
          total,
          summary: summary(Date.now())
        })
      ]),
    // History, exports and comparisons are not part of what this benchmark drives.
    renameRun: () => unsupported(),
    setRunNote: () => unsupported(),
    deleteRun: () => unsupported(),
    rerun: () => unsupported(),
    exportRun: () => unsupported(),
    compareRuns: () => unsupported(),
    queryChanges: () => unsupported(),
    getStoreStatus: () => Promise.resolve({ kind: 'ok', path: ':memory:' }),
    startFreshStore: () => Promise.resolve({ kind: 'ok', path: ':memory:' }),
    getPreferences: () => Promise.resolve(preferences),
    savePreferences: (p) => {
      preferences = p
      return Promise.resolve()
    },
    getUrlDraft: () => Promise.resolve(urlDraft),
    saveUrlDraft: (text) => {
      urlDraft = text
      return Promise.resolve()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      if (timer) clearInterval(timer)
      return Promise.resolve()
    }
  }
}

function unsupported(): Promise<never> {
  return Promise.reject(new ApiError('CONFLICT', 'Not available in the UI benchmark backend.'))
}
