import type { EngineEvent } from '../../../shared/events.ts'
import type { Unstamped } from '../crawl/url-frontier.ts'

export type EngineListener = (event: EngineEvent) => void

/** The engine's event stream: each event numbered (`seq`, from 1, no gaps) and stamped as it goes out. */
export class EventStream {
  readonly #listeners = new Set<EngineListener>()
  #seq = 0
  #listenerErrorLogged = false

  get lastSeq(): number {
    return this.#seq
  }

  on(listener: EngineListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  emit(event: Unstamped<EngineEvent>): void {
    this.#seq += 1
    const full = { ...event, seq: this.#seq, at: Date.now() } as EngineEvent
    for (const listener of this.#listeners) {
      try {
        listener(full)
      } catch (error) {
        // A listener bug must not stall the run; report it once.
        if (!this.#listenerErrorLogged) {
          this.#listenerErrorLogged = true
          console.error('crawlboard: an engine event listener threw:', error)
        }
      }
    }
  }
}
