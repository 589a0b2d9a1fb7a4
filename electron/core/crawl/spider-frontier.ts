import type { LiveSettings, RunConfig } from '../../../shared/config.ts'
import type { RequestResult } from '../../../shared/result.ts'
import { BandedQueue } from './banded-queue.ts'
import type { DocumentFetcher } from './document-fetch.ts'
import type { ExtractedLinks, LinkExtractorOptions } from './link-extractor.ts'
import { NormalizeMemo } from './normalize-url.ts'
import { loadSitemaps } from './sitemap-source.ts'
import { UrlAdmission, type AdmittedUrl, type Offered } from './url-admission.ts'
import type { FrontierPorts, FrontierTask, UrlFrontier, UrlTask } from './url-frontier.ts'

/**
 * Spider mode's frontier: the seeds (or a resumed run's pending URLs), then every link and sitemap
 * URL the admission gates accept (url-admission.ts), held lowest depth first until the engine
 * pulls them. Breadth first across the seam: the engine pulls the shallowest tasks, and its
 * scheduler again starts shallower ones first (HostScheduler's bands). A task found again by a
 * shorter path keeps one object from admission to its start, pulled or not, so the lower depth
 * reaches it wherever it waits.
 *
 * Sitemaps (the config's, and those robots.txt lists) are sources: their URLs are seeds at depth
 * 0, and the frontier is not settled while one is read. The config's are read before anything is
 * handed out, so a link cannot reach a sitemap URL first, at a greater depth.
 */

/** Sitemap fetches get this long each (they can be 50 MB). */
const SITEMAP_TIMEOUT_MS = 60_000

export interface SpiderFrontierOptions {
  readonly config: RunConfig
  /** The live settings at start (maxPages and perHostBudget). */
  readonly settings: Pick<LiveSettings, 'maxPages' | 'perHostBudget'>
  /** Seeds, or a resumed run's pending URLs. */
  readonly tasks: readonly UrlTask[]
  /** A resumed run's fetched URLs: deduped against, counted in maxPages. */
  readonly known?: Iterable<string>
  /** The first id a discovered URL gets (default: one past the largest task id). */
  readonly nextId?: number
  /** How sitemaps are fetched: over the run's HTTP client. */
  readonly fetch: DocumentFetcher
  readonly ports: FrontierPorts
}

/** A task the frontier holds: its depth and finder may still fall until it starts. */
class SpiderTask implements FrontierTask {
  readonly id: number
  readonly host: string
  depth: number
  foundOn: number | null
  readonly #href: string
  #url: URL | null

  constructor(entry: AdmittedUrl, url: URL | null = null) {
    this.id = entry.id
    this.host = entry.host
    this.depth = entry.depth
    this.foundOn = entry.foundOn
    this.#href = entry.url
    this.#url = url
  }

  /** Parsed when first asked for (when pulled), not while it waits. */
  get url(): URL {
    this.#url ??= new URL(this.#href)
    return this.#url
  }
}

function seedTask(task: UrlTask): SpiderTask {
  const url = new URL(task.url)
  url.hash = ''
  const entry = {
    id: task.id,
    url: url.href,
    host: url.host,
    depth: task.depth ?? 0,
    foundOn: task.foundOn ?? null
  }
  return new SpiderTask(entry, url)
}

export class SpiderFrontier implements UrlFrontier {
  readonly #admission: UrlAdmission
  readonly #queue = new BandedQueue<SpiderTask>((task) => task.depth)
  readonly #links: LinkExtractorOptions
  readonly #config: RunConfig
  readonly #fetch: DocumentFetcher
  readonly #ports: FrontierPorts
  readonly #sourcesAbort = new AbortController()
  readonly #seeds: number
  #total: number
  #sourcesPending = 0
  #holdForSitemaps = false
  #cancelled = false

  constructor(options: SpiderFrontierOptions) {
    const c = options.config
    const seeds = options.tasks.map(seedTask)
    let maxId = -1
    for (const seed of seeds) if (seed.id > maxId) maxId = seed.id
    const admission = new UrlAdmission({
      config: c,
      seeds: seeds.map((seed) => seed.url.href),
      nextId: options.nextId ?? maxId + 1,
      limits: { maxPages: options.settings.maxPages, perHostBudget: options.settings.perHostBudget }
    })
    for (const url of options.known ?? []) admission.noteKnown(url)
    for (const seed of seeds) {
      admission.noteKnown(seed.url.href, seed.depth)
      this.#queue.push(seed)
    }
    this.#admission = admission
    this.#seeds = seeds.length
    this.#total = seeds.length
    const normalize = { stripQueryParams: c.stripQueryParams }
    // One memo for the run: its pages share their navigation links, resolved once.
    this.#links = { ...normalize, memo: new NormalizeMemo(normalize) }
    this.#config = c
    this.#fetch = options.fetch
    this.#ports = options.ports
  }

  get total(): number {
    return this.#total
  }

  get pending(): number {
    return this.#queue.length
  }

  get settled(): boolean {
    return this.#sourcesPending === 0
  }

  start(): void {
    this.#emitDiscovered(null, [], this.#seeds)
    if (this.#config.sitemapUrls.length > 0) {
      this.#holdForSitemaps = true
      this.addSources(this.#config.sitemapUrls, () => {
        this.#holdForSitemaps = false
      })
    }
  }

  pull(max: number): readonly FrontierTask[] {
    if (this.#holdForSitemaps) return []
    const out: SpiderTask[] = []
    while (out.length < max) {
      const task = this.#queue.shift()
      if (task === undefined) break
      out.push(task)
    }
    return out
  }

  started(task: FrontierTask): void {
    this.#admission.started(task.url.href)
  }

  linksFrom(task: FrontierTask): LinkExtractorOptions | null {
    // Links on a page at the last depth lead nowhere: its body is not parsed for them.
    return this.#admission.followsFrom(task.depth) ? this.#links : null
  }

  finished(result: RequestResult, links: ExtractedLinks | null): number {
    if (result.finalUrl !== result.url) this.#admission.noteFinalUrl(result.finalUrl)
    if (!links || !result.ok) return 0
    return this.#admit(this.#admission.offerLinks(links.links, result), result.id)
  }

  updateSettings(settings: LiveSettings): void {
    this.#admission.setLimits({ maxPages: settings.maxPages, perHostBudget: settings.perHostBudget })
  }

  completed(): void {
    // The final totals (nothing queued any more), before run-finished closes the stream.
    this.#emitDiscovered(null, [])
  }

  cancel(): void {
    this.#cancelled = true
    this.#sourcesAbort.abort()
  }

  /** Sitemaps to read (the config's, or a robots.txt's): their URLs join at depth 0 as they are read. */
  addSources(sources: readonly string[], onRead?: () => void): void {
    this.#sourcesPending++
    void loadSitemaps(sources, {
      fetch: this.#fetch,
      userAgent: this.#config.userAgent,
      timeoutMs: SITEMAP_TIMEOUT_MS,
      signal: this.#sourcesAbort.signal,
      onUrls: (urls) => {
        if (this.#cancelled) return
        if (this.#admit(this.#admission.offerSitemapUrls(urls), null) > 0) this.#ports.wake()
      },
      onProblem: (message) => {
        if (!this.#cancelled) this.#ports.emit({ kind: 'sitemap-problem', message })
      }
    })
      .catch((error: unknown) => {
        // loadSitemaps reports failures rather than throwing: this is a bug, but the run goes on.
        const detail = error instanceof Error ? error.message : String(error)
        this.#ports.emit({ kind: 'sitemap-problem', message: `Reading sitemaps failed: ${detail}` })
      })
      .finally(() => {
        onRead?.()
        this.#sourcesPending--
        this.#ports.wake()
      })
  }

  /** Queues what the gates accepted and reports traps and the new totals; returns how many joined. */
  #admit(offered: Offered, foundOn: number | null): number {
    for (const entry of offered.accepted) {
      const task = new SpiderTask(entry)
      this.#admission.pend(entry.url, task)
      this.#queue.push(task)
    }
    this.#total += offered.accepted.length
    for (const { url, trap } of offered.trapped) {
      this.#ports.emit({ kind: 'trap-detected', url, code: trap.code, message: trap.message, foundOn })
    }
    this.#emitDiscovered(foundOn, offered.accepted)
    return offered.accepted.length
  }

  #emitDiscovered(foundOn: number | null, urls: readonly AdmittedUrl[], seeds = 0): void {
    this.#ports.emit({
      kind: 'url-discovered',
      foundOn,
      added: urls.length + seeds,
      urls: urls.map(({ id, url, depth, foundOn: on }) => ({ id, url, depth, foundOn: on })),
      frontier: this.#admission.counts(this.#ports.queuedInEngine() + this.#queue.length)
    })
  }
}
