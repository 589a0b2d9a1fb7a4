import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import {
  MAX_DECISIONS_KEPT,
  type EventBatch,
  type FrontierSample,
  type RunNotice,
  type RunSnapshot,
  type SpiderState,
  type TrapReport
} from '../../../shared/api.ts'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'
import type { HostDecision, RunState } from '../../../shared/events.ts'
import { drivenStatus } from '../../../shared/run-status.ts'
import type { RunSummary } from '../../../shared/summary.ts'
import { depthBars, queueRows } from '../../../renderer/src/features/charts/chart-data.ts'
import { markLines } from '../../../renderer/src/features/charts/chart-marks.ts'
import { formatPercent, formatUntil, robotsTone } from '../../../renderer/src/features/hosts/hosts-format.ts'
import { logEntries } from '../../../renderer/src/features/spider/spider-format.ts'
import { Ingest } from '../../../renderer/src/stores/ingest.ts'
import { deriveMetrics, useMetricsStore } from '../../../renderer/src/stores/metrics-store.ts'
import { FRONTIER_CAPACITY, getRunData, setRunData } from '../../../renderer/src/stores/run-data.ts'
import { initialRunState, useRunStore } from '../../../renderer/src/stores/run-store.ts'
import { FakeIngestHost } from './fake-ingest-host.ts'
import { eventBatch, runSnapshot, runSummary } from '../../helpers/fixtures.ts'

const T0 = 1_700_000_000_000

/** A spider run of 100 URLs that has not finished any yet. */
const summary = (state: RunState): RunSummary => runSummary({ runId: 's1', state, total: 100, startedAt: T0 })

function spiderState(queued: number, discovered: number, depthCounts: number[]): SpiderState {
  return {
    frontier: {
      queued,
      discovered,
      deduped: 0,
      outOfScope: 0,
      trapped: 0,
      overLimit: 0,
      nofollow: 0,
      maxDepthSeen: depthCounts.length - 1
    },
    depthCounts,
    trapCount: 0
  }
}

const decision = (at: number, host: string, from: number, to: number): HostDecision => ({
  at,
  host,
  from,
  to,
  kind: to < from ? 'decrease' : 'increase',
  reason: `${host}: ${String(from)} → ${String(to)} ${to < from ? 'after three 429s in 10 s' : 'healthy for 20 s'}`
})

const trap = (at: number, url: string): TrapReport => ({
  at,
  url,
  code: 'REPEATING_PATH',
  message: 'A path segment repeats',
  foundOn: 0
})

/** A spider run on the fake host: numbered batches carrying spider news. */
class SpiderRun {
  readonly runId = 's1'
  seq = 0
  state: RunState = 'running'
  readonly decisions: HostDecision[] = []
  readonly traps: TrapReport[] = []
  readonly notices: RunNotice[] = []
  readonly frontier: FrontierSample[] = []
  spider: SpiderState = spiderState(1, 1, [])
  safeguardReason: string | null = null

  batch(
    opts: {
      at?: number
      decisions?: HostDecision[]
      traps?: TrapReport[]
      notices?: RunNotice[]
      spider?: SpiderState
      safeguard?: string
      state?: RunState
    } = {}
  ): EventBatch {
    const fromSeq = this.seq + 1
    this.seq += 1 + (opts.decisions?.length ?? 0) + (opts.traps?.length ?? 0) + (opts.notices?.length ?? 0)
    if (opts.state) this.state = opts.state
    if (opts.spider) this.spider = opts.spider
    const at = opts.at ?? T0 + this.seq * 100
    this.decisions.push(...(opts.decisions ?? []))
    this.traps.push(...(opts.traps ?? []))
    this.notices.push(...(opts.notices ?? []))
    this.frontier.push({
      at,
      queued: this.spider.frontier.queued,
      discovered: this.spider.frontier.discovered
    })
    this.safeguardReason = opts.safeguard ?? (this.state === 'paused' ? this.safeguardReason : null)
    return eventBatch({
      runId: this.runId,
      fromSeq,
      toSeq: this.seq,
      status: drivenStatus(this.state),
      settings: { ...DEFAULT_CONFIG },
      summary: summary(this.state),
      inFlight: { at, inFlight: 2, limit: 8 },
      decisions: opts.decisions ?? [],
      traps: opts.traps ?? [],
      notices: opts.notices ?? [],
      safeguardReason: opts.safeguard ?? null,
      spider: this.spider
    })
  }

  snapshot(): RunSnapshot {
    return runSnapshot({
      runId: 's1',
      name: 'Spider',
      seq: this.seq,
      status: drivenStatus(this.state),
      config: { ...DEFAULT_CONFIG, mode: 'spider' },
      settings: { ...DEFAULT_CONFIG },
      summary: summary(this.state),
      inFlight: { at: T0, inFlight: 0, limit: 8 },
      decisions: this.decisions.slice(),
      traps: this.traps.slice(),
      notices: this.notices.slice(),
      safeguardReason: this.state === 'paused' ? this.safeguardReason : null,
      spider: this.spider,
      frontierSeries: this.frontier.slice()
    })
  }
}

describe('spider data in the stores', () => {
  let api: FakeIngestHost
  let run: SpiderRun
  let ingest: Ingest
  let now = T0

  beforeEach(() => {
    useRunStore.setState(initialRunState)
    setRunData(null)
    deriveMetrics()
    api = new FakeIngestHost()
    run = api.add(new SpiderRun())
    ingest = new Ingest(api)
    now = T0 + 60_000
  })
  afterEach(() => {
    ingest.dispose()
  })

  test('decisions and traps from the snapshot and later batches: each once, newest first, marked', async () => {
    run.batch({ decisions: [decision(T0 + 1_000, 'a.test', 8, 4)] })
    await ingest.open()
    const later = run.batch({
      decisions: [decision(T0 + 5_000, 'b.test', 8, 4), decision(T0 + 6_000, 'a.test', 4, 5)],
      traps: [trap(T0 + 5_500, 'http://a.test/x/x/x/x')]
    })
    api.deliver(later)
    api.deliver(later) // delivered twice: counted once
    deriveMetrics((now += 1_000))
    const m = useMetricsStore.getState()
    expect(m.decisions.map((d) => `${d.host} ${String(d.from)}→${String(d.to)}`)).toEqual([
      'a.test 4→5',
      'b.test 8→4',
      'a.test 8→4'
    ])
    expect(m.traps.map((t) => t.url)).toEqual(['http://a.test/x/x/x/x'])
    // The time charts get one dotted mark per decision, labelled host and change.
    expect(markLines(m.decisionMarks, T0)).toEqual([
      { key: expect.any(String) as string, x: 1, label: 'a.test 8 → 4', kind: 'decision' },
      { key: expect.any(String) as string, x: 5, label: 'b.test 8 → 4', kind: 'decision' },
      { key: expect.any(String) as string, x: 6, label: 'a.test 4 → 5', kind: 'decision' }
    ])
    // The log merges both, newest first, in the decision's own words.
    expect(logEntries(m.decisions, m.traps, [], 10).map((e) => [e.tag, e.text, e.url])).toEqual([
      ['raised', 'a.test: 4 → 5 healthy for 20 s', undefined],
      ['trap', 'A path segment repeats', 'http://a.test/x/x/x/x'],
      ['lowered', 'b.test: 8 → 4 after three 429s in 10 s', undefined],
      ['lowered', 'a.test: 8 → 4 after three 429s in 10 s', undefined]
    ])
    expect(logEntries(m.decisions, m.traps, [], 2)).toHaveLength(2)
  })

  test('sitemap problems join the log from the snapshot and from batches, newest first, once each', async () => {
    const notice = (at: number, message: string): RunNotice => ({ at, source: 'sitemap', message })
    run.batch({ notices: [notice(T0 + 100, 'http://a.test/sitemap.xml: HTTP 404')] })
    await ingest.open()
    api.deliver(
      run.batch({
        traps: [
          { at: T0 + 200, url: 'http://a.test/x/x/x', code: 'REPEATING_PATH', foundOn: 0, message: 'repeats' }
        ]
      })
    )
    api.deliver(run.batch({ notices: [notice(T0 + 300, 'http://a.test/news.xml.gz: not gzip')] }))
    deriveMetrics((now += 1_000))
    const m = useMetricsStore.getState()
    expect(m.notices.map((n) => n.message)).toEqual([
      'http://a.test/news.xml.gz: not gzip',
      'http://a.test/sitemap.xml: HTTP 404'
    ])
    expect(logEntries(m.decisions, m.traps, m.notices, 10).map((e) => [e.tag, e.text])).toEqual([
      ['sitemap', 'http://a.test/news.xml.gz: not gzip'],
      ['trap', 'repeats'],
      ['sitemap', 'http://a.test/sitemap.xml: HTTP 404']
    ])
    // A reload gets the same log back from the snapshot, without doubling anything.
    await ingest.resync()
    deriveMetrics((now += 1_000))
    expect(useMetricsStore.getState().notices).toHaveLength(2)
  })

  test('the decision log keeps the latest MAX_DECISIONS_KEPT; an unchanged log keeps its identity', async () => {
    await ingest.open()
    const many = Array.from({ length: MAX_DECISIONS_KEPT + 20 }, (_, i) =>
      decision(T0 + i, 'a.test', (i % 8) + 2, (i % 8) + 1)
    )
    api.deliver(run.batch({ decisions: many }))
    deriveMetrics((now += 1_000))
    const first = useMetricsStore.getState()
    expect(first.decisions).toHaveLength(MAX_DECISIONS_KEPT)
    expect(first.decisions[0]?.at).toBe(T0 + MAX_DECISIONS_KEPT + 19)
    expect(first.decisionMarks).toHaveLength(MAX_DECISIONS_KEPT)
    // A batch with no decisions (only the frontier moved) leaves the log's array as it was.
    api.deliver(run.batch({ spider: spiderState(5, 9, [1, 3]) }))
    deriveMetrics((now += 1_000))
    const second = useMetricsStore.getState()
    expect(second.decisions).toBe(first.decisions)
    expect(second.depthCounts).toEqual([1, 3])
    expect(second.frontier.at(-1)).toMatchObject({ queued: 5, discovered: 9 })
  })

  test('queue size over time: snapshot series, then one sample per batch that moved, bounded', async () => {
    run.batch({ spider: spiderState(3, 4, [1]) })
    run.batch({ spider: spiderState(7, 12, [1, 2]) })
    await ingest.open()
    api.deliver(run.batch({ spider: spiderState(7, 12, [1, 2]) })) // nothing moved: no new sample
    api.deliver(run.batch({ spider: spiderState(2, 15, [1, 4, 1]) }))
    deriveMetrics((now += 1_000))
    const m = useMetricsStore.getState()
    expect(m.frontier.map((f) => f.queued)).toEqual([3, 7, 2])
    expect(m.depthCounts).toEqual([1, 4, 1])
    expect(useRunStore.getState().spider?.frontier.discovered).toBe(15)

    const data = getRunData()
    if (!data) throw new Error('no run data')
    for (let i = 0; i < FRONTIER_CAPACITY + 10; i++) {
      data.applySpider(run.batch({ spider: spiderState(i, i + 20, [1]) }), true)
    }
    expect(data.frontier.length).toBeLessThanOrEqual(FRONTIER_CAPACITY)
    expect(data.frontier.at(-1)?.queued).toBe(FRONTIER_CAPACITY + 9)
    // The chart gets at most its budget of rows, in seconds since the start.
    const rows = queueRows(data.frontier, T0, 500)
    expect(rows.length).toBeLessThanOrEqual(500)
    expect(rows.at(-1)?.queued).toBe(FRONTIER_CAPACITY + 9)
  })

  test("the safeguard's reason shows while the run stays paused for it, and goes when it resumes", async () => {
    await ingest.open()
    expect(useRunStore.getState().safeguardReason).toBeNull()
    const reason = 'Paused: 62% of the last 200 requests failed (threshold 50%); most were CONNECT_REFUSED'
    api.deliver(run.batch({ safeguard: reason, state: 'paused' }))
    expect(useRunStore.getState()).toMatchObject({ status: { kind: 'paused' }, safeguardReason: reason })
    api.deliver(run.batch({ state: 'paused' }))
    expect(useRunStore.getState().safeguardReason).toBe(reason)
    // A reload while paused gets it back from the snapshot.
    await ingest.resync()
    expect(useRunStore.getState().safeguardReason).toBe(reason)
    api.deliver(run.batch({ state: 'running' }))
    expect(useRunStore.getState().safeguardReason).toBeNull()
    // Paused by hand later: no safeguard banner.
    api.deliver(run.batch({ state: 'paused' }))
    expect(useRunStore.getState().safeguardReason).toBeNull()
  })
})

describe('spider panels: words and bars', () => {
  test.each([
    [null, null],
    [T0 - 1, null],
    [T0, null],
    [T0 + 400, 'in 1 s'],
    [T0 + 12_000, 'in 12 s'],
    [T0 + 120_000, 'in 2 min'],
    [T0 + 185_000, 'in 3 min 5 s'],
    [T0 + 3_720_000, 'in 1 h 02 min']
  ])('paused until %s → %s', (until, text) => {
    expect(formatUntil(until, T0)).toBe(text)
  })

  test('ok share, robots tone and depth bars', () => {
    expect(formatPercent(0, 0)).toBe('–')
    expect(formatPercent(100, 5)).toBe('100%')
    expect(formatPercent(98.456, 200)).toBe('98.5%')
    expect(robotsTone('ignored')).toBe('warn')
    expect(robotsTone('unreachable: all disallowed for 10 min')).toBe('warn')
    expect(robotsTone('not fetched yet')).toBe('muted')
    expect(robotsTone('rules (2 groups), Crawl-delay 1 s')).toBe('ok')
    // The queue's last values hold to the end of the time axis (a paused or stalled crawl shows flat).
    expect(queueRows([{ at: T0 + 1_000, queued: 120, discovered: 120 }], T0, 100, 5)).toEqual([
      { x: 1, queued: 120, discovered: 120 },
      { x: 5, queued: 120, discovered: 120 }
    ])
    expect(queueRows([{ at: T0 + 1_000, queued: 1, discovered: 1 }], T0, 100, 0.5)).toHaveLength(1)
    expect(depthBars([])).toEqual([])
    expect(depthBars([1, 0, 3, 0, 0])).toEqual([
      { depth: '0', count: 1 },
      { depth: '1', count: 0 },
      { depth: '2', count: 3 }
    ])
  })
})
