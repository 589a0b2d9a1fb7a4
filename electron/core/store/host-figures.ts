import type { DatabaseSync } from 'node:sqlite'
import { LogHistogram } from '../../../shared/histogram.ts'
import { num, str } from './result-codec.ts'

/**
 * Per-host figures of one stored run, for the hosts view of a run no engine drives: results, ok,
 * and p50/p95 of total time for the busiest `maxHosts` hosts. Two passes over the run's rowid
 * range: counts grouped by host id (the host index), then total_ms into one log histogram per
 * listed host (bounded memory whatever the run's size).
 */

export interface StoredHostFigures {
  readonly host: string
  readonly requests: number
  readonly ok: number
  readonly p50Ms: number | null
  readonly p95Ms: number | null
}

export function hostFigures(db: DatabaseSync, lo: number, hi: number, maxHosts: number): StoredHostFigures[] {
  const counted = db
    .prepare(
      `SELECT r.host AS id, h.name AS name, count(*) AS n, sum(r.ok) AS ok
       FROM results r JOIN hosts h ON h.id = r.host
       WHERE r.rid BETWEEN ? AND ? GROUP BY r.host ORDER BY n DESC, h.name LIMIT ?`
    )
    .all(lo, hi, maxHosts)
    .map((row) => ({ id: num(row, 'id'), name: str(row, 'name'), n: num(row, 'n'), ok: num(row, 'ok') }))
  const histograms = new Map<number, LogHistogram>()
  for (const host of counted) histograms.set(host.id, new LogHistogram())
  // A robots.txt refusal was never requested: no latency (as hasLatency says for live runs).
  const scan = db.prepare(
    `SELECT host, total_ms FROM results WHERE rid BETWEEN ? AND ?
     AND (error_code IS NULL OR error_code != 'ROBOTS_DISALLOWED')`
  )
  scan.setReturnArrays(true)
  for (const row of scan.iterate(lo, hi) as Iterable<unknown[]>) {
    const histogram = histograms.get(row[0] as number)
    const ms = row[1]
    if (histogram && typeof ms === 'number') histogram.record(ms)
  }
  return counted.map((host) => {
    const [p50, p95] = histograms.get(host.id)?.quantiles([0.5, 0.95]) ?? [null, null]
    return { host: host.name, requests: host.n, ok: host.ok, p50Ms: p50 ?? null, p95Ms: p95 ?? null }
  })
}
