/**
 * Exports of stored runs: results as CSV, NDJSON or JSON, and the self-contained HTML
 * report. Plain Node: never imports 'electron'; the app, the browser host and the runner share it.
 */
export {
  writeHtmlReport,
  renderHtmlReport,
  REPORT_CSP,
  SLOWEST_URLS,
  type HtmlReportOptions
} from './html-report.ts'
export { drained, writeChunk, yieldToEventLoop, ChunkedOutput } from './output.ts'
export {
  createResultStream,
  resultPiece,
  resultsHead,
  resultsTail,
  RESULT_FORMATS,
  type ResultFormat,
  type ResultStream
} from './result-stream.ts'
export { exportFileName, nameSlug, writeRunExport, type RunExportOptions } from './run-export.ts'
export { RowTally, runFigures, savedFigures, type RunFigures } from './run-figures.ts'
