import { beforeEach, describe, expect, test } from 'vitest'
import { Ingest } from '../../../renderer/src/stores/ingest.ts'
import {
  deriveMetrics,
  MAX_SERIES_POINTS,
  useMetricsStore
} from '../../../renderer/src/stores/metrics-store.ts'
import { setRunData } from '../../../renderer/src/stores/run-data.ts'
import { initialRunState, useRunStore } from '../../../renderer/src/stores/run-store.ts'
import { FakeIngestHost, T0 } from './fake-ingest-host.ts'

/** The charts' figures derived from the run data: capped series, stable arrays, throttled updates. */

describe('metrics derivation', () => {
  beforeEach(() => {
    useRunStore.setState(initialRunState)
    setRunData(null)
  })

  test('series are capped, arrays keep identity when nothing changed, revision is throttled', async () => {
    const api = new FakeIngestHost()
    const run = api.run('long')
    // Two hours of one result a second: more one-second buckets than a chart may show.
    for (let s = 0; s < 7_200; s += 1) run.batch(1, { at: T0 + s * 1000 })
    const ingest = new Ingest(api)
    await ingest.open()
    const now = T0 + 7_200_000
    deriveMetrics(now)
    const first = useMetricsStore.getState()
    expect(first.runId).toBe('long')
    expect(first.series.length).toBeGreaterThan(0)
    expect(first.series.length).toBeLessThanOrEqual(MAX_SERIES_POINTS)
    expect(first.buckets.length).toBeGreaterThan(0)
    const revision = first.resultsRevision

    // Nothing new, 100 ms later: no update at all.
    deriveMetrics(now + 100)
    expect(useMetricsStore.getState()).toBe(first)

    // Results arrive at 10 Hz for a second: the revision moves at most twice.
    for (let k = 1; k <= 10; k++) {
      api.deliver(run.batch(3, { at: now + k * 100 }))
      deriveMetrics(now + 100 + k * 100)
    }
    const bumps = useMetricsStore.getState().resultsRevision - revision
    expect(bumps).toBeGreaterThanOrEqual(1)
    expect(bumps).toBeLessThanOrEqual(2)
    ingest.dispose()
  })
})
