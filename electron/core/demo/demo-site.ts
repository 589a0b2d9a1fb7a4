import { hashString, MAX_DELAY_MS, mulberry32, randInt, sampleLognormal } from './demo-random.ts'

/**
 * The synthetic site for spider mode (issue 5), served under /site/. Every page is computed from
 * its URL and the site's options, never stored, so a 50,000-page site costs the server no memory,
 * and siteFacts (demo-site-facts.ts) walks the very link lists the server renders.
 *
 * Shape: pages 0 … pages-1 form a tree in heap order (page n's children are 8n+1 … 8n+8), so the
 * depth of the site is known. Besides its children, a page links to its ancestors, the section
 * pages, its previous and next sibling and three random pages with a smaller number: none of these
 * is on a deeper tree level, and only leaves fail (404/500), so every tree page is exactly its tree
 * level away from the home page. Around the tree: pages only reachable through nofollow links, a
 * section robots.txt disallows, orphans listed only in a sitemap, PDF files, tracking and sort
 * variants, links to another host, and two spider traps (a calendar and a folder that nests itself).
 */

export const SITE_PREFIX = '/site/'
/** Children per tree page. */
export const SITE_BRANCHING = 8
export const DEMO_SITE_MAX_PAGES = 10_000_000
/** Tree pages listed in /site/sitemap-1.xml at most (the home page and pages 1 … this). */
export const SITEMAP_1_MAX_PAGES = 2_000
/** Path segments a /site/a/b/a/… trap URL may have before it answers 404. */
export const REPEAT_TRAP_MAX_SEGMENTS = 200
/** The external host the site links to: `.example` never resolves (RFC 2606). */
export const SITE_EXTERNAL_HOST = 'partner.example'

export type DemoLatency =
  | { readonly dist: 'fixed'; readonly ms: number }
  | { readonly dist: 'uniform'; readonly minMs: number; readonly maxMs: number }
  | { readonly dist: 'lognormal'; readonly medianMs: number; readonly p99Ms: number }

/** Faults by stride: every Nth tree page (0 = none). Strides give exact, evenly spread counts. */
export interface DemoSiteFaults {
  readonly notFoundEvery: number
  readonly serverErrorEvery: number
  readonly slowEvery: number
  /** Latency of a slow page, instead of the site's distribution. */
  readonly slowMs: number
}

export interface DemoSiteOptions {
  /** Tree pages, home included; default 300 (a workshop crawl of a minute or so). */
  readonly pages?: number
  /** Seeds titles, text, random links, fault positions and latencies. */
  readonly seed?: number
  /** Per-page latency; default log-normal, median 40 ms, p99 400 ms. */
  readonly latency?: DemoLatency
  /** false: every tree page answers 200 at the site's latency (benchmarks). */
  readonly faults?: Partial<DemoSiteFaults> | false
}

export interface DemoSite {
  readonly pages: number
  readonly seed: number
  readonly latency: DemoLatency
  readonly faults: DemoSiteFaults
}

export const DEMO_SITE_DEFAULTS: DemoSite = Object.freeze({
  pages: 300,
  seed: 1,
  latency: Object.freeze({ dist: 'lognormal', medianMs: 40, p99Ms: 400 }),
  faults: Object.freeze({ notFoundEvery: 50, serverErrorEvery: 97, slowEvery: 43, slowMs: 2_500 })
})

const NO_FAULTS: DemoSiteFaults = Object.freeze({
  notFoundEvery: 0,
  serverErrorEvery: 0,
  slowEvery: 0,
  slowMs: 0
})

function checkInt(value: number, name: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`demo site: ${name} must be an integer from ${min} to ${max}, got ${value}`)
  }
  return value
}

function checkLatency(latency: DemoLatency): DemoLatency {
  const ms = (value: number, name: string) => checkInt(value, `latency.${name}`, 0, MAX_DELAY_MS)
  switch (latency.dist) {
    case 'fixed':
      return { dist: 'fixed', ms: ms(latency.ms, 'ms') }
    case 'uniform':
      if (ms(latency.maxMs, 'maxMs') < ms(latency.minMs, 'minMs')) {
        throw new RangeError('demo site: latency.maxMs must be at least latency.minMs')
      }
      return { ...latency }
    case 'lognormal':
      if (ms(latency.p99Ms, 'p99Ms') < ms(latency.medianMs, 'medianMs') || latency.medianMs < 1) {
        throw new RangeError('demo site: latency needs 1 <= medianMs <= p99Ms')
      }
      return { ...latency }
  }
}

/** Options with defaults filled in and checked; throws a RangeError naming a bad value. */
export function demoSite(opts: number | DemoSiteOptions = {}): DemoSite {
  const o = typeof opts === 'number' ? { pages: opts } : opts
  const faults = o.faults === false ? NO_FAULTS : { ...DEMO_SITE_DEFAULTS.faults, ...o.faults }
  for (const key of ['notFoundEvery', 'serverErrorEvery', 'slowEvery'] as const) {
    checkInt(faults[key], `faults.${key}`, 0, DEMO_SITE_MAX_PAGES)
  }
  checkInt(faults.slowMs, 'faults.slowMs', 0, MAX_DELAY_MS)
  return Object.freeze({
    pages: checkInt(o.pages ?? DEMO_SITE_DEFAULTS.pages, 'pages', 1, DEMO_SITE_MAX_PAGES),
    seed: checkInt(o.seed ?? DEMO_SITE_DEFAULTS.seed, 'seed', -(2 ** 31), 2 ** 32),
    latency: Object.freeze(checkLatency(o.latency ?? DEMO_SITE_DEFAULTS.latency)),
    faults: Object.freeze(faults)
  })
}

// ---- the tree ---------------------------------------------------------------------------------

export function treeParent(n: number): number | null {
  return n === 0 ? null : Math.floor((n - 1) / SITE_BRANCHING)
}

/** Level in the tree: 0 for the home page, 1 for the sections … */
export function treeLevel(n: number): number {
  let level = 0
  for (let m = n; m > 0; m = Math.floor((m - 1) / SITE_BRANCHING)) level++
  return level
}

export function treeChildren(site: DemoSite, n: number): number[] {
  const first = SITE_BRANCHING * n + 1
  const children: number[] = []
  for (let c = first; c < first + SITE_BRANCHING && c < site.pages; c++) children.push(c)
  return children
}

export function treePath(n: number): string {
  return n === 0 ? SITE_PREFIX : `${SITE_PREFIX}p/${n}`
}

/** Pages of each extra family (nofollow targets, private pages, orphans): 1% of the tree, at least 2. */
export function familySize(site: DemoSite): number {
  return Math.max(2, Math.ceil(site.pages / 100))
}

export type SiteFault = 'none' | 'not-found' | 'server-error' | 'slow'

function strideHit(site: DemoSite, n: number, every: number, salt: string): boolean {
  return every > 0 && n % every === hashString(`${site.seed}:${salt}`) % every
}

/**
 * The home page and the sections stay healthy, so every crawl gets going. Only leaves fail (404,
 * 500), so every page that has children is reached at exactly its tree level.
 */
export function treeFault(site: DemoSite, n: number): SiteFault {
  if (n <= SITE_BRANCHING) return 'none'
  const { faults } = site
  if (SITE_BRANCHING * n + 1 >= site.pages) {
    if (strideHit(site, n, faults.notFoundEvery, '404')) return 'not-found'
    if (strideHit(site, n, faults.serverErrorEvery, '500')) return 'server-error'
  }
  if (strideHit(site, n, faults.slowEvery, 'slow')) return 'slow'
  return 'none'
}

// ---- URLs -------------------------------------------------------------------------------------

export type SitePage =
  | { readonly kind: 'home' }
  | { readonly kind: 'tree'; readonly n: number }
  | { readonly kind: 'nofollow-target'; readonly k: number }
  | { readonly kind: 'meta-nofollow' }
  | { readonly kind: 'private'; readonly k: number }
  | { readonly kind: 'press-kit' }
  | { readonly kind: 'orphan'; readonly k: number }
  | { readonly kind: 'file'; readonly n: number }
  /** month = year * 12 + (month - 1) */
  | { readonly kind: 'calendar'; readonly month: number }
  | { readonly kind: 'repeat'; readonly segments: number }
  | { readonly kind: 'sitemap-index' }
  | { readonly kind: 'sitemap'; readonly part: 1 | 2 }

export type SitePageKind = SitePage['kind']

/** Calendar months as year * 12 + (month - 1): 1000-01 … 9999-12; /site/calendar alone is 2025-01. */
export const CALENDAR_FIRST_MONTH = 1000 * 12
export const CALENDAR_LAST_MONTH = 9999 * 12 + 11
const CALENDAR_DEFAULT = 2025 * 12

export function calendarMonth(month: number): string {
  return `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`
}

function parseMonth(raw: string | null): number | null {
  if (raw === null) return CALENDAR_DEFAULT
  const m = /^(\d{4})-(\d{2})$/.exec(raw)
  if (!m) return null
  const month = Number(m[1]) * 12 + Number(m[2]) - 1
  return Number(m[2]) >= 1 &&
    Number(m[2]) <= 12 &&
    month >= CALENDAR_FIRST_MONTH &&
    month <= CALENDAR_LAST_MONTH
    ? month
    : null
}

/** A canonical decimal below `limit` (no sign, no leading zero), else null. */
function index(raw: string | undefined, limit: number, min = 0): number | null {
  if (raw === undefined || !/^(0|[1-9]\d{0,8})$/.test(raw)) return null
  const n = Number(raw)
  return n >= min && n < limit ? n : null
}

const REPEAT = /^(?:a\/b\/)*(?:a\/)?$/

/**
 * The page a raw request target names (`/site/p/12?utm_source=x`), or null for a 404. Queries are
 * ignored except the calendar's month, so tracking and sort variants show the same page.
 */
export function parseSiteUrl(site: DemoSite, target: string): SitePage | null {
  const q = target.indexOf('?')
  const path = q === -1 ? target : target.slice(0, q)
  if (!path.startsWith(SITE_PREFIX)) return null
  const rest = path.slice(SITE_PREFIX.length)
  if (rest === '') return { kind: 'home' }
  if (rest === 'sitemap.xml') return { kind: 'sitemap-index' }
  if (rest === 'sitemap-1.xml') return { kind: 'sitemap', part: 1 }
  if (rest === 'sitemap-2.xml.gz') return { kind: 'sitemap', part: 2 }
  if (rest === 'meta-nofollow') return { kind: 'meta-nofollow' }
  if (rest === 'private/press-kit') return { kind: 'press-kit' }
  if (rest === 'calendar') {
    const month = parseMonth(new URLSearchParams(q === -1 ? '' : target.slice(q)).get('month'))
    return month === null ? null : { kind: 'calendar', month }
  }
  if (REPEAT.test(rest)) {
    const segments = rest.length / 2
    return segments <= REPEAT_TRAP_MAX_SEGMENTS ? { kind: 'repeat', segments } : null
  }
  const [dir, name, extra] = rest.split('/')
  if (extra !== undefined) return null
  const family = familySize(site)
  let n: number | null
  switch (dir ?? '') {
    case 'p':
      n = index(name, site.pages, 1)
      return n === null ? null : { kind: 'tree', n }
    case 'nf':
      n = index(name, family)
      return n === null ? null : { kind: 'nofollow-target', k: n }
    case 'private':
      n = index(name, family)
      return n === null ? null : { kind: 'private', k: n }
    case 'orphan':
      n = index(name, family)
      return n === null ? null : { kind: 'orphan', k: n }
    case 'files': {
      const m = /^report-(\d+)\.pdf$/.exec(name ?? '')
      n = index(m?.[1], site.pages, 1)
      return n === null ? null : { kind: 'file', n }
    }
    default:
      return null
  }
}

/** Milliseconds the server waits before answering `target` (path and query): seeded by both. */
export function siteLatencyMs(site: DemoSite, page: SitePage, target: string): number {
  if (page.kind === 'sitemap' || page.kind === 'sitemap-index') return 0
  if (page.kind === 'tree' && treeFault(site, page.n) === 'slow') return site.faults.slowMs
  const { latency } = site
  if (latency.dist === 'fixed') return latency.ms
  const rng = mulberry32(hashString(`${site.seed}|${target}`))
  if (latency.dist === 'uniform') return randInt(rng, latency.minMs, latency.maxMs)
  return Math.min(MAX_DELAY_MS, Math.round(sampleLognormal(rng, latency.medianMs, latency.p99Ms)))
}

// ---- robots.txt -------------------------------------------------------------------------------

/**
 * What /robots.txt answers (one per origin, or one for all): the site's rules (default), none at
 * all (404, so everything is allowed: RFC 9309 §2.3.1.3), everything disallowed, or any status and
 * text (5xx makes a crawler treat the whole origin as disallowed, §2.3.1.4). A function gets the
 * origin, for Sitemap lines.
 */
export type DemoRobots =
  | 'site'
  | 'none'
  | 'disallow-all'
  | { readonly status?: number; readonly text?: string | ((origin: string) => string) }

export interface SiteRobotsRule {
  readonly allow: boolean
  /** RFC 9309 pattern: `*` any characters, a final `$` the end of the path. */
  readonly pattern: string
}

/** The rules every agent gets (the `*` group); robots.txt and siteFacts both read this list. */
export const SITE_ROBOTS_RULES: readonly SiteRobotsRule[] = Object.freeze([
  { allow: false, pattern: '/site/private/' },
  // Longer than the Disallow above, so it wins (RFC 9309 §2.2.2).
  { allow: true, pattern: '/site/private/press-kit' },
  { allow: false, pattern: '/site/*?sort=' },
  { allow: false, pattern: '/site/*.pdf$' }
])

/** The only agent robots.txt gives a Crawl-delay, so a crawl with the default user agent is not slowed. */
export const DEMO_SLOW_AGENT = 'Crawlboard-Slow'
export const DEMO_SLOW_AGENT_DELAY_S = 1
/** An agent robots.txt shuts out entirely. */
export const DEMO_BLOCKED_AGENT = 'BadBot'

function ruleRegex(pattern: string): RegExp {
  const anchored = pattern.endsWith('$')
  const body = (anchored ? pattern.slice(0, -1) : pattern)
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${body}${anchored ? '$' : ''}`)
}

const RULE_REGEXES = SITE_ROBOTS_RULES.map((rule) => ({ ...rule, regex: ruleRegex(rule.pattern) }))

/**
 * RFC 9309 §2.2.2 for the `*` group of the site's robots.txt: the longest matching pattern decides,
 * Allow wins a tie, no match allows. `target` is the path and query.
 */
export function siteRobotsAllows(target: string): boolean {
  let best: { allow: boolean; length: number } | null = null
  for (const rule of RULE_REGEXES) {
    if (!rule.regex.test(target)) continue
    const length = rule.pattern.length
    if (best === null || length > best.length || (length === best.length && rule.allow)) {
      best = { allow: rule.allow, length }
    }
  }
  return best?.allow ?? true
}

/** robots.txt for the site on `origin` (RFC 9309): the rules, a slow agent, a blocked agent, sitemaps. */
export function siteRobotsTxt(origin: string): string {
  const rules = SITE_ROBOTS_RULES.map((r) => `${r.allow ? 'Allow' : 'Disallow'}: ${r.pattern}`).join('\n')
  return `# robots.txt of the Crawlboard demo target; the synthetic site lives under ${SITE_PREFIX}
# Crawl-delay is set for ${DEMO_SLOW_AGENT} only, so a crawl with the default user agent is not
# slowed: set the user agent to "${DEMO_SLOW_AGENT}/1.0" to see it honoured.

User-agent: ${DEMO_SLOW_AGENT}
Crawl-delay: ${DEMO_SLOW_AGENT_DELAY_S}
${rules}

User-agent: ${DEMO_BLOCKED_AGENT}
Disallow: /

User-agent: *
${rules}

Sitemap: ${origin}${SITE_PREFIX}sitemap.xml
`
}

// ---- sitemaps ---------------------------------------------------------------------------------

export const SITEMAP_CHILDREN: readonly string[] = [
  `${SITE_PREFIX}sitemap-1.xml`,
  `${SITE_PREFIX}sitemap-2.xml.gz`
]

/**
 * Paths a sitemap lists. Part 1: the home page and the first tree pages that exist (a 500 stays
 * listed: the page is there, the server is failing), plus a page robots.txt disallows. Part 2: the
 * orphans, which no page links to, and a stale entry for a page that is gone (404).
 */
export function sitemapPaths(site: DemoSite, part: 1 | 2): string[] {
  if (part === 2) {
    const paths = Array.from({ length: familySize(site) }, (_, k) => `${SITE_PREFIX}orphan/${k}`)
    paths.push(`${SITE_PREFIX}p/${site.pages}`)
    return paths
  }
  const paths = [SITE_PREFIX]
  const last = Math.min(site.pages - 1, SITEMAP_1_MAX_PAGES)
  for (let n = 1; n <= last; n++) if (treeFault(site, n) !== 'not-found') paths.push(treePath(n))
  paths.push(`${SITE_PREFIX}private/0`)
  return paths
}

/** A stable <lastmod> per path, within 2024. */
export function sitemapLastmod(site: DemoSite, path: string): string {
  const day = hashString(`${site.seed}:lastmod:${path}`) % 365
  return new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10)
}
