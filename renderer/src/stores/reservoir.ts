/**
 * A uniform sample of bounded size from a stream of unknown length (Vitter's algorithm R): after n
 * offers, each item is kept with probability capacity/n, so the latency chart's dots cover the
 * whole run evenly instead of only its last seconds. Values live in parallel typed arrays (no
 * object per result); `random` is injectable so tests are deterministic.
 */
export class Reservoir {
  readonly capacity: number
  /** Items offered so far. */
  seen = 0
  readonly at: Float64Array
  readonly ms: Float64Array
  readonly ok: Uint8Array
  private readonly random: () => number

  constructor(capacity: number, random: () => number = Math.random) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`Reservoir capacity must be a positive integer, got ${String(capacity)}`)
    }
    this.capacity = capacity
    this.random = random
    this.at = new Float64Array(capacity)
    this.ms = new Float64Array(capacity)
    this.ok = new Uint8Array(capacity)
  }

  /** Items held (min(seen, capacity)). */
  get size(): number {
    return Math.min(this.seen, this.capacity)
  }

  offer(at: number, ms: number, ok: boolean): void {
    const n = this.seen++
    let slot = n
    if (n >= this.capacity) {
      slot = Math.floor(this.random() * (n + 1))
      if (slot >= this.capacity) return
    }
    this.at[slot] = at
    this.ms[slot] = ms
    this.ok[slot] = ok ? 1 : 0
  }
}
