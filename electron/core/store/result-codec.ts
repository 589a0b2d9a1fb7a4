import type { SQLOutputValue } from 'node:sqlite'
import type { ResultRow } from '../../../shared/api.ts'
import type { ErrorCode, FailurePhase, RequestFailure } from '../../../shared/errors.ts'
import type { AttemptRecord, RedirectHop, RequestResult } from '../../../shared/result.ts'

/**
 * RequestResult ⇄ database rows. Everything a table filters, sorts or shows is a column of
 * `results`; the rest is a DetailJson inside a compressed block (result-blocks.ts).
 * decodeResult(row, detail) equals the written result field for field: the round-trip test holds
 * it to that. Representation details: status 0 stands for null (no response), final_url NULL for
 * "same as url", and a NaN (or infinite) timing reads back as NaN (SQL and JSON have no NaN).
 */

export type Row = Record<string, SQLOutputValue>

/** One result's entry in its block. */
export interface DetailJson {
  readonly method: RequestResult['method']
  readonly attempts: readonly AttemptRecord[]
  readonly redirects: readonly RedirectHop[]
  readonly headers: Readonly<Record<string, string>>
  /** queue, dns, connect, tls, download ms (ttfb and total are columns). */
  readonly timings: readonly [number | null, number | null, number | null, number | null, number | null]
  /** RequestFailure fields that have no column; present only when the result has an error. */
  readonly retryable?: boolean
  readonly errorStatus?: number
}

/**
 * An upsert of `rows` results: a result written twice stays one row, with the later content.
 * 23 parameters a row in column order; batch-insert.ts binds them, many rows a statement.
 */
export function resultInsertSql(rows: number): string {
  const row = `(${Array.from({ length: 23 }, () => '?').join(', ')})`
  return `
  INSERT INTO results (rid, run, id, url, final_url, host, status, ok, error_code, error_phase,
    error_message, attempts, block, slot, total_ms, ttfb_ms, bytes, content_type, title,
    started_at, finished_at, depth, found_on)
  VALUES ${Array.from({ length: rows }, () => row).join(', ')}
  ON CONFLICT (rid) DO UPDATE SET url = excluded.url, final_url = excluded.final_url,
    host = excluded.host, status = excluded.status, ok = excluded.ok,
    error_code = excluded.error_code, error_phase = excluded.error_phase,
    error_message = excluded.error_message, attempts = excluded.attempts,
    block = excluded.block, slot = excluded.slot,
    total_ms = excluded.total_ms, ttfb_ms = excluded.ttfb_ms, bytes = excluded.bytes,
    content_type = excluded.content_type, title = excluded.title,
    started_at = excluded.started_at, finished_at = excluded.finished_at,
    depth = excluded.depth, found_on = excluded.found_on`
}

/** lo and hi: the first and last rid of the block's rows (schema version 7; search-index.ts reads them). */
export const BLOCK_INSERT_SQL =
  'INSERT INTO result_blocks (bid, run, codec, count, data, lo, hi) VALUES (?, ?, ?, ?, ?, ?, ?)'

/** results.host is a hosts.id; rows read back carry the name (a primary-key lookup per row). */
const HOST_NAME = '(SELECT name FROM hosts WHERE hosts.id = results.host) AS host'

/** Columns a table row needs (from `results`, unaliased). */
export const ROW_COLUMNS = `id, url, ${HOST_NAME}, status, ok, error_code, error_message, attempts, total_ms, ttfb_ms, bytes, title, finished_at, depth`

/** Columns a full result needs from `results` (its detail comes from the block). */
export const RESULT_COLUMNS =
  `id, url, final_url, ${HOST_NAME}, status, ok, error_code, error_phase, error_message, block, slot, ` +
  'total_ms, ttfb_ms, bytes, content_type, title, started_at, finished_at, depth, found_on'

/** Ids are array indexes of the input (u32 keeps a run's rids inside its 2^32 block). */
export function assertResultId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id >= 2 ** 32) {
    throw new RangeError(`Result id ${id} is not an integer in [0, 2^32)`)
  }
}

/**
 * A DetailJson as arrays, the form 'br2' blocks store (result-blocks.ts): no key names repeated in
 * every result, so a third less JSON to write and compress, and a third less time doing both.
 * [method, attempts, redirects, headers, queue, dns, connect, tls, download, retryable, errorStatus];
 * an attempt is [attempt, startedAt, durationMs, status, error, outcome, waitBeforeNextMs,
 * waitReason], a redirect [url, status, location, durationMs]; retryable and errorStatus are null
 * where DetailJson leaves them out.
 */
export type DetailTuple = readonly [
  method: RequestResult['method'],
  attempts: readonly AttemptTuple[],
  redirects: readonly RedirectTuple[],
  headers: Readonly<Record<string, string>>,
  queue: number | null,
  dns: number | null,
  connect: number | null,
  tls: number | null,
  download: number | null,
  retryable: boolean | null,
  errorStatus: number | null
]
type AttemptTuple = readonly [
  attempt: number,
  startedAt: number,
  durationMs: number,
  status: number | null,
  error: RequestFailure | null,
  outcome: AttemptRecord['outcome'],
  waitBeforeNextMs: number | null,
  waitReason: AttemptRecord['waitReason']
]
type RedirectTuple = readonly [url: string, status: number, location: string, durationMs: number]

export function detailTupleOf(r: RequestResult): DetailTuple {
  const t = r.timings
  const e = r.error
  return [
    r.method,
    r.attempts.map((a) => [
      a.attempt,
      a.startedAt,
      a.durationMs,
      a.status,
      a.error,
      a.outcome,
      a.waitBeforeNextMs,
      a.waitReason
    ]),
    r.redirects.map((h) => [h.url, h.status, h.location, h.durationMs]),
    r.headers,
    t.queue,
    t.dns,
    t.connect,
    t.tls,
    t.download,
    e ? e.retryable : null,
    e?.status ?? null
  ]
}

export function detailFromTuple(d: DetailTuple): DetailJson {
  const [method, attempts, redirects, headers, queue, dns, connect, tls, download, retryable, errorStatus] = d
  return {
    method,
    attempts: attempts.map((a) => ({
      attempt: a[0],
      startedAt: a[1],
      durationMs: a[2],
      status: a[3],
      error: a[4],
      outcome: a[5],
      waitBeforeNextMs: a[6],
      waitReason: a[7]
    })),
    redirects: redirects.map((h) => ({ url: h[0], status: h[1], location: h[2], durationMs: h[3] })),
    headers,
    timings: [queue, dns, connect, tls, download],
    ...(retryable !== null ? { retryable } : {}),
    ...(errorStatus !== null ? { errorStatus } : {})
  }
}

export function num(row: Row, key: string): number {
  const v = row[key]
  if (typeof v === 'number') return v
  if (typeof v === 'bigint') return Number(v)
  return NaN
}

export function str(row: Row, key: string): string {
  const v = row[key]
  return typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v)
}

export function strOrNull(row: Row, key: string): string | null {
  const v = row[key]
  return v === null || v === undefined ? null : String(v)
}

export function decodeRow(row: Row): ResultRow {
  const status = num(row, 'status')
  return {
    id: num(row, 'id'),
    url: str(row, 'url'),
    host: str(row, 'host'),
    status: status === 0 ? null : status,
    ok: num(row, 'ok') === 1,
    errorCode: strOrNull(row, 'error_code') as ErrorCode | null,
    errorMessage: strOrNull(row, 'error_message'),
    attempts: num(row, 'attempts'),
    totalMs: num(row, 'total_ms'),
    ttfbMs: num(row, 'ttfb_ms'),
    bytes: num(row, 'bytes'),
    title: strOrNull(row, 'title'),
    finishedAt: num(row, 'finished_at'),
    depth: num(row, 'depth')
  }
}

const phase = (value: number | null | undefined): number => (typeof value === 'number' ? value : NaN)

export function decodeResult(row: Row, detail: DetailJson): RequestResult {
  const status = num(row, 'status')
  const url = str(row, 'url')
  const code = strOrNull(row, 'error_code')
  let error: RequestFailure | null = null
  if (code !== null) {
    error = {
      code: code as ErrorCode,
      message: str(row, 'error_message'),
      phase: str(row, 'error_phase') as FailurePhase,
      retryable: detail.retryable ?? false,
      ...(detail.errorStatus !== undefined ? { status: detail.errorStatus } : {})
    }
  }
  const [queue, dns, connect, tls, download] = detail.timings
  return {
    id: num(row, 'id'),
    url,
    finalUrl: strOrNull(row, 'final_url') ?? url,
    host: str(row, 'host'),
    method: detail.method,
    status: status === 0 ? null : status,
    ok: num(row, 'ok') === 1,
    attempts: detail.attempts,
    redirects: detail.redirects,
    error,
    timings: {
      queue: phase(queue),
      dns: phase(dns),
      connect: phase(connect),
      tls: phase(tls),
      ttfb: num(row, 'ttfb_ms'),
      download: phase(download),
      total: num(row, 'total_ms')
    },
    bytes: num(row, 'bytes'),
    contentType: strOrNull(row, 'content_type'),
    title: strOrNull(row, 'title'),
    startedAt: num(row, 'started_at'),
    finishedAt: num(row, 'finished_at'),
    headers: detail.headers,
    depth: num(row, 'depth'),
    foundOn: row['found_on'] === null || row['found_on'] === undefined ? null : num(row, 'found_on')
  }
}
