import type { RunConfig } from '../../../shared/config.ts'
import type { FrontierCounts } from '../../../shared/events.ts'
import type { ExtractedLink } from './link-extractor.ts'
import { normalizeUrl, type NormalizeOptions } from './normalize-url.ts'
import { createScope, type Scope } from './scope.ts'
import {
  DEFAULT_TRAP_LIMITS,
  detectTrap,
  TrapMonitor,
  type LinkSource,
  type Trap,
  type TrapLimits
} from './traps.ts'

/**
 * The spider's admission gates: what decides whether a discovered URL is fetched. Every link goes
 * through the same gates, in order, each counted for the dashboard:
 *
 *   nofollow → depth → dedupe → scope → traps (rules, then the per-path query monitor)
 *            → maxPages → per-host budget → accepted (an id, its depth and the page it came from)
 *
 * Dedupe is a Set of normalised URLs (seeds, sitemap URLs, links, and the final URL a fetch was
 * redirected to). Out-of-scope and trapped URLs go into it too, so a link repeated on every page
 * is judged once. Memory, measured (250,000 distinct 60-character URLs offered): ~220 bytes per
 * URL, i.e. the string, its Set entry and the trap monitor's per-path state (at most 100,000 paths
 * kept); so a 50,000-page crawl whose pages link to 5× as many distinct URLs holds ~50 MB here.
 * Links refused for budget (depth, maxPages, per host) are not remembered: a live raise of the
 * budget can still reach them.
 *
 * Breadth first with many requests in flight: the scheduler starts shallower pages first and holds
 * a page back while pages two or more links shallower are in flight (HostScheduler's bands). A URL
 * found again at a smaller depth while it still waits (in the spider frontier or the scheduler)
 * takes that depth and that page (`pend`/`started`): otherwise a depth limit would cut off pages a
 * breadth-first walk reaches. (Once fetched, a page keeps its depth.)
 *
 * Pure bookkeeping: the spider frontier (spider-frontier.ts) holds the queue, the engine the results.
 */

export interface AdmittedUrl {
  readonly id: number
  readonly url: string
  readonly host: string
  readonly depth: number
  readonly foundOn: number | null
}

/** A queued URL's depth and finder, which a shorter path found later may still lower. */
export interface PendingDepth {
  depth: number
  foundOn: number | null
}

export interface TrappedUrl {
  readonly url: string
  readonly trap: Trap
}

export interface Offered {
  readonly accepted: readonly AdmittedUrl[]
  /** Trapped URLs worth reporting (each rule hit; the monitor's once per path). */
  readonly trapped: readonly TrappedUrl[]
}

export interface AdmissionOptions {
  readonly config: RunConfig
  /** The run's seed URLs (scope 'host'/'site' is drawn around them). */
  readonly seeds: readonly string[]
  /** The first id a discovered URL gets (list ids come before). */
  readonly nextId: number
  /** maxPages and perHostBudget as they stand now (they are live settings); default: the config's. */
  readonly limits?: AdmissionLimits
}

export interface AdmissionLimits {
  readonly maxPages: number
  readonly perHostBudget: number | null
}

function hostOf(url: string): string {
  return new URL(url).host
}

export class UrlAdmission {
  readonly #seen = new Set<string>()
  /** Accepted URLs not started yet. */
  readonly #pending = new Map<string, PendingDepth>()
  readonly #perHost = new Map<string, number>()
  readonly #scope: Scope
  readonly #monitor: TrapMonitor
  readonly #trapLimits: TrapLimits
  readonly #normalize: NormalizeOptions
  readonly #maxDepth: number
  readonly #followNofollow: boolean
  #limits: AdmissionLimits
  #nextId: number
  #accepted = 0
  #deduped = 0
  #outOfScope = 0
  #trapped = 0
  #overLimit = 0
  #nofollow = 0
  #maxDepthSeen = 0

  constructor(options: AdmissionOptions) {
    const c = options.config
    this.#scope = createScope({
      mode: c.scope,
      seeds: options.seeds,
      include: c.includePatterns,
      exclude: c.excludePatterns
    })
    this.#monitor = new TrapMonitor({
      maxVariantsPerPath: c.maxVariantsPerPath,
      maxVariantChain: c.maxVariantChain
    })
    this.#trapLimits = { ...DEFAULT_TRAP_LIMITS, maxUrlLength: c.maxUrlLength }
    this.#normalize = { stripQueryParams: c.stripQueryParams }
    this.#maxDepth = c.maxDepth
    this.#followNofollow = c.followNofollow
    this.#limits = options.limits ?? { maxPages: c.maxPages, perHostBudget: c.perHostBudget }
    this.#nextId = options.nextId
  }

  get maxDepth(): number {
    return this.#maxDepth
  }

  get normalizeOptions(): NormalizeOptions {
    return this.#normalize
  }

  setLimits(limits: AdmissionLimits): void {
    this.#limits = limits
  }

  /** A URL the run fetches whatever the gates say (a list URL / seed, or a resumed one): remembered and counted. */
  noteKnown(url: string, depth = 0): void {
    const key = this.#key(url)
    if (this.#seen.has(key)) return
    this.#seen.add(key)
    this.#accepted++
    const host = hostOf(key)
    this.#perHost.set(host, (this.#perHost.get(host) ?? 0) + 1)
    if (depth > this.#maxDepthSeen) this.#maxDepthSeen = depth
  }

  /** `url` (as accepted) waits in the queue: a shorter path found meanwhile may lower its depth. */
  pend(url: string, entry: PendingDepth): void {
    this.#pending.set(url, entry)
  }

  /** `url` started: its depth is final. */
  started(url: string): void {
    this.#pending.delete(url)
  }

  /** A fetch ended on another URL (a redirect): that URL is not fetched again. */
  noteFinalUrl(url: string): void {
    this.#seen.add(this.#key(url))
  }

  /** Whether links on a page at this depth can lead anywhere (saves parsing pages at the last depth). */
  followsFrom(depth: number): boolean {
    return depth < this.#maxDepth
  }

  /** A page's links (`from.url`: the URL the page was requested as). */
  offerLinks(
    links: readonly ExtractedLink[],
    from: { readonly id: number; readonly depth: number; readonly url: string }
  ): Offered {
    const accepted: AdmittedUrl[] = []
    const trapped: TrappedUrl[] = []
    const depth = from.depth + 1
    const source = this.#monitor.source(from.url)
    for (const link of links) {
      if (link.nofollow && !this.#followNofollow) {
        this.#nofollow++
        continue
      }
      if (depth > this.#maxDepth) {
        this.#overLimit++
        continue
      }
      this.#offer(link.url, depth, from.id, source, accepted, trapped)
    }
    return { accepted, trapped }
  }

  /** Sitemap URLs: depth 0, found on no page, through the same gates as links. */
  offerSitemapUrls(urls: readonly string[]): Offered {
    const accepted: AdmittedUrl[] = []
    const trapped: TrappedUrl[] = []
    for (const url of urls) this.#offer(this.#key(url), 0, null, undefined, accepted, trapped)
    return { accepted, trapped }
  }

  counts(queued: number): FrontierCounts {
    return {
      queued,
      discovered: this.#seen.size,
      deduped: this.#deduped,
      outOfScope: this.#outOfScope,
      trapped: this.#trapped,
      overLimit: this.#overLimit,
      nofollow: this.#nofollow,
      maxDepthSeen: this.#maxDepthSeen
    }
  }

  #key(url: string): string {
    const normal = normalizeUrl(url, url, this.#normalize)
    return normal.ok ? normal.url : url
  }

  #offer(
    url: string,
    depth: number,
    foundOn: number | null,
    source: LinkSource | undefined,
    accepted: AdmittedUrl[],
    trapped: TrappedUrl[]
  ): void {
    if (this.#seen.has(url)) {
      this.#deduped++
      const pending = this.#pending.get(url)
      if (pending && depth < pending.depth) {
        pending.depth = depth
        pending.foundOn = foundOn
      }
      return
    }
    if (!this.#scope.check(url).inScope) {
      this.#seen.add(url)
      this.#outOfScope++
      return
    }
    const trap = detectTrap(url, this.#trapLimits)
    if (trap) {
      this.#seen.add(url)
      this.#trapped++
      trapped.push({ url, trap })
      return
    }
    const watched = this.#monitor.observe(url, source)
    if (watched) {
      this.#seen.add(url)
      this.#trapped++
      if (watched.isNew) trapped.push({ url, trap: watched.trap })
      return
    }
    if (this.#accepted >= this.#limits.maxPages) {
      this.#overLimit++
      return
    }
    const host = hostOf(url)
    const onHost = this.#perHost.get(host) ?? 0
    if (this.#limits.perHostBudget !== null && onHost >= this.#limits.perHostBudget) {
      this.#overLimit++
      return
    }
    this.#seen.add(url)
    this.#accepted++
    this.#perHost.set(host, onHost + 1)
    if (depth > this.#maxDepthSeen) this.#maxDepthSeen = depth
    accepted.push({ id: this.#nextId++, url, host, depth, foundOn })
  }
}
