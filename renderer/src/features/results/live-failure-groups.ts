import type { FailureGroup } from '../../../../shared/api.ts'
import { ERROR_ADVICE, type ErrorCode } from '../../../../shared/errors.ts'

/** The run's own failure counts, as the summary (and the Failed card) has them. */
export interface LiveFailureCounts {
  readonly failed: number
  readonly byError: Readonly<Partial<Record<ErrorCode, number>>>
}

/**
 * Failure groups counted from the run's summary, with the fetched groups' advice and sample URLs.
 * The groups come from the result store, which is written in batches and fetched at most twice a
 * second, so during a run they trail the summary by a few results: the panel said "2,208 failed"
 * beside a Failed card of 2,211. Counting from the summary makes the card, the panel and each
 * group one figure; a code the store has not caught up with yet shows with its general advice.
 */
export function withLiveCounts(
  groups: readonly FailureGroup[],
  live: LiveFailureCounts
): { readonly groups: readonly FailureGroup[]; readonly totalFailed: number } {
  const fetched = new Map(groups.map((g) => [g.code, g]))
  const out: FailureGroup[] = []
  for (const [code, count] of Object.entries(live.byError) as [ErrorCode, number | undefined][]) {
    if (count === undefined || count <= 0) continue
    const g = fetched.get(code)
    out.push(g ? { ...g, count } : { code, count, suggestion: ERROR_ADVICE[code], sampleUrls: [] })
  }
  return { groups: out, totalFailed: live.failed }
}
