import { UrlLineParser, type InvalidLine } from '../../../shared/url-list.ts'
import { UrlHashSet } from './url-hash-set.ts'

/**
 * A run's URL input read as a stream (a file, standard input, arguments, the app's list): parsed
 * and checked line by line (shared/url-list.ts's rules), deduplicated against the URLs taken so
 * far (UrlHashSet, verified against the batch in hand or the run store), and handed over in
 * batches of INGEST_BATCH URLs. The first batch is read before the run is created, so a run
 * starts as soon as it is stored; the rest goes into the store while the run fetches. Nothing
 * holds the whole list: memory is the hash table and one batch.
 */

/** URLs per batch: one store transaction each (about 20 ms for 10,000 rows). */
export const INGEST_BATCH = 10_000
/** Invalid lines kept, per input, to show; the rest are counted. */
export const INVALID_EXAMPLES = 1_000

/** One input's lines, a chunk (array) at a time. */
export type LineChunks = AsyncIterable<readonly string[]> | Iterable<readonly string[]>

export interface UrlInput {
  /** How messages name it: "urls.txt", "standard input", "arguments", … */
  readonly label: string
  readonly lines: LineChunks
}

export interface InputReport {
  readonly label: string
  /** Lines read. */
  readonly lines: number
  /** New URLs it gave. */
  readonly urls: number
  readonly duplicates: number
  readonly skipped: number
  readonly invalidCount: number
  /** The first INVALID_EXAMPLES invalid lines, with their numbers. */
  readonly invalid: readonly InvalidLine[]
}

export interface IngestReport {
  /** URLs taken: the run's list. */
  readonly urls: number
  readonly duplicates: number
  readonly invalidCount: number
  readonly inputs: readonly InputReport[]
  /** Reading stopped before the end (the run ended first, or maxUrls was reached). */
  readonly cut: boolean
}

interface Counts {
  label: string
  lines: number
  urls: number
  duplicates: number
  invalidCount: number
  invalid: InvalidLine[]
  parser: UrlLineParser
}

type Chunks = AsyncIterator<readonly string[]> | Iterator<readonly string[]>

export interface UrlIngestOptions {
  /** Called for each invalid line as it is read (the runner prints the first few). */
  readonly onInvalid?: (label: string, line: InvalidLine) => void
  /** Most URLs to take; a line past it stops the reading (reported as one invalid line). */
  readonly maxUrls?: number
  /** How many URLs a batch holds (tests make it small). */
  readonly batchSize?: number
}

export class UrlIngest {
  readonly #inputs: readonly UrlInput[]
  readonly #counts: Counts[]
  readonly #seen = new UrlHashSet()
  readonly #onInvalid: UrlIngestOptions['onInvalid']
  readonly #maxUrls: number
  readonly #batchSize: number
  #input = 0
  #chunks: Chunks | null = null
  /** Lines of the current chunk not yet looked at. */
  #chunk: readonly string[] = []
  #at = 0
  #taken = 0
  #batch: string[] = []
  /** The id of #batch[0]. */
  #batchBase = 0
  #ended = false
  #cut = false
  /** Where URLs of earlier batches are looked up on a hash match (the run store, once created). */
  #stored: (id: number) => string | null = () => null

  constructor(inputs: readonly UrlInput[], options: UrlIngestOptions = {}) {
    this.#inputs = inputs
    this.#counts = inputs.map((input) => ({
      label: input.label,
      lines: 0,
      urls: 0,
      duplicates: 0,
      invalidCount: 0,
      invalid: [],
      parser: new UrlLineParser()
    }))
    this.#onInvalid = options.onInvalid
    this.#maxUrls = options.maxUrls ?? Infinity
    this.#batchSize = Math.max(1, options.batchSize ?? INGEST_BATCH)
  }

  /** Every input has been read to its end (or the reading was cut). */
  get ended(): boolean {
    return this.#ended
  }

  /** URLs taken so far. */
  get taken(): number {
    return this.#taken
  }

  /**
   * The next batch of new URLs (ids follow on from the last batch's); [] once the input has ended.
   * `stored(id)` finds a URL of an earlier batch (the run store), for the rare hash match.
   */
  async next(stored?: (id: number) => string | null): Promise<readonly string[]> {
    if (stored) this.#stored = stored
    this.#batchBase = this.#taken
    this.#batch = []
    while (!this.#ended && this.#batch.length < this.#batchSize) {
      if (this.#at >= this.#chunk.length && !(await this.#nextChunk())) break
      this.#take()
    }
    const batch = this.#batch
    this.#batch = []
    return batch
  }

  /** Reads the rest without storing it (a spider's seeds are few). */
  async all(): Promise<string[]> {
    const urls: string[] = []
    for (let batch = await this.next(); batch.length > 0; batch = await this.next()) urls.push(...batch)
    return urls
  }

  /** Stops reading (the run ended): what is not read yet is not reported. */
  async stop(): Promise<void> {
    if (this.#ended) return
    this.#ended = true
    this.#cut = true
    await this.#closeChunks()
  }

  report(): IngestReport {
    return {
      urls: this.#taken,
      duplicates: this.#counts.reduce((n, c) => n + c.duplicates, 0),
      invalidCount: this.#counts.reduce((n, c) => n + c.invalidCount, 0),
      inputs: this.#counts.map((c) => ({
        label: c.label,
        lines: c.parser.lineNo,
        urls: c.urls,
        duplicates: c.duplicates,
        skipped: c.parser.skipped,
        invalidCount: c.invalidCount,
        invalid: c.invalid
      })),
      cut: this.#cut
    }
  }

  /** Looks at the current chunk's lines until the batch is full. */
  #take(): void {
    const counts = this.#counts[this.#input]
    if (counts === undefined) return
    const chunk = this.#chunk
    const urlOf = (id: number): string | null =>
      id >= this.#batchBase ? (this.#batch[id - this.#batchBase] ?? null) : this.#stored(id)
    while (this.#at < chunk.length && this.#batch.length < this.#batchSize) {
      const verdict = counts.parser.next(chunk[this.#at++] ?? '')
      if (verdict === null) continue
      if (typeof verdict !== 'string') {
        this.#invalid(counts, verdict)
        continue
      }
      if (this.#taken >= this.#maxUrls) {
        if (!this.#seen.add(verdict, this.#taken, urlOf)) {
          counts.duplicates++
          continue
        }
        this.#invalid(counts, {
          line: counts.parser.lineNo,
          text: verdict,
          reason: `URL limit of ${this.#maxUrls} reached: this line and the ones after it were not read`
        })
        this.#ended = true
        this.#cut = true
        void this.#closeChunks()
        return
      }
      if (this.#seen.add(verdict, this.#taken, urlOf)) {
        this.#batch.push(verdict)
        this.#taken++
        counts.urls++
      } else {
        counts.duplicates++
      }
    }
  }

  #invalid(counts: Counts, line: InvalidLine): void {
    counts.invalidCount++
    if (counts.invalid.length < INVALID_EXAMPLES) counts.invalid.push(line)
    this.#onInvalid?.(counts.label, line)
  }

  /** Moves on to the next chunk of lines (the next input's at the end of one); false at the end. */
  async #nextChunk(): Promise<boolean> {
    for (;;) {
      if (this.#ended) return false
      const input = this.#inputs[this.#input]
      if (input === undefined) {
        this.#ended = true
        return false
      }
      this.#chunks ??=
        Symbol.asyncIterator in input.lines
          ? input.lines[Symbol.asyncIterator]()
          : input.lines[Symbol.iterator]()
      const step = await this.#chunks.next()
      if (!step.done) {
        this.#chunk = step.value
        this.#at = 0
        return true
      }
      this.#chunks = null
      this.#chunk = []
      this.#at = 0
      this.#input++
    }
  }

  async #closeChunks(): Promise<void> {
    const chunks = this.#chunks
    this.#chunks = null
    this.#chunk = []
    this.#at = 0
    try {
      await chunks?.return?.()
    } catch {
      // A source that fails to close has nothing more to give either.
    }
  }
}
