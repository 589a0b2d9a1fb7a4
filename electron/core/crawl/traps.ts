/**
 * Spider traps: URL spaces a site generates without end (relative links that nest a path forever,
 * calendars with a "next month" link, faceted search that appends a parameter per click, session
 * ids). A crawl with a page budget still finishes, but spends it on garbage; catching the pattern
 * early keeps the budget for real pages and lets the report say why those URLs were skipped.
 *
 * Two parts, both pure:
 * - detectTrap: rules on one URL (length, depth, repetition, query shape). Cheap; run it on every
 *   normalised URL before it enters the frontier.
 * - TrapMonitor: remembers, per path, the query variants seen so far and flags a path whose query
 *   keeps growing or that has produced too many variants, and a chain of pages each found on another
 *   query variant of itself (a calendar's "next month": same path, same query length, one new URL per
 *   page, forever). Feed it each new (deduplicated) URL with the page it was found on.
 */

export type TrapCode =
  | 'URL_TOO_LONG'
  | 'PATH_TOO_DEEP'
  | 'REPEATING_PATH'
  | 'TOO_MANY_QUERY_PARAMS'
  | 'REPEATING_QUERY_PARAM'
  | 'QUERY_TOO_LONG'
  | 'GROWING_QUERY'
  | 'TOO_MANY_VARIANTS'
  | 'VARIANT_CHAIN'

export interface Trap {
  readonly code: TrapCode
  readonly message: string
}

export interface TrapLimits {
  /** Characters in the whole URL. */
  readonly maxUrlLength: number
  /** Path segments (`/a/b/c` has 3). */
  readonly maxPathDepth: number
  /** Times one segment, or one run of segments, may occur back to back (`/a/b/a/b` is 2). */
  readonly maxRepeatedSegments: number
  /** Parameters (`&`-separated pairs) in the query. */
  readonly maxQueryParams: number
  /** Times one parameter name may occur in a query. */
  readonly maxRepeatedParams: number
  /** Characters in the query, without the `?`. */
  readonly maxQueryLength: number
}

/**
 * 2,048 characters is the sitemaps.org URL limit and about where old browsers and proxies stopped;
 * a deeper path than 32 or a segment repeated three times in a row is a relative-link loop far more
 * often than a real page (Heritrix's PathologicalPath rule uses the same 2 repetitions).
 */
export const DEFAULT_TRAP_LIMITS: TrapLimits = {
  maxUrlLength: 2_048,
  maxPathDepth: 32,
  maxRepeatedSegments: 2,
  maxQueryParams: 32,
  maxRepeatedParams: 4,
  maxQueryLength: 1_024
}

/** Longest segment run quoted in a message. */
const MAX_QUOTED = 60

function quoted(text: string): string {
  return JSON.stringify(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text)
}

/** The first trap rule this URL breaks, or null. Expects a normalised URL; an invalid one is null. */
export function detectTrap(url: string, limits: TrapLimits = DEFAULT_TRAP_LIMITS): Trap | null {
  // First, and before parsing: it bounds the work every later rule does.
  if (url.length > limits.maxUrlLength) {
    return {
      code: 'URL_TOO_LONG',
      message: `URL is ${url.length} characters, over the limit of ${limits.maxUrlLength}: raise Max URL length if the site really uses such URLs.`
    }
  }
  const parsed = URL.parse(url)
  if (parsed === null) return null
  return pathTrap(parsed.pathname, limits) ?? queryTrap(parsed.search.slice(1), limits)
}

function pathTrap(pathname: string, limits: TrapLimits): Trap | null {
  // `/a/b/` → ['a', 'b', '']: a trailing slash is not a segment of its own for depth, but empty
  // segments inside (`/a//b`) count, since `////…` is itself a way paths grow.
  const segments = pathname.slice(1).split('/')
  if (segments.at(-1) === '') segments.pop()
  if (segments.length > limits.maxPathDepth) {
    return {
      code: 'PATH_TOO_DEEP',
      message: `Path has ${segments.length} segments, over the limit of ${limits.maxPathDepth}: real sites rarely nest that deep; an include pattern can still reach such pages.`
    }
  }
  const repeat = longestRepeat(segments)
  if (repeat !== null && repeat.times > limits.maxRepeatedSegments) {
    return {
      code: 'REPEATING_PATH',
      message: `Path repeats ${quoted(`/${repeat.run.join('/')}`)} ${repeat.times} times in a row (limit ${limits.maxRepeatedSegments}): usually a relative link that nests itself.`
    }
  }
  return null
}

/**
 * The run of segments repeated back to back the most times: `a/b/a/b/a/b` → a/b ×3, `x/x/x` → x ×3.
 * For each period p, k consecutive positions with segment[i] === segment[i + p] mean a run of p
 * segments occurring floor(k / p) + 1 times: O(depth²) overall, whatever the limits are set to.
 */
export function longestRepeat(segments: readonly string[]): { run: readonly string[]; times: number } | null {
  let best: { run: readonly string[]; times: number } | null = null
  for (let period = 1; period * 2 <= segments.length; period++) {
    let matched = 0
    for (let i = 0; i + period < segments.length; i++) {
      if (segments[i] !== segments[i + period]) {
        matched = 0
        continue
      }
      matched++
      const times = Math.floor(matched / period) + 1
      if (times > 1 && (best === null || times > best.times)) {
        const start = i - matched + 1
        best = { run: segments.slice(start, start + period), times }
      }
    }
  }
  return best
}

function queryTrap(query: string, limits: TrapLimits): Trap | null {
  if (query === '') return null
  if (query.length > limits.maxQueryLength) {
    return {
      code: 'QUERY_TOO_LONG',
      message: `Query is ${query.length} characters, over the limit of ${limits.maxQueryLength}: usually state that grows with every click.`
    }
  }
  const pairs = query.split('&').filter((p) => p !== '')
  if (pairs.length > limits.maxQueryParams) {
    return {
      code: 'TOO_MANY_QUERY_PARAMS',
      message: `Query has ${pairs.length} parameters, over the limit of ${limits.maxQueryParams}: usually faceted navigation adding a filter per link.`
    }
  }
  const counts = new Map<string, number>()
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    const name = eq === -1 ? pair : pair.slice(0, eq)
    const count = (counts.get(name) ?? 0) + 1
    counts.set(name, count)
    if (count > limits.maxRepeatedParams) {
      return {
        code: 'REPEATING_QUERY_PARAM',
        message: `Query parameter ${quoted(name)} occurs more than ${limits.maxRepeatedParams} times: a link that appends to its own query.`
      }
    }
  }
  return null
}

export interface TrapMonitorOptions {
  /** A path whose query sets a new length record this many times is growing without end. */
  readonly maxQueryGrowthSteps: number
  /** Distinct query strings one path may have (calendars, ids on one path: raise it for the latter). */
  readonly maxVariantsPerPath: number
  /**
   * Pages in a row each found on another query variant of the same path (`/cal?m=1` found on `/cal`,
   * `/cal?m=2` on `/cal?m=1` …). Pagination makes such chains too, which is why this is a setting; a
   * crawl's depth limit bounds them anyway, so this matters where the depth limit is generous.
   */
  readonly maxVariantChain: number
  /** Paths remembered; the oldest is forgotten past this, so memory stays bounded on huge crawls. */
  readonly maxTrackedPaths: number
}

/**
 * Record counting: among n query lengths in no particular order, a new longest one appears about
 * ln(n) times (the harmonic number), so more than ten records takes tens of thousands of variants;
 * `?page=1…1000` makes four. A query that grows with every link followed makes one per URL.
 */
export const DEFAULT_TRAP_MONITOR_OPTIONS: TrapMonitorOptions = {
  maxQueryGrowthSteps: 10,
  maxVariantsPerPath: 10_000,
  maxVariantChain: 10,
  maxTrackedPaths: 100_000
}

/** The page a link was found on, as the monitor needs it (see TrapMonitor.source). */
export interface LinkSource {
  /** origin + path of the page, or null when it has none the monitor tracks. */
  readonly key: string | null
  /** Query variants of that path in a row leading to the page (0 when it is not one). */
  readonly chain: number
}

const NO_SOURCE: LinkSource = { key: null, chain: 0 }

interface PathState {
  variants: number
  longestQuery: number
  records: number
  /** Set once the path is flagged; later URLs on it are held back without a second report. */
  trap: Trap | null
  /** For GROWING_QUERY: only queries at least this long are held back; shorter ones are fine. */
  trappedFromLength: number
  /** VARIANT_CHAIN was reported for this path (later over-long chains are held back quietly). */
  chainReported: boolean
}

/** A URL belonging to a flagged path; `isNew` is true once per path, for the report. */
export interface TrapVerdict {
  readonly trap: Trap
  readonly isNew: boolean
}

export class TrapMonitor {
  readonly #opts: TrapMonitorOptions
  readonly #paths = new Map<string, PathState>()
  /** Chain length of each URL that is a query variant found on its own path (only those: ≥ 1). */
  readonly #chains = new Map<string, number>()

  constructor(opts: Partial<TrapMonitorOptions> = {}) {
    this.#opts = { ...DEFAULT_TRAP_MONITOR_OPTIONS, ...opts }
  }

  /** Paths being tracked (for tests and memory figures). */
  get trackedPaths(): number {
    return this.#paths.size
  }

  /** The page links come from (parse it once per page, not once per link). */
  source(pageUrl: string): LinkSource {
    const parsed = URL.parse(pageUrl)
    if (parsed === null) return NO_SOURCE
    return { key: `${parsed.origin}${parsed.pathname}`, chain: this.#chains.get(pageUrl) ?? 0 }
  }

  /**
   * Notes one new URL (call once per distinct URL: after dedupe, before enqueueing), with the page
   * it was found on when there is one. Returns null when the URL may be crawled, or the trap its
   * path fell into.
   */
  observe(url: string, from: LinkSource = NO_SOURCE): TrapVerdict | null {
    const parsed = URL.parse(url)
    if (parsed === null || parsed.search === '') return null
    const key = `${parsed.origin}${parsed.pathname}`
    const queryLength = parsed.search.length - 1
    const state = this.#state(key)
    if (state.trap !== null) {
      if (state.trap.code === 'GROWING_QUERY' && queryLength < state.trappedFromLength) return null
      return { trap: state.trap, isNew: false }
    }
    if (from.key === key) {
      const chain = from.chain + 1
      if (chain > this.#opts.maxVariantChain) {
        const isNew = !state.chainReported
        state.chainReported = true
        return {
          trap: {
            code: 'VARIANT_CHAIN',
            message: `${key}: ${this.#opts.maxVariantChain} pages in a row each link to another query variant of the same page (a calendar's "next", endless paging?); the chain is not followed further. Raise Query variant chain if they are real pages.`
          },
          isNew
        }
      }
      this.#remember(url, chain)
    }
    state.variants++
    if (queryLength > state.longestQuery) {
      state.longestQuery = queryLength
      state.records++
    }
    if (state.records > this.#opts.maxQueryGrowthSteps) {
      state.trap = {
        code: 'GROWING_QUERY',
        message: `${key}: the query grew to a new length ${state.records} times (now ${queryLength} characters); longer variants are skipped (shorter ones are still followed).`
      }
      state.trappedFromLength = queryLength
    } else if (state.variants > this.#opts.maxVariantsPerPath) {
      state.trap = {
        code: 'TOO_MANY_VARIANTS',
        message: `${key}: more than ${this.#opts.maxVariantsPerPath} query variants of one path (a calendar or endless filter?); further variants are skipped. Raise Query variants per path if they are real pages.`
      }
    }
    return state.trap === null ? null : { trap: state.trap, isNew: true }
  }

  #remember(url: string, chain: number): void {
    if (this.#chains.size >= this.#opts.maxTrackedPaths) {
      const oldest = this.#chains.keys().next()
      if (oldest.done !== true) this.#chains.delete(oldest.value)
    }
    this.#chains.set(url, chain)
  }

  #state(key: string): PathState {
    let state = this.#paths.get(key)
    if (state === undefined) {
      state = {
        variants: 0,
        longestQuery: -1,
        records: 0,
        trap: null,
        trappedFromLength: 0,
        chainReported: false
      }
      // Map keeps insertion order: the first key is the path seen longest ago.
      if (this.#paths.size >= this.#opts.maxTrackedPaths) {
        const oldest = this.#paths.keys().next()
        if (oldest.done !== true) this.#paths.delete(oldest.value)
      }
      this.#paths.set(key, state)
    }
    return state
  }
}
