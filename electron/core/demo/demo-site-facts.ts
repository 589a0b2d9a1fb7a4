import {
  demoSite,
  parseSiteUrl,
  siteLatencyMs,
  siteRobotsAllows,
  sitemapPaths,
  SITE_PREFIX,
  treeLevel,
  type DemoSite,
  type DemoSiteOptions,
  type SitePageKind
} from './demo-site.ts'
import { sitePageModel, type SiteTrap } from './demo-site-links.ts'

/**
 * What a spider should find on the synthetic site, computed from the same link lists the server
 * renders: tests assert exact counts and the benchmark its ideal wall time. A breadth-first walk
 * from /site/ that behaves like a careful crawler: it follows links from 200 HTML pages only, honours
 * rel=nofollow and the robots meta, obeys the site's robots.txt (`*` group), fetches each URL once
 * (fragments dropped; optionally utm_* parameters too), stays on the site, and stops at the traps.
 */

export interface SiteWalkOptions {
  /** Follow nofollow links too; default false. */
  readonly followNofollow?: boolean
  /** Skip what robots.txt disallows; default true. */
  readonly respectRobots?: boolean
  /** Drop utm_* query parameters before deduplicating, as stripQueryParams [/^utm_/]; default false. */
  readonly stripTracking?: boolean
  /** Seed with every sitemap entry too, at depth 0; default false. */
  readonly fromSitemaps?: boolean
  /** Links found on pages at this depth are not followed; default Infinity. */
  readonly maxDepth?: number
}

export interface SiteUrlFact {
  /** Path and query, e.g. `/site/p/12?utm_source=feed`. */
  readonly path: string
  /** Fewest links from a seed. */
  readonly depth: number
  readonly status: number
  /** 'missing' for a URL the site does not have (a stale sitemap entry). */
  readonly kind: SitePageKind | 'missing'
  readonly latencyMs: number
}

export interface SiteTrapEntry {
  readonly path: string
  readonly trap: SiteTrap
  readonly depth: number
}

export interface DemoSiteFacts {
  readonly site: DemoSite
  readonly seedPath: string
  readonly walk: Required<SiteWalkOptions>
  /**
   * Every URL the walk fetches, breadth-first, trap space excluded: a spider fetches these plus the
   * trap entries and as many trap URLs beyond them as its trap rules let through.
   */
  readonly fetched: readonly SiteUrlFact[]
  /** fetched per depth: depthCounts[d] URLs at depth d. */
  readonly depthCounts: readonly number[]
  readonly maxDepth: number
  /** Tree level of the last page; no page is fewer links from the home page than its level. */
  readonly treeDepth: number
  readonly statusCounts: Readonly<Record<number, number>>
  /** Paths fetched only when nofollow links are followed (the rest of the walk as asked). */
  readonly nofollowOnly: readonly string[]
  /** URLs met that robots.txt disallows: ROBOTS_DISALLOWED results, or fetched if robots are ignored. */
  readonly disallowed: readonly SiteUrlFact[]
  /** Sitemap entries that exist but no page links to, nofollow or not. */
  readonly orphans: readonly string[]
  /** Sitemap entries for pages that are gone (404). */
  readonly staleSitemapUrls: readonly string[]
  /** Paths listed in sitemap-1.xml and sitemap-2.xml.gz, in order. */
  readonly sitemapUrls: readonly string[]
  readonly trapEntries: readonly SiteTrapEntry[]
  /** Off-site URLs linked from fetched pages (normalised, deduplicated, sorted). */
  readonly external: readonly string[]
  /** Fetched paths that carry utm_* parameters (none when they are stripped). */
  readonly tracking: readonly string[]
  /** Sum of the server's delays over fetched URLs (retries not included). */
  readonly totalLatencyMs: number
  /** The longest chain of delays a crawl with unlimited concurrency must wait for. */
  readonly criticalPathMs: number
}

/** Lower bound on a spider's wall time at a concurrency: the work spread evenly, or the critical path. */
export function idealWallMs(facts: DemoSiteFacts, concurrency: number): number {
  return Math.max(facts.totalLatencyMs / Math.max(1, concurrency), facts.criticalPathMs)
}

// Links are compared by their computed targets, so the host only shapes hrefs nobody reads here.
const FACTS_HOST = 'demo-site.invalid'

function stripTracking(path: string): string {
  const q = path.indexOf('?')
  if (q === -1 || !path.includes('utm_', q)) return path
  const kept = path
    .slice(q + 1)
    .split('&')
    .filter((pair) => !decodeURIComponent(pair.split('=')[0] ?? '').startsWith('utm_'))
  return kept.length === 0 ? path.slice(0, q) : `${path.slice(0, q)}?${kept.join('&')}`
}

interface Walk {
  readonly fetched: SiteUrlFact[]
  readonly disallowed: SiteUrlFact[]
  readonly trapEntries: SiteTrapEntry[]
  readonly external: Set<string>
  /** Followed links as pairs of ids (index in `met`): edgeFrom[i] → edgeTo[i]. */
  readonly edgeFrom: number[]
  readonly edgeTo: number[]
  /** Every URL met, by id; latency per id, -1 when not fetched. */
  readonly met: string[]
  readonly latencyOf: number[]
  /** Seeds hold the first ids. */
  seedCount: number
  /** Every site target of any link on an expanded page, followed or not (when asked to collect). */
  readonly linked: Set<string>
}

function walkSite(site: DemoSite, w: Required<SiteWalkOptions>, collectLinked = false): Walk {
  const result: Walk = {
    fetched: [],
    disallowed: [],
    trapEntries: [],
    external: new Set(),
    edgeFrom: [],
    edgeTo: [],
    met: [],
    latencyOf: [],
    seedCount: 0,
    linked: new Set()
  }
  const { met, latencyOf } = result
  const idOf = new Map<string, number>()
  const depthOf: number[] = []
  const meet = (path: string, depth: number): number => {
    let id = idOf.get(path)
    if (id === undefined) {
      id = met.length
      idOf.set(path, id)
      met.push(path)
      depthOf.push(depth)
      latencyOf.push(-1)
    }
    return id
  }
  meet(SITE_PREFIX, 0)
  if (w.fromSitemaps) for (const part of [1, 2] as const) for (const p of sitemapPaths(site, part)) meet(p, 0)
  result.seedCount = met.length

  // met doubles as the breadth-first queue: ids are handed out in the order URLs are met.
  for (let id = 0; id < met.length; id++) {
    const path = met[id] ?? ''
    const depth = depthOf[id] ?? 0
    const page = parseSiteUrl(site, path)
    if (page !== null && (page.kind === 'calendar' || page.kind === 'repeat')) {
      result.trapEntries.push({ path, trap: page.kind === 'calendar' ? 'calendar' : 'repeating-path', depth })
      continue
    }
    if (page === null) {
      latencyOf[id] = 0
      result.fetched.push({ path, depth, status: 404, kind: 'missing', latencyMs: 0 })
      continue
    }
    const latencyMs = siteLatencyMs(site, page, path)
    const isHtml = page.kind !== 'file' && page.kind !== 'sitemap' && page.kind !== 'sitemap-index'
    const model = isHtml ? sitePageModel(site, page, FACTS_HOST) : null
    const fact: SiteUrlFact = { path, depth, status: model?.status ?? 200, kind: page.kind, latencyMs }
    if (!siteRobotsAllows(path)) {
      result.disallowed.push(fact)
      if (w.respectRobots) continue
    }
    latencyOf[id] = latencyMs
    result.fetched.push(fact)
    if (model === null || model.status !== 200 || depth >= w.maxDepth) continue
    for (const link of model.links) {
      if (link.to.on === 'ignored') continue
      if (collectLinked && link.to.on === 'site') result.linked.add(link.to.path)
      if (link.nofollow && !w.followNofollow) continue
      if (link.to.on === 'external') {
        result.external.add(link.to.url)
        continue
      }
      const target = w.stripTracking ? stripTracking(link.to.path) : link.to.path
      result.edgeFrom.push(id)
      result.edgeTo.push(meet(target, depth + 1))
    }
  }
  return result
}

/**
 * Earliest finish per URL with unlimited concurrency, Dijkstra over the followed links: a URL
 * starts when the first page linking it has finished. The latest of these is the critical path.
 */
function criticalPath(walk: Walk): number {
  const count = walk.met.length
  // Links grouped by source (compressed sparse rows), so relaxing a page reads one slice.
  const start = new Int32Array(count + 1)
  for (const from of walk.edgeFrom) start[from + 1] = (start[from + 1] ?? 0) + 1
  for (let i = 0; i < count; i++) start[i + 1] = (start[i + 1] ?? 0) + (start[i] ?? 0)
  const fill = start.slice(0, count)
  const targets = new Int32Array(walk.edgeTo.length)
  walk.edgeFrom.forEach((from, i) => {
    const at = fill[from] ?? 0
    targets[at] = walk.edgeTo[i] ?? 0
    fill[from] = at + 1
  })
  const best = new Float64Array(count).fill(Infinity)
  const heap = new MinHeap()
  for (let id = 0; id < walk.seedCount; id++) {
    const ms = walk.latencyOf[id] ?? -1
    if (ms >= 0) {
      best[id] = ms
      heap.push(ms, id)
    }
  }
  let longest = 0
  while (heap.size > 0) {
    const at = heap.topKey()
    const id = heap.pop()
    if (at > (best[id] ?? Infinity)) continue
    longest = Math.max(longest, at)
    for (let e = start[id] ?? 0; e < (start[id + 1] ?? 0); e++) {
      const next = targets[e] ?? 0
      const ms = walk.latencyOf[next] ?? -1
      if (ms >= 0 && at + ms < (best[next] ?? Infinity)) {
        best[next] = at + ms
        heap.push(at + ms, next)
      }
    }
  }
  return longest
}

/** A binary min-heap of (key, id) in two parallel arrays. */
class MinHeap {
  readonly #keys: number[] = []
  readonly #ids: number[] = []

  get size(): number {
    return this.#keys.length
  }

  topKey(): number {
    return this.#keys[0] ?? Infinity
  }

  push(key: number, id: number): void {
    const keys = this.#keys
    const ids = this.#ids
    let i = keys.length
    keys.push(key)
    ids.push(id)
    while (i > 0) {
      const parent = (i - 1) >> 1
      const parentKey = keys[parent] ?? -Infinity
      if (parentKey <= key) break
      keys[i] = parentKey
      ids[i] = ids[parent] ?? 0
      i = parent
    }
    keys[i] = key
    ids[i] = id
  }

  /** Removes the smallest entry and returns its id (the heap must not be empty). */
  pop(): number {
    const keys = this.#keys
    const ids = this.#ids
    const top = ids[0] ?? 0
    const key = keys.pop() ?? 0
    const id = ids.pop() ?? 0
    const n = keys.length
    if (n === 0) return top
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      const child = r < n && (keys[r] ?? 0) < (keys[l] ?? 0) ? r : l
      if ((keys[child] ?? 0) >= key) break
      keys[i] = keys[child] ?? 0
      ids[i] = ids[child] ?? 0
      i = child
    }
    keys[i] = key
    ids[i] = id
    return top
  }
}

function nofollowOnlyPaths(site: DemoSite, w: Required<SiteWalkOptions>, main: Walk): string[] {
  const other = walkSite(site, { ...w, followNofollow: !w.followNofollow })
  const [without, withNofollow] = w.followNofollow ? [other, main] : [main, other]
  const plain = new Set(without.fetched.map((f) => f.path))
  return withNofollow.fetched.map((f) => f.path).filter((p) => !plain.has(p))
}

/** Sitemap entries that exist and that no link anywhere on the site points to. */
function orphanPaths(site: DemoSite, sitemapUrls: readonly string[]): string[] {
  const everything = walkSite(
    site,
    {
      followNofollow: true,
      respectRobots: false,
      stripTracking: false,
      fromSitemaps: false,
      maxDepth: Infinity
    },
    true
  )
  return sitemapUrls.filter((p) => !everything.linked.has(p) && parseSiteUrl(site, p) !== null)
}

/**
 * Facts for a site of `pages` pages (or the options a demo target was started with: pass
 * target.site) and a crawler that behaves as `walk` says. O(pages) time and memory: one walk of the
 * site (a 50,000-page site takes 1–2 s), and one more each for nofollowOnly and orphans when read.
 */
export function siteFacts(site: number | DemoSiteOptions, walk: SiteWalkOptions = {}): DemoSiteFacts {
  const resolved = demoSite(site)
  const w: Required<SiteWalkOptions> = {
    followNofollow: walk.followNofollow ?? false,
    respectRobots: walk.respectRobots ?? true,
    stripTracking: walk.stripTracking ?? false,
    fromSitemaps: walk.fromSitemaps ?? false,
    maxDepth: walk.maxDepth ?? Infinity
  }
  const main = walkSite(resolved, w)
  const sitemapUrls = [...sitemapPaths(resolved, 1), ...sitemapPaths(resolved, 2)]

  let nofollowOnly: readonly string[] | undefined
  let orphans: readonly string[] | undefined
  const depthCounts: number[] = []
  const statusCounts: Record<number, number> = {}
  let totalLatencyMs = 0
  for (const f of main.fetched) {
    depthCounts[f.depth] = (depthCounts[f.depth] ?? 0) + 1
    statusCounts[f.status] = (statusCounts[f.status] ?? 0) + 1
    totalLatencyMs += f.latencyMs
  }
  return {
    site: resolved,
    seedPath: SITE_PREFIX,
    walk: w,
    fetched: main.fetched,
    depthCounts: Array.from({ length: depthCounts.length }, (_, d) => depthCounts[d] ?? 0),
    maxDepth: depthCounts.length - 1,
    treeDepth: treeLevel(resolved.pages - 1),
    statusCounts,
    // These two take a walk each, so they are only worked out when read.
    get nofollowOnly() {
      nofollowOnly ??= nofollowOnlyPaths(resolved, w, main)
      return nofollowOnly
    },
    disallowed: main.disallowed,
    get orphans() {
      orphans ??= orphanPaths(resolved, sitemapUrls)
      return orphans
    },
    staleSitemapUrls: sitemapUrls.filter((p) => parseSiteUrl(resolved, p) === null),
    sitemapUrls,
    trapEntries: main.trapEntries,
    external: [...main.external].sort(),
    tracking: main.fetched.map((f) => f.path).filter((p) => /[?&]utm_/.test(p)),
    totalLatencyMs,
    criticalPathMs: criticalPath(main)
  }
}
