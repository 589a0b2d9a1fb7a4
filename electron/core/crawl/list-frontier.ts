import type { FrontierFactory, FrontierPorts, FrontierTask, UrlFrontier, UrlTask } from './url-frontier.ts'

/**
 * What both list frontiers share: a list finds nothing on its pages, its depths are fixed and no
 * setting changes what it holds, so these hooks of the frontier have nothing to do.
 */
abstract class FixedList {
  started(): void {
    // Depths in a list are fixed.
  }

  linksFrom(): null {
    return null
  }

  finished(): number {
    return 0
  }

  updateSettings(): void {
    // maxPages and perHostBudget bound what a spider takes on; a list is fixed.
  }

  completed(): void {
    // Nothing to report.
  }
}

/**
 * List mode's frontier: a fixed list, handed out in input order a window at a time. It finds
 * nothing on the pages it is given, so its total never grows and it is always settled. The URLs
 * are checked once up front, so a bad one (a bug upstream: input is validated before a run)
 * fails the start, not a request in the middle of the run.
 */
export class ListFrontier extends FixedList implements UrlFrontier {
  readonly #tasks: readonly UrlTask[]
  #next = 0
  readonly settled = true

  constructor(tasks: readonly UrlTask[]) {
    super()
    for (const task of tasks) {
      if (!URL.canParse(task.url)) throw new TypeError(`Invalid URL for task ${task.id}: ${task.url}`)
    }
    this.#tasks = tasks
  }

  get total(): number {
    return this.#tasks.length
  }

  get pending(): number {
    return this.#tasks.length - this.#next
  }

  start(): void {
    // A list has no sources to read and no counts to report.
  }

  pull(max: number): readonly FrontierTask[] {
    const end = Math.min(this.#tasks.length, this.#next + Math.max(0, max))
    const out: FrontierTask[] = []
    for (let i = this.#next; i < end; i++) {
      const task = this.#tasks[i]
      if (task) out.push(frontierTask(task))
    }
    this.#next = end
    return out
  }

  cancel(): void {
    // Nothing to stop.
  }
}

/** A task as the engine fetches it: its fragment dropped, keyed on its host[:port]. */
export function frontierTask(task: UrlTask): FrontierTask {
  const url = new URL(task.url)
  url.hash = ''
  return { id: task.id, url, host: url.host, depth: task.depth ?? 0, foundOn: task.foundOn ?? null }
}

/** Where a windowed list reads its URLs: the run store's run_urls, in id order. */
export interface ListSource {
  /** Up to `limit` tasks with an id above `afterId`, in id order ([] when there are none yet). */
  next(afterId: number, limit: number): readonly UrlTask[]
}

/**
 * Tasks a windowed list reads from its source at a time. The engine pulls a few hundred at once
 * (job-loop.ts: twice the concurrency), so this is one store read per several pulls; it bounds
 * what the list holds in memory however long the run is.
 */
export const LIST_READ_WINDOW = 2_048

/**
 * A list too long to hold: its URLs stay in the run store and are read a window at a time, in id
 * order. While its input is still being read into the store (`settled` false) the total grows
 * with each batch stored (`grow`), and the engine is woken to pull it; `end` says the input is
 * all stored. A resume reads only the URLs without a result (the source's choice).
 */
export class WindowedListFrontier extends FixedList implements UrlFrontier {
  readonly #source: ListSource
  #total: number
  #taken = 0
  #window: readonly UrlTask[] = []
  #at = 0
  #afterId = -1
  #settled: boolean
  #cancelled = false
  #ports: FrontierPorts | null = null

  constructor(options: { readonly source: ListSource; readonly total: number; readonly settled: boolean }) {
    super()
    this.#source = options.source
    this.#total = options.total
    this.#settled = options.settled
  }

  /** The engine's factory for it (EngineOptions.frontier): the ports wake the engine on `grow`. */
  readonly factory: FrontierFactory = (ports) => {
    this.#ports = ports
    return this
  }

  get total(): number {
    return this.#total
  }

  get pending(): number {
    return this.#total - this.#taken
  }

  get settled(): boolean {
    return this.#settled
  }

  /** Tasks read from the source and not pulled yet: at most LIST_READ_WINDOW. */
  get held(): number {
    return this.#window.length - this.#at
  }

  /** The run was cancelled or interrupted: whoever feeds the source may stop. */
  get cancelled(): boolean {
    return this.#cancelled
  }

  /** `n` more URLs are in the source. */
  grow(n: number): void {
    if (n <= 0) return
    this.#total += n
    this.#ports?.wake()
  }

  /** Every URL is in the source: once they are done the run completes. */
  end(): void {
    this.#settled = true
    this.#ports?.wake()
  }

  start(): void {
    // The source is the store: nothing to start reading.
  }

  pull(max: number): readonly FrontierTask[] {
    const out: FrontierTask[] = []
    while (out.length < max && this.pending > 0) {
      if (this.#at >= this.#window.length) {
        this.#window = this.#source.next(this.#afterId, LIST_READ_WINDOW)
        this.#at = 0
        const last = this.#window.at(-1)
        if (last === undefined) {
          // The source holds fewer than counted (a resume's count raced a result): trust the source.
          if (this.#settled) this.#total = this.#taken
          break
        }
        this.#afterId = last.id
      }
      const task = this.#window[this.#at++]
      if (task === undefined) break
      out.push(frontierTask(task))
      this.#taken++
    }
    if (this.#at >= this.#window.length) {
      this.#window = []
      this.#at = 0
    }
    return out
  }

  cancel(): void {
    this.#cancelled = true
    this.#window = []
    this.#at = 0
  }
}
