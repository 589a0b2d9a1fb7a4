/**
 * FIFO queues for breadth-first order: a deque, and deques by band (a small integer, the spider's
 * link depth) served lowest band first. The host scheduler keeps one banded queue per host; the
 * spider's frontier keeps one for the URLs it holds until the engine pulls them.
 */

export class Deque<T> {
  #items: (T | undefined)[] = []
  #head = 0

  get length(): number {
    return this.#items.length - this.#head
  }

  push(item: T): void {
    this.#items.push(item)
  }

  unshift(item: T): void {
    if (this.#head > 0) {
      this.#head -= 1
      this.#items[this.#head] = item
    } else {
      this.#items.unshift(item)
    }
  }

  peek(): T | undefined {
    return this.#head < this.#items.length ? this.#items[this.#head] : undefined
  }

  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined
    const item = this.#items[this.#head]
    this.#items[this.#head] = undefined
    this.#head += 1
    // Compact once the consumed prefix dominates, keeping shift O(1) amortised.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
    return item
  }
}

/**
 * Deques by band, lowest first, and one ahead of them all (retries). Bands are small integers
 * (depths), so an array indexed by band with a pointer to the lowest non-empty one: O(1) push,
 * shift amortised O(1) since the pointer only moves up until a lower band gets work again.
 */
export class BandedQueue<T> {
  readonly #bandOf: ((item: T) => number) | null
  readonly #front = new Deque<T>()
  readonly #bands: Deque<T>[] = []
  #lowest = 0
  #length = 0

  constructor(bandOf: ((item: T) => number) | null) {
    this.#bandOf = bandOf
  }

  get length(): number {
    return this.#length
  }

  push(item: T): void {
    const band = this.#bandOf === null ? 0 : Math.max(0, Math.floor(this.#bandOf(item)))
    while (this.#bands.length <= band) this.#bands.push(new Deque<T>())
    this.#bands[band]?.push(item)
    if (band < this.#lowest) this.#lowest = band
    this.#length += 1
  }

  /** Ahead of every band (a retry goes before fresh work). */
  unshift(item: T): void {
    this.#front.unshift(item)
    this.#length += 1
  }

  /** The item shift() would return, left in place. */
  peek(): T | undefined {
    if (this.#length === 0) return undefined
    const front = this.#front.peek()
    if (front !== undefined) return front
    for (let band = this.#lowest; band < this.#bands.length; band++) {
      const item = this.#bands[band]?.peek()
      if (item !== undefined) return item
    }
    return undefined
  }

  shift(): T | undefined {
    if (this.#length === 0) return undefined
    let item = this.#front.shift()
    while (item === undefined && this.#lowest < this.#bands.length) {
      item = this.#bands[this.#lowest]?.shift()
      if (item === undefined) this.#lowest += 1
    }
    if (item !== undefined) this.#length -= 1
    return item
  }
}
