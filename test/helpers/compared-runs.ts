import { changeQuerySchema, type ChangeQuery, type ChangeQueryInput } from '../../shared/api.ts'
import { DEFAULT_CONFIG } from '../../shared/config.ts'
import type { ErrorCode } from '../../shared/errors.ts'
import type { RequestResult } from '../../shared/result.ts'
import type { RunStore } from '../../electron/core/store/index.ts'
import { result } from './fixtures.ts'

/**
 * Two stored runs to compare, for the store's comparison tests: a URL's outcome in one run (ok or
 * failed, its status and time), written as a result, and a run stored with just its results.
 */

export interface Outcome {
  readonly ok: boolean
  readonly status: number | null
  readonly code?: ErrorCode
  readonly ms: number
  readonly host?: string
}

export const ok = (ms: number, status = 200): Outcome => ({ ok: true, status, ms })
export const failed = (ms: number, status: number | null, code: ErrorCode = status === null ? 'TIMEOUT_HEADERS' : 'HTTP_STATUS'): Outcome => ({ ok: false, status, code, ms }) // prettier-ignore

/** The result of `url` (id `id`) with outcome `o`, untitled. */
export function outcomeResult(id: number, url: string, o: Outcome): RequestResult {
  return result({
    id,
    url,
    host: o.host,
    status: o.status,
    ok: o.ok,
    code: o.code,
    totalMs: o.ms,
    title: null
  })
}

/** A run named `runId` over its results' URLs, with those results written and nothing else saved. */
export function storeResults(
  store: RunStore,
  runId: string,
  results: readonly RequestResult[],
  createdAt = 1_000
): void {
  store.createRun({
    id: runId,
    name: runId,
    config: DEFAULT_CONFIG,
    urls: results.map((r) => r.url),
    createdAt
  })
  const writer = store.resultWriter(runId)
  for (const r of results) writer.add(r)
  writer.close()
}

/** The changes from run 'base' to run 'other', all on one page unless the input says otherwise. */
export const changeQuery = (input: Partial<ChangeQueryInput> = {}): ChangeQuery =>
  changeQuerySchema.parse({ baseRunId: 'base', otherRunId: 'other', offset: 0, limit: 1_000, ...input })
