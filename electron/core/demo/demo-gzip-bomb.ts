import { constants, crc32, deflateRawSync } from 'node:zlib'

/**
 * Builds a single-member gzip body that inflates to N MiB of zeros, without ever compressing (or
 * CRC-ing) N MiB: a 1 MiB zero block is deflated once with a sync flush (byte-aligned, non-final
 * blocks that only reference their own bytes), repeated N times, then closed with an empty final
 * block. The CRC-32 of N MiB of zeros comes from zlib's crc32_combine algorithm, so a 1 GiB bomb
 * costs ~1 MiB of memcpy instead of ~400 ms of CRC work on the event loop.
 */

const MIB = 1024 * 1024

let zeroBlock: Buffer | undefined
let zeroBlockCrc = 0

function zeroSegment(): Buffer {
  if (!zeroBlock) {
    const zeros = Buffer.alloc(MIB)
    zeroBlock = deflateRawSync(zeros, { level: 9, finishFlush: constants.Z_SYNC_FLUSH })
    zeroBlockCrc = crc32(zeros)
  }
  return zeroBlock
}

function gf2MatrixTimes(mat: Uint32Array, vec: number): number {
  let sum = 0
  let v = vec >>> 0
  for (let i = 0; v !== 0; i++, v >>>= 1) {
    if (v & 1) sum ^= mat[i] ?? 0
  }
  return sum >>> 0
}

function gf2MatrixSquare(square: Uint32Array, mat: Uint32Array): void {
  for (let n = 0; n < 32; n++) square[n] = gf2MatrixTimes(mat, mat[n] ?? 0)
}

/** zlib's crc32_combine: the CRC of A||B from crc(A), crc(B) and len(B). */
export function crc32Combine(crc1: number, crc2: number, len2: number): number {
  if (len2 <= 0) return crc1 >>> 0
  const even = new Uint32Array(32)
  const odd = new Uint32Array(32)
  odd[0] = 0xedb88320
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row
  gf2MatrixSquare(even, odd)
  gf2MatrixSquare(odd, even)
  let crc = crc1 >>> 0
  // Division instead of >>= because lengths may exceed 2^31.
  let len = len2
  for (;;) {
    gf2MatrixSquare(even, odd)
    if (len % 2 === 1) crc = gf2MatrixTimes(even, crc)
    len = Math.floor(len / 2)
    if (len === 0) break
    gf2MatrixSquare(odd, even)
    if (len % 2 === 1) crc = gf2MatrixTimes(odd, crc)
    len = Math.floor(len / 2)
    if (len === 0) break
  }
  return (crc ^ crc2) >>> 0
}

/** CRC-32 of `mib` MiB of zero bytes, by doubling. */
export function crc32OfZeroMiB(mib: number): number {
  zeroSegment()
  let result = 0
  let block = zeroBlockCrc
  let blockLen = MIB
  let rest = mib
  while (rest > 0) {
    if (rest % 2 === 1) result = crc32Combine(result, block, blockLen)
    rest = Math.floor(rest / 2)
    if (rest > 0) {
      block = crc32Combine(block, block, blockLen)
      blockLen *= 2
    }
  }
  return result
}

export function buildGzipBomb(mib: number): Buffer {
  const segment = zeroSegment()
  // An empty final block: after the sync flush the stream is byte-aligned, so this is 03 00.
  const finalBlock = deflateRawSync(Buffer.alloc(0))
  const header = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x02, 0x03])
  const out = Buffer.allocUnsafe(header.length + segment.length * mib + finalBlock.length + 8)
  let offset = header.copy(out, 0)
  for (let i = 0; i < mib; i++) offset += segment.copy(out, offset)
  offset += finalBlock.copy(out, offset)
  out.writeUInt32LE(crc32OfZeroMiB(mib), offset)
  // ISIZE is the decoded length modulo 2^32.
  out.writeUInt32LE((mib * MIB) % 2 ** 32, offset + 4)
  return out
}

const CACHE_LIMIT = 8
const cache = new Map<number, Buffer>()

/** Cached per size: the default 1 GiB bomb is ~1 MiB compressed, built once per process. */
export function gzipBomb(mib: number): Buffer {
  let body = cache.get(mib)
  if (!body) {
    body = buildGzipBomb(mib)
    if (cache.size >= CACHE_LIMIT) {
      const oldest = cache.keys().next()
      if (!oldest.done) cache.delete(oldest.value)
    }
    cache.set(mib, body)
  }
  return body
}
