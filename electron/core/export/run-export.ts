import type { Writable } from 'node:stream'
import { EXPORT_FORMAT_SPECS, type ExportFormat } from '../../../shared/export-formats.ts'
import type { RunStore, StoredRun } from '../store/index.ts'
import { writeHtmlReport } from './html-report.ts'
import { ChunkedOutput } from './output.ts'
import { resultPiece, resultsHead, resultsTail, type ResultFormat } from './result-stream.ts'
import { RowTally, savedFigures } from './run-figures.ts'

/**
 * Exporting a stored run: its results in id order as CSV, NDJSON or JSON, or the HTML report.
 * Results are streamed from the store and written as the output takes them, so a run of a million
 * results is never held in memory. The app's Export button, the browser host's download and the
 * runner's `export` command all come through here.
 */

export interface RunExportOptions {
  /** Crawlboard's version, printed in the HTML report ('' or absent leaves it out). */
  readonly version?: string
  /** When the export is made (epoch ms), for the HTML report; default now. */
  readonly now?: number
}

/**
 * Writes run `runId` to `out` in `format` and returns how many results it holds. Waits for room
 * whenever `out` asks (backpressure); does not end `out` (it may be standard output). Throws when
 * there is no such run, and rejects when `out` fails or closes first.
 */
export async function writeRunExport(
  store: RunStore,
  runId: string,
  format: ExportFormat,
  out: Writable,
  options: RunExportOptions = {}
): Promise<{ results: number }> {
  if (format === 'html') {
    return writeHtmlReport(store, runId, out, {
      version: options.version ?? '',
      ...(options.now === undefined ? {} : { now: options.now })
    })
  }
  const run = store.getRun(runId)
  if (run === null) throw new Error(`There is no run ${runId} in ${store.path}`)
  return writeResults(store, run, format, out)
}

async function writeResults(
  store: RunStore,
  run: StoredRun,
  format: ResultFormat,
  out: Writable
): Promise<{ results: number }> {
  // The JSON document ends with the run's summary: the saved one when it counts these rows, else
  // one recomputed from them in this same pass.
  const saved = format === 'json' ? savedFigures(store, run) : null
  const tally = format === 'json' && saved === null ? new RowTally(run) : null
  const output = new ChunkedOutput(out)
  await output.push(resultsHead(format))
  let count = 0
  for (const result of store.iterateResults(run.runId, 'id')) {
    await output.push(resultPiece(format, result, count === 0))
    tally?.add(result)
    count += 1
  }
  const summary = saved?.summary ?? tally?.summary()
  if (summary !== undefined) await output.push(resultsTail(format, summary))
  await output.flush()
  return { results: count }
}

/** Longest slug kept from a run's name, so the file name stays readable everywhere. */
const MAX_SLUG = 60

/** A run name as a file-name part: lower-case ASCII letters, digits and single dashes ('run' if none). */
export function nameSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '')
  return slug === '' ? 'run' : slug
}

/**
 * A safe, descriptive file name for an export: crawlboard-<name-slug>-<yyyy-mm-dd>.<ext>, dated
 * by when the run was created (local date). Contains no path separators or reserved characters
 * on any platform.
 */
export function exportFileName(
  run: { readonly name: string; readonly createdAt: number },
  format: ExportFormat
): string {
  const d = new Date(run.createdAt)
  const two = (n: number): string => String(n).padStart(2, '0')
  const date = Number.isFinite(d.getTime())
    ? `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`
    : 'undated'
  return `crawlboard-${nameSlug(run.name)}-${date}.${EXPORT_FORMAT_SPECS[format].extensions[0]}`
}
