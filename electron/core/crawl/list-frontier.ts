import type { FrontierTask, UrlFrontier, UrlTask } from './url-frontier.ts'

/**
 * List mode's frontier: a fixed list, handed out in input order a window at a time. It finds
 * nothing on the pages it is given, so its total never grows and it is always settled. The URLs
 * are checked once up front, so a bad one (a bug upstream: input is validated before a run)
 * fails the start, not a request in the middle of the run.
 */
export class ListFrontier implements UrlFrontier {
  readonly #tasks: readonly UrlTask[]
  #next = 0
  readonly settled = true

  constructor(tasks: readonly UrlTask[]) {
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
