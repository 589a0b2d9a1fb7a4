import { describe, expect, it } from 'vitest'
import {
  MAX_DECISIONS_KEPT,
  MAX_FRONTIER_SAMPLES,
  MAX_HOST_ROWS,
  MAX_NOTICES_KEPT,
  MAX_TRAPS_KEPT
} from '../../../shared/api.ts'
import type { EngineEvent, FrontierCounts } from '../../../shared/events.ts'
import type { RequestResult } from '../../../shared/result.ts'
import { idleHost, pathOf, SpiderAggregates } from '../../../electron/core/run/spider-aggregates.ts'
import { result as fixtureResult, type ResultSpec } from '../../helpers/fixtures.ts'

/** The spider aggregates a session keeps: bounded logs, per-depth counts, the hosts view, paths. */

let seq = 0
const at = (ms: number) => ({ seq: ++seq, at: ms })

/** Page `id` of `host`, fetched ok in 10 ms unless the spec says otherwise. */
const result = (id: number, host: string, spec: Omit<ResultSpec, 'id'> = {}): RequestResult =>
  fixtureResult({ id, url: `https://${host}/${id}`, host, ...spec })

const finished = (r: RequestResult): EngineEvent => ({ kind: 'request-finished', result: r, ...at(1) })
const FRONTIER: FrontierCounts = {
  queued: 3,
  discovered: 9,
  deduped: 1,
  outOfScope: 2,
  trapped: 0,
  overLimit: 0,
  nofollow: 1,
  maxDepthSeen: 2
}

describe('SpiderAggregates', () => {
  it('counts results per depth and keeps the latest frontier; null spider state in list mode', () => {
    const agg = new SpiderAggregates(true, true)
    for (const [id, depth] of [
      [0, 0],
      [1, 1],
      [2, 1],
      [3, 3]
    ] as const)
      agg.ingest(finished(result(id, 'a.test', { depth })))
    agg.ingest({ kind: 'url-discovered', foundOn: 0, added: 2, urls: [], frontier: FRONTIER, ...at(5) })
    expect(agg.spiderState()).toEqual({ frontier: FRONTIER, depthCounts: [1, 2, 0, 1], trapCount: 0 })
    expect(agg.spiderState(0)?.frontier.queued).toBe(0)
    expect(new SpiderAggregates(false, true).spiderState()).toBeNull()
  })

  it('keeps the latest decisions and traps, and a bounded queue series', () => {
    const agg = new SpiderAggregates(true, true)
    for (let i = 0; i < MAX_DECISIONS_KEPT + 10; i++) {
      agg.ingest({
        kind: 'host-decision',
        decision: { host: 'a.test', from: 2, to: 1, at: i, kind: 'decrease', reason: `#${i}` },
        ...at(i)
      })
    }
    for (let i = 0; i < MAX_TRAPS_KEPT + 5; i++) {
      agg.ingest({
        kind: 'trap-detected',
        url: `https://a.test/${i}`,
        code: 'REPEATING_PATH',
        message: 'm',
        foundOn: 0,
        ...at(i)
      })
    }
    for (let i = 0; i < MAX_FRONTIER_SAMPLES * 3; i++) {
      agg.ingest({
        kind: 'url-discovered',
        foundOn: null,
        added: 0,
        urls: [],
        frontier: { ...FRONTIER, queued: i },
        ...at(i * 1_000)
      })
    }
    const extras = agg.snapshotExtras()
    expect(extras.decisions).toHaveLength(MAX_DECISIONS_KEPT)
    expect(extras.decisions.at(-1)?.reason).toBe(`#${MAX_DECISIONS_KEPT + 9}`)
    expect(extras.traps).toHaveLength(MAX_TRAPS_KEPT)
    expect(extras.spider?.trapCount).toBe(MAX_TRAPS_KEPT + 5)
    expect(extras.frontierSeries.length).toBeLessThanOrEqual(MAX_FRONTIER_SAMPLES)
    expect(extras.frontierSeries.at(-1)?.queued).toBe(MAX_FRONTIER_SAMPLES * 3 - 1)
  })

  it('samples the queue as it drains, not only when links are found; a list run keeps none', () => {
    const agg = new SpiderAggregates(true, true)
    agg.ingest({ kind: 'url-discovered', foundOn: 0, added: 9, urls: [], frontier: FRONTIER, ...at(1_000) })
    agg.noteQueued(2_000, 2)
    agg.noteQueued(2_100, 2) // unchanged: no sample
    agg.noteQueued(3_000, 0)
    expect(agg.snapshotExtras().frontierSeries.map((p) => [p.at, p.queued])).toEqual([
      [1_000, 3],
      [2_000, 2],
      [3_000, 0]
    ])
    expect(agg.spiderState()?.frontier.queued).toBe(0)
    const list = new SpiderAggregates(false, true)
    list.noteQueued(1_000, 5)
    expect(list.snapshotExtras().frontierSeries).toEqual([])
  })

  it('keeps the latest MAX_NOTICES_KEPT sitemap problems, oldest first', () => {
    const agg = new SpiderAggregates(true, true)
    for (let i = 0; i < MAX_NOTICES_KEPT + 5; i++)
      agg.ingest({ kind: 'sitemap-problem', message: `sitemap ${i}: HTTP 404.`, ...at(i) })
    const notices = agg.snapshotExtras().notices
    expect(notices).toHaveLength(MAX_NOTICES_KEPT)
    expect(notices[0]).toEqual({ at: 5, source: 'sitemap', message: 'sitemap 5: HTTP 404.' })
    expect(notices.at(-1)?.message).toBe(`sitemap ${MAX_NOTICES_KEPT + 4}: HTTP 404.`)
  })

  it('keeps the safeguard’s reason until the run runs again', () => {
    const agg = new SpiderAggregates(true, true)
    agg.ingest({ kind: 'safeguard-tripped', reason: 'Paused: 60% failed', ...at(1) })
    agg.ingest({ kind: 'run-state-changed', state: 'paused', ...at(2) })
    expect(agg.snapshotExtras().safeguardReason).toBe('Paused: 60% failed')
    agg.ingest({ kind: 'run-state-changed', state: 'running', ...at(3) })
    expect(agg.snapshotExtras().safeguardReason).toBeNull()
  })

  it('lists the busiest hosts with ok %, percentiles, live limits and robots status', () => {
    const agg = new SpiderAggregates(true, true)
    for (let i = 0; i < 10; i++)
      agg.ingest(finished(result(i, 'a.test', { ok: i !== 0, totalMs: (i + 1) * 10 })))
    agg.ingest(finished(result(10, 'b.test:8080')))
    agg.ingest({
      kind: 'robots-status',
      origin: 'https://a.test',
      label: 'rules (1 group)',
      crawlDelayMs: 2_000,
      ...at(1)
    })
    const rows = agg.hostRows(
      [
        {
          ...idleHost('a.test', 6),
          currentLimit: 3,
          pausedUntil: 99,
          pauseReason: 'retry-after',
          crawlDelayMs: 2_000
        },
        { ...idleHost('c.test', 6), inFlight: 2, queued: 5 }
      ],
      6
    )
    expect(rows.map((r) => [r.host, r.requests, r.ok, r.failed, r.robots])).toEqual([
      ['a.test', 10, 9, 1, 'rules (1 group)'],
      ['b.test:8080', 1, 1, 0, 'not fetched'],
      ['c.test', 0, 0, 0, 'not fetched']
    ])
    expect(rows[0]).toMatchObject({
      okPercent: 90,
      currentLimit: 3,
      userLimit: 6,
      pausedUntil: 99,
      pauseReason: 'retry-after',
      crawlDelayMs: 2_000
    })
    expect(rows[2]).toMatchObject({ inFlight: 2, queued: 5, pauseReason: null })
    expect(rows[0]?.p50Ms).toBeCloseTo(50, -1)
    expect(rows[0]?.p95Ms).toBeCloseTo(90, -1)
    expect(new SpiderAggregates(true, false).hostRows([idleHost('a.test', 1)], 1)[0]?.robots).toBe('ignored')
  })

  it('lists at most MAX_HOST_ROWS hosts, the busiest', () => {
    const agg = new SpiderAggregates(false, true)
    let id = 0
    for (let h = 0; h < MAX_HOST_ROWS + 100; h++) {
      for (let k = 0; k < (h === MAX_HOST_ROWS + 99 ? 5 : 1); k++)
        agg.ingest(finished(result(id++, `h${h}.test`)))
    }
    const rows = agg.hostRows([], 6)
    expect(rows).toHaveLength(MAX_HOST_ROWS)
    expect(rows[0]).toMatchObject({ host: `h${MAX_HOST_ROWS + 99}.test`, requests: 5 })
  })

  it('pathOf follows foundOn back to the seed, and stops at a cycle or a gap', () => {
    const results = new Map([
      [0, result(0, 'a.test')],
      [4, result(4, 'a.test', { depth: 1, foundOn: 0 })],
      [9, result(9, 'a.test', { depth: 2, foundOn: 4 })],
      [7, result(7, 'a.test', { depth: 1, foundOn: 8 })],
      [8, result(8, 'a.test', { depth: 1, foundOn: 7 })]
    ])
    const get = (id: number) => results.get(id) ?? null
    expect(pathOf(9, get).map((s) => [s.id, s.depth])).toEqual([
      [0, 0],
      [4, 1],
      [9, 2]
    ])
    expect(pathOf(7, get).map((s) => s.id)).toEqual([8, 7])
    expect(pathOf(42, get)).toEqual([])
  })
})
