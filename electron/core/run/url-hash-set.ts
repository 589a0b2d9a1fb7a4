/**
 * The URLs a streamed list has taken so far, as 64-bit hashes: what dedupes a million-line input
 * without a million strings in the heap (12 bytes a URL here instead of ~100 in a Set<string>).
 * A hash match is only a candidate: `add` compares the URL with the one stored under the matching
 * id (`urlOf`: the batch in hand, or the run store), so two different URLs that share a hash are
 * both kept. Written here because the policy is ours (verify against the store); no library in the
 * stack offers a compact string set.
 */
export class UrlHashSet {
  #hi: Int32Array
  #lo: Int32Array
  /** id + 1 of the URL in each slot; 0 is an empty slot. */
  #ids: Int32Array
  #mask: number
  #size = 0
  /** Hash matches that were different URLs (expected to stay 0 but for pathological input). */
  collisions = 0

  constructor(capacity = 1 << 16) {
    let slots = 1024
    while (slots < capacity * 2) slots *= 2
    this.#hi = new Int32Array(slots)
    this.#lo = new Int32Array(slots)
    this.#ids = new Int32Array(slots)
    this.#mask = slots - 1
  }

  get size(): number {
    return this.#size
  }

  /** Bytes the table holds (what a bench reports). */
  get bytes(): number {
    return this.#ids.length * 12
  }

  /**
   * Takes `url` under `id` unless an equal URL is already in: true when it was new. `urlOf(id)`
   * returns the URL taken under an id (called only on a hash match).
   */
  add(url: string, id: number, urlOf: (id: number) => string | null): boolean {
    hash64(url)
    const hi = hashHi
    const lo = hashLo
    let slot = lo & this.#mask
    for (;;) {
      const held = this.#ids[slot] ?? 0
      if (held === 0) break
      if (this.#hi[slot] === hi && this.#lo[slot] === lo) {
        if (urlOf(held - 1) === url) return false
        this.collisions++
      }
      slot = (slot + 1) & this.#mask
    }
    this.#hi[slot] = hi
    this.#lo[slot] = lo
    this.#ids[slot] = id + 1
    this.#size++
    // At most half full: linear probes stay short.
    if (this.#size * 2 > this.#ids.length) this.#grow()
    return true
  }

  #grow(): void {
    const hi = this.#hi
    const lo = this.#lo
    const ids = this.#ids
    const slots = ids.length * 2
    this.#hi = new Int32Array(slots)
    this.#lo = new Int32Array(slots)
    this.#ids = new Int32Array(slots)
    this.#mask = slots - 1
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] ?? 0
      if (id === 0) continue
      let slot = (lo[i] ?? 0) & this.#mask
      while ((this.#ids[slot] ?? 0) !== 0) slot = (slot + 1) & this.#mask
      this.#hi[slot] = hi[i] ?? 0
      this.#lo[slot] = lo[i] ?? 0
      this.#ids[slot] = id
    }
  }
}

let hashHi = 0
let hashLo = 0

/**
 * Two independent 32-bit hashes of the UTF-16 code units (FNV-1a and a multiply-xorshift, each
 * finished with murmur3's fmix32), left in hashHi/hashLo so the hot path allocates nothing.
 */
function hash64(s: string): void {
  let a = 0x811c9dc5
  let b = 0x9747b28c ^ s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b ^= b >>> 13
  }
  hashLo = fmix32(a)
  hashHi = fmix32(b)
}

function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h | 0
}
