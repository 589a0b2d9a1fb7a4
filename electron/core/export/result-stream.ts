import type { Writable } from 'node:stream'
import { STREAM_FORMATS, type StreamFormat } from '../../../shared/export-formats.ts'
import type { RequestResult } from '../../../shared/result.ts'
import { csvHeader, csvResultLine, UTF8_BOM } from '../../../shared/result-rows.ts'
import type { RunSummary } from '../../../shared/summary.ts'
import { drained } from './output.ts'

/**
 * Results as NDJSON (one object a line), CSV (UTF-8 with BOM, spreadsheet-safe cells from
 * shared/result-rows.ts) or one JSON document `{"results": [...], "summary": {...}}`. The same text
 * whether a crawl streams its results as they finish or a stored run is exported afterwards.
 */

/** The formats results stream in (shared/export-formats.ts says which). */
export const RESULT_FORMATS = STREAM_FORMATS
export type ResultFormat = StreamFormat

/** What comes before the first result. */
export function resultsHead(format: ResultFormat): string {
  switch (format) {
    case 'ndjson':
      return ''
    case 'csv':
      return UTF8_BOM + csvHeader()
    case 'json':
      return '{"results":[\n'
  }
}

/** One result's text; `first` is true for the first result written. */
export function resultPiece(format: ResultFormat, result: RequestResult, first: boolean): string {
  switch (format) {
    case 'ndjson':
      return JSON.stringify(result) + '\n'
    case 'csv':
      return csvResultLine(result)
    case 'json':
      return (first ? '' : ',\n') + JSON.stringify(result)
  }
}

/** What comes after the last result (the JSON document closes with the run's summary). */
export function resultsTail(format: ResultFormat, summary: RunSummary): string {
  return format === 'json' ? `\n],"summary":${JSON.stringify(summary)}}\n` : ''
}

/** Streams results to `out` as they come; never ends `out` (it may be standard output). */
export interface ResultStream {
  /** False when the stream's buffer is full: await drained() before writing much more. */
  write(result: RequestResult): boolean
  /** Resolves once the stream can take more (at once when it can already). */
  drained(): Promise<void>
  /** Writes the trailer (the JSON summary) and waits for room; the caller ends `out` if it owns it. */
  finish(summary: RunSummary): Promise<void>
}

/** Writes the head at once; each result is written as it arrives, so a reader sees it live. */
export function createResultStream(out: Writable, format: ResultFormat): ResultStream {
  let first = true
  const head = resultsHead(format)
  if (head !== '') out.write(head)
  return {
    write(result) {
      const piece = resultPiece(format, result, first)
      first = false
      return out.write(piece)
    },
    drained: () => drained(out),
    async finish(summary) {
      const tail = resultsTail(format, summary)
      if (tail !== '' && !out.write(tail)) await drained(out)
    }
  }
}
