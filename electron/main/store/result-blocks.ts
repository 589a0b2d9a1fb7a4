import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib'
import type { DetailJson } from './result-codec.ts'

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

/** Stored in result_blocks.codec: how `data` is encoded. */
export type BlockCodec = 'br' | 'json'

export function encodeBlock(details: readonly DetailJson[], codec: BlockCodec = 'br'): Uint8Array {
  const json = JSON.stringify(details)
  if (codec === 'json') return Buffer.from(json)
  return brotliCompressSync(json, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 1,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: json.length
    }
  })
}

export function decodeBlock(codec: string, data: Uint8Array): DetailJson[] {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  switch (codec) {
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
