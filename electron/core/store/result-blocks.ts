import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib'
import type { RequestResult } from '../../../shared/result.ts'
import { detailFromTuple, detailTupleOf, type DetailJson, type DetailTuple } from './result-codec.ts'

/**
 * Result details (attempts, redirects, headers, timing phases) are stored a block at a time: the
 * details of up to BLOCK_SIZE results written together, as one JSON array compressed with Brotli
 * at quality 1. Measured on realistic results (test/bench/store-bench.ts), a detail is ~800 bytes
 * of JSON on its own and ~80 bytes inside a compressed block, because neighbouring results repeat
 * the same header names and values. That is ~700 MB less per 1,000,000 results, one INSERT per
 * block instead of per result, and a fraction of the WAL pages per batch: the largest single gain
 * in write throughput. Reading one result decompresses its block (~0.2 ms), and a small cache of
 * decoded blocks serves the neighbours that exports and the detail panel read next.
 *
 * Brotli rather than zstd: it is stable in every Node and Electron that has node:sqlite, and at
 * quality 1 within ~30% of zstd's speed on these blocks.
 */

export const BLOCK_SIZE = 200

/**
 * Stored in result_blocks.codec: how `data` is encoded. 'br2' (what the writer writes): Brotli of
 * a JSON array of DetailTuples (result-codec.ts). 'br' (written by schema version 1): Brotli of a
 * JSON array of DetailJson objects. 'json': the latter uncompressed (tests).
 */
export type BlockCodec = 'br' | 'br2' | 'json'

/** Brotli quality 1 on text: the parameters every block is compressed with (the writer thread too). */
export const BROTLI_PARAMS: Readonly<Record<number, number>> = {
  [constants.BROTLI_PARAM_QUALITY]: 1,
  [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT
}

/** A block's JSON as stored with codec 'br' or 'br2'. */
export function compressDetails(json: string): Uint8Array {
  return brotliCompressSync(json, {
    params: { ...BROTLI_PARAMS, [constants.BROTLI_PARAM_SIZE_HINT]: json.length }
  })
}

export function encodeBlock(details: readonly DetailJson[], codec: BlockCodec = 'br2'): Uint8Array {
  if (codec === 'br2') return compressDetails(JSON.stringify(details.map(tupleOfDetail)))
  const json = JSON.stringify(details)
  return codec === 'json' ? Buffer.from(json) : compressDetails(json)
}

/** A block's JSON in the 'br2' form, straight from the results (the writer's path). */
export function detailTuplesJson(results: readonly RequestResult[]): string {
  return JSON.stringify(results.map(detailTupleOf))
}

function tupleOfDetail(d: DetailJson): DetailTuple {
  const [queue, dns, connect, tls, download] = d.timings
  return [
    d.method,
    d.attempts.map((a) => [
      a.attempt,
      a.startedAt,
      a.durationMs,
      a.status,
      a.error,
      a.outcome,
      a.waitBeforeNextMs,
      a.waitReason
    ]),
    d.redirects.map((h) => [h.url, h.status, h.location, h.durationMs]),
    d.headers,
    queue,
    dns,
    connect,
    tls,
    download,
    d.retryable ?? null,
    d.errorStatus ?? null
  ]
}

export function decodeBlock(codec: string, data: Uint8Array): DetailJson[] {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  switch (codec) {
    case 'br2':
      return (JSON.parse(brotliDecompressSync(bytes).toString('utf8')) as DetailTuple[]).map(detailFromTuple)
    case 'br':
      return JSON.parse(brotliDecompressSync(bytes).toString('utf8')) as DetailJson[]
    case 'json':
      return JSON.parse(bytes.toString('utf8')) as DetailJson[]
    default:
      throw new Error(`Unknown result block codec "${codec}": written by a newer Crawlboard?`)
  }
}

/** Decoded blocks by id, least recently used evicted. */
export class BlockCache {
  private readonly capacity: number
  private readonly blocks = new Map<number, DetailJson[]>()

  constructor(capacity: number) {
    this.capacity = capacity
  }

  get(bid: number, load: () => DetailJson[]): DetailJson[] {
    const hit = this.blocks.get(bid)
    if (hit) {
      this.blocks.delete(bid)
      this.blocks.set(bid, hit)
      return hit
    }
    const block = load()
    this.blocks.set(bid, block)
    if (this.blocks.size > this.capacity) {
      const oldest = this.blocks.keys().next()
      if (!oldest.done) this.blocks.delete(oldest.value)
    }
    return block
  }

  clear(): void {
    this.blocks.clear()
  }
}
