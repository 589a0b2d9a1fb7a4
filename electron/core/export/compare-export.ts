import type { Writable } from 'node:stream'
import { ApiError, type ExportRequest, type UrlChange, type UrlSide } from '../../../shared/api.ts'
import { assertNever } from '../../../shared/events.ts'
import { csvCell, csvLine, UTF8_BOM } from '../../../shared/result-rows.ts'
import type { RunStore } from '../store/index.ts'
import { ChunkedOutput } from './output.ts'

/**
 * Exporting a comparison of two runs: the changed URLs (the kinds and search the Compare view
 * shows) as CSV or as one JSON document, in the order the view lists them. Changes are streamed
 * from the store (run-compare.ts) and written as the output takes them.
 */

export type CompareExportRequest = Extract<ExportRequest, { kind: 'compare' }>

export const COMPARE_CSV_COLUMNS = [
  'url',
  'change',
  'base_status',
  'base_ok',
  'base_error_code',
  'base_total_ms',
  'other_status',
  'other_ok',
  'other_error_code',
  'other_total_ms',
  'delta_ms'
] as const

/** Other's total time minus base's; null when either is missing (URL in one run, no time recorded). */
export function deltaMs(change: UrlChange): number | null {
  const b = change.base?.totalMs
  const o = change.other?.totalMs
  return b === undefined || o === undefined || !Number.isFinite(b) || !Number.isFinite(o) ? null : o - b
}

const ms = (value: number | null | undefined): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '' : value.toFixed(1)

function sideCells(side: UrlSide | null): string[] {
  if (side === null) return ['', '', '', '']
  return [
    side.status === null ? '' : String(side.status),
    side.ok ? 'true' : 'false',
    csvCell(side.errorCode ?? ''),
    ms(side.totalMs)
  ]
}

/**
 * One CSV line. Text cells (URL, kind, error code) go through the shared escaping, which makes
 * formula-leading text inert; numbers are ours and stay numbers, so a negative delta sorts as one
 * instead of becoming the text "'-19.8".
 */
export function compareCsvLine(change: UrlChange): string {
  const cells = [
    csvCell(change.url),
    csvCell(change.kind),
    ...sideCells(change.base),
    ...sideCells(change.other)
  ]
  cells.push(ms(deltaMs(change)))
  return cells.join(',') + '\r\n'
}

/**
 * Writes the comparison's changes to `out` and returns how many rows it holds. Waits for room
 * whenever `out` asks; does not end `out`. Throws an ApiError NOT_FOUND naming an unknown run.
 */
export async function writeCompareExport(
  store: RunStore,
  request: CompareExportRequest,
  out: Writable
): Promise<{ rows: number }> {
  const { baseRunId, otherRunId, changes, search } = request
  const runs = [baseRunId, otherRunId].map((id) => {
    const run = store.getRun(id)
    if (run === null) throw new ApiError('NOT_FOUND', `There is no run ${id} to compare in ${store.path}.`)
    return { runId: run.runId, name: run.name, createdAt: run.createdAt }
  })
  const output = new ChunkedOutput(out)
  let rows = 0
  switch (request.format) {
    case 'csv':
      await output.push(UTF8_BOM + csvLine(COMPARE_CSV_COLUMNS))
      for (const change of store.iterateChanges(baseRunId, otherRunId, changes, search)) {
        await output.push(compareCsvLine(change))
        rows++
      }
      break
    case 'json': {
      // Counts and the filter first, so a reader knows what the list holds before it ends.
      const comparison = store.compareRuns(baseRunId, otherRunId)
      const head = {
        base: runs[0],
        other: runs[1],
        filter: { changes, search },
        matched: comparison.matched,
        changeCounts: comparison.changeCounts
      }
      await output.push(`${JSON.stringify(head).slice(0, -1)},"changes":[\n`)
      for (const change of store.iterateChanges(baseRunId, otherRunId, changes, search)) {
        await output.push((rows === 0 ? '' : ',\n') + JSON.stringify({ ...change, deltaMs: deltaMs(change) }))
        rows++
      }
      await output.push(`\n],"rows":${rows}}\n`)
      break
    }
    default:
      return assertNever(request.format)
  }
  await output.flush()
  return { rows }
}
