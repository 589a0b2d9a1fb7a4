import type { RequestResult } from '../../../shared/result.ts'
import { BLOCK_SIZE, detailTuplesJson } from './result-blocks.ts'

/**
 * A batch of results as the writer hands it to the connection that inserts it (the writer thread,
 * or the calling thread): flat columns instead of 1,000 nested objects. Copying it to a thread is
 * a transfer of two typed arrays and a copy of a few long strings; a structured clone of the
 * results themselves would cost about as much as inserting them, and of an array of their strings
 * (7 a row) still ~3 µs a row on both threads.
 *
 * Rows are in id order (neighbours, which an export reads together, share a detail block). Row i's
 * numbers are numbers[i × NUMBER_FIELDS + k], k as in the comments below. Its strings are fields
 * i × STRING_FIELDS + k of `text`, laid end to end: `lengths` holds each field's length in UTF-16
 * code units, −1 for null. Block b holds rows [b × BLOCK_SIZE, (b + 1) × BLOCK_SIZE).
 * batch-insert.ts reads exactly this layout.
 */
export interface EncodedBatch {
  readonly runKey: number
  readonly count: number
  /**
   * id, host (index into hosts), status (0 = none), ok (0/1), attempts, total_ms, ttfb_ms, bytes,
   * started_at, finished_at, depth, found_on (−1 = none).
   */
  readonly numbers: Float64Array
  /**
   * url, final_url (null when it equals url), error_code, error_phase, error_message, content_type,
   * title: end to end, with their lengths.
   */
  readonly text: string
  readonly lengths: Int32Array
  /** The batch's distinct host names; the connection maps them to hosts.id. */
  readonly hosts: string[]
  /**
   * Per block of BLOCK_SIZE rows: the details as a JSON array of DetailTuples, compressed already
   * (encodeBatch's `compress`) or by the inserter.
   */
  readonly details: (string | Uint8Array)[]
}

export const NUMBER_FIELDS = 12
export const STRING_FIELDS = 7

export function encodeBatch(
  runKey: number,
  results: readonly RequestResult[],
  compress?: (json: string) => Uint8Array
): EncodedBatch {
  const rows = [...results].sort((a, b) => a.id - b.id)
  const count = rows.length
  const numbers = new Float64Array(count * NUMBER_FIELDS)
  const lengths = new Int32Array(count * STRING_FIELDS)
  let text = ''
  let field = 0
  const put = (value: string | null): void => {
    if (value === null) {
      lengths[field++] = -1
    } else {
      lengths[field++] = value.length
      text += value
    }
  }
  const hosts: string[] = []
  const hostIndex = new Map<string, number>()
  for (let i = 0; i < count; i++) {
    const r = rows[i] as RequestResult
    let host = hostIndex.get(r.host)
    if (host === undefined) {
      host = hosts.length
      hosts.push(r.host)
      hostIndex.set(r.host, host)
    }
    const e = r.error
    const t = r.timings
    let o = i * NUMBER_FIELDS
    numbers[o++] = r.id
    numbers[o++] = host
    numbers[o++] = r.status ?? 0
    numbers[o++] = r.ok ? 1 : 0
    numbers[o++] = r.attempts.length
    numbers[o++] = t.total
    numbers[o++] = t.ttfb
    numbers[o++] = r.bytes
    numbers[o++] = r.startedAt
    numbers[o++] = r.finishedAt
    // Results from before spider mode (a caller not typed against RequestResult) lack these two.
    numbers[o++] = Number.isFinite(r.depth) ? r.depth : 0
    numbers[o] = typeof r.foundOn === 'number' ? r.foundOn : -1
    put(r.url)
    put(r.finalUrl === r.url ? null : r.finalUrl)
    put(e ? e.code : null)
    put(e ? e.phase : null)
    put(e ? e.message : null)
    put(r.contentType)
    put(r.title)
  }
  const details: (string | Uint8Array)[] = []
  for (let b = 0; b < count; b += BLOCK_SIZE) {
    const json = detailTuplesJson(rows.slice(b, b + BLOCK_SIZE))
    // Copied out of zlib's output buffer (a 64 KB allocation behind every ~13 KB block): the copy
    // owns exactly its bytes, so the hand-off moves it instead of copying 64 KB.
    details.push(compress ? new Uint8Array(compress(json)) : json)
  }
  return { runKey, count, numbers, text, lengths, hosts, details }
}
