import { describe, expect, it } from 'vitest'
import type { FailureGroup } from '../../../../shared/api.ts'
import { ERROR_ADVICE } from '../../../../shared/errors.ts'
import { RunStats } from '../../../../shared/stats.ts'
import { withLiveCounts } from '../../../../renderer/src/features/results/live-failure-groups.ts'
import { result } from '../../../helpers/fixtures.ts'

const T0 = Date.parse('2026-11-22T12:00:00Z')

describe('failure groups counted from the run summary', () => {
  it('agree with the Failed card while failures keep arriving and the store lags behind', () => {
    const stats = new RunStats({ runId: 'r', total: 10_000, startedAt: T0 })
    // The store's groups as last fetched: written in batches, so a few results behind.
    let stored: FailureGroup[] = []
    const codes = ['HTTP_STATUS', 'TIMEOUT_HEADERS', 'RESET'] as const
    for (let i = 0; i < 3_000; i++) {
      const fails = i % 4 === 0
      const code = codes[i % 3]
      stats.recordResult(
        result({ id: i, ok: !fails, code: fails ? code : undefined, finishedAt: T0 + i, totalMs: 10 })
      )
      if (i % 500 === 499) {
        // A fetch at this moment; its counts (and the third code) trail what the summary has.
        const s = stats.summary({ state: 'running', inFlight: 0, queued: 0, waitingRetry: 0, now: T0 + i })
        stored = Object.entries(s.byError)
          .filter(([code]) => code !== 'RESET' || i > 2_000)
          .map(([code, n]) => ({
            code: code as FailureGroup['code'],
            count: Math.max(0, n - 3),
            suggestion: `stored advice for ${code}`,
            sampleUrls: ['https://a.example/x']
          }))
      }
      if (i % 250 === 125) {
        const s = stats.summary({ state: 'running', inFlight: 0, queued: 0, waitingRetry: 0, now: T0 + i })
        const { groups, totalFailed } = withLiveCounts(stored, s)
        // The panel's total is the card's figure, and its groups add up to it.
        expect(totalFailed).toBe(s.failed)
        expect(groups.reduce((n, g) => n + g.count, 0)).toBe(s.failed)
        for (const g of groups) expect(g.count).toBe(s.byError[g.code])
      }
    }
  })

  it('keeps the fetched advice and samples, and gives a code not fetched yet its general advice', () => {
    const fetched: FailureGroup[] = [
      {
        code: 'HTTP_STATUS',
        count: 7,
        suggestion: 'Mostly 503 on a.example',
        sampleUrls: ['https://a.example/1']
      }
    ]
    const { groups, totalFailed } = withLiveCounts(fetched, {
      failed: 12,
      byError: { HTTP_STATUS: 9, RESET: 3 }
    })
    expect(totalFailed).toBe(12)
    expect(groups).toEqual([
      {
        code: 'HTTP_STATUS',
        count: 9,
        suggestion: 'Mostly 503 on a.example',
        sampleUrls: ['https://a.example/1']
      },
      { code: 'RESET', count: 3, suggestion: ERROR_ADVICE.RESET, sampleUrls: [] }
    ])
  })
})
