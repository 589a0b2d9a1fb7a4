import type { RequestResult } from './result.ts'

/**
 * Flat rows for tabular exports (CSV now; the app's exports reuse the same columns).
 */

export const RESULT_COLUMNS = [
  'id',
  'url',
  'final_url',
  'status',
  'ok',
  'error_code',
  'error_phase',
  'error_message',
  'attempts',
  'redirects',
  'dns_ms',
  'connect_ms',
  'tls_ms',
  'ttfb_ms',
  'download_ms',
  'total_ms',
  'bytes',
  'content_type',
  'title',
  'started_at',
  'finished_at'
] as const

export type ResultColumn = (typeof RESULT_COLUMNS)[number]

const ms = (value: number): string => value.toFixed(1)
const iso = (epochMs: number): string => (epochMs > 0 ? new Date(epochMs).toISOString() : '')

export function resultRow(r: RequestResult): Record<ResultColumn, string> {
  return {
    id: String(r.id),
    url: r.url,
    final_url: r.finalUrl,
    status: r.status === null ? '' : String(r.status),
    ok: r.ok ? 'true' : 'false',
    error_code: r.error?.code ?? '',
    error_phase: r.error?.phase ?? '',
    error_message: r.error?.message ?? '',
    attempts: String(r.attempts.length),
    redirects: String(r.redirects.length),
    dns_ms: ms(r.timings.dns),
    connect_ms: ms(r.timings.connect),
    tls_ms: ms(r.timings.tls),
    ttfb_ms: ms(r.timings.ttfb),
    download_ms: ms(r.timings.download),
    total_ms: ms(r.timings.total),
    bytes: String(r.bytes),
    content_type: r.contentType ?? '',
    title: r.title ?? '',
    started_at: iso(r.startedAt),
    finished_at: iso(r.finishedAt)
  }
}

/**
 * One CSV cell (RFC 4180 quoting). Cells that a spreadsheet would run as a formula (leading
 * = + - @, tab or carriage return) get a leading apostrophe: crawled titles are untrusted text.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function csvLine(values: readonly string[]): string {
  return values.map(csvCell).join(',') + '\r\n'
}

export function csvHeader(): string {
  return csvLine(RESULT_COLUMNS)
}

export function csvResultLine(r: RequestResult): string {
  const row = resultRow(r)
  return csvLine(RESULT_COLUMNS.map((c) => row[c]))
}

/** UTF-8 byte order mark, so spreadsheets open exported CSV as UTF-8. */
export const UTF8_BOM = '\uFEFF'
