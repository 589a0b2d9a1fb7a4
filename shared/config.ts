import { z } from 'zod'
import { compilePatterns } from './url-patterns.ts'

/**
 * The run configuration: one schema, defaults written once with their units.
 * Main, the browser host and the headless runner parse every incoming config against it.
 */

export const LIMITS = {
  concurrencyMax: 2_000,
  perHostConcurrencyMax: 512,
  timeoutMaxMs: 3_600_000,
  retriesMax: 20,
  backoffMaxMs: 600_000,
  redirectsMax: 50,
  maxBodyBytesMax: 1024 * 1024 * 1024,
  maxDepthMax: 1_000,
  maxUrlLengthMax: 100_000,
  maxPagesMax: 10_000_000,
  patternsMax: 100,
  sitemapUrlsMax: 100,
  stripQueryParamsMax: 100,
  minDelayMaxMs: 600_000,
  maxRequestsPerSecondMax: 10_000
} as const

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

export const retryStatusSchema = z.number().int().min(400).max(599)

/** Regex sources, each compiled as the spider's scope will: every invalid one is named. */
const patternList = (label: string) =>
  z
    .array(z.string().max(1_000))
    .max(LIMITS.patternsMax)
    .superRefine((sources, ctx) => {
      for (const error of compilePatterns(sources, label).errors) {
        ctx.addIssue({ code: 'custom', message: error.message })
      }
    })

export const runConfigSchema = z.object({
  /** Requests in flight at once across all hosts (the global semaphore). */
  concurrency: z.number().int().min(1).max(LIMITS.concurrencyMax).default(50),
  /** Requests in flight at once to one host name. */
  perHostConcurrency: z.number().int().min(1).max(LIMITS.perHostConcurrencyMax).default(6),
  /** TCP + TLS connection establishment. */
  connectTimeoutMs: z.number().int().min(1).max(LIMITS.timeoutMaxMs).default(10_000),
  /** From the request being sent to the complete response headers (time to first byte). */
  headersTimeoutMs: z.number().int().min(1).max(LIMITS.timeoutMaxMs).default(15_000),
  /** Longest idle gap between two body chunks. */
  bodyTimeoutMs: z.number().int().min(1).max(LIMITS.timeoutMaxMs).default(15_000),
  /** Deadline for one whole attempt, redirects included; catches bodies that trickle forever. */
  totalTimeoutMs: z.number().int().min(1).max(LIMITS.timeoutMaxMs).default(30_000),
  /** Retries after the first attempt (0 = never retry). */
  retries: z.number().int().min(0).max(LIMITS.retriesMax).default(3),
  /** First backoff ceiling; doubles each retry (full jitter draws uniformly below it). */
  backoffBaseMs: z.number().int().min(0).max(LIMITS.backoffMaxMs).default(500),
  /** Largest backoff ceiling. */
  backoffMaxMs: z.number().int().min(0).max(LIMITS.backoffMaxMs).default(30_000),
  /** Statuses that are retried. */
  retryStatuses: z.array(retryStatusSchema).max(200).default([429, 500, 502, 503, 504]),
  /** Wait as long as a Retry-After header asks (clamped to retryAfterMaxMs), for that host only. */
  respectRetryAfter: z.boolean().default(true),
  /** The longest Retry-After wait honoured. */
  retryAfterMaxMs: z.number().int().min(0).max(LIMITS.backoffMaxMs).default(60_000),
  /** Redirect hops followed per request. */
  maxRedirects: z.number().int().min(0).max(LIMITS.redirectsMax).default(10),
  /** Cap on decoded body bytes read per response. */
  maxBodyBytes: z
    .number()
    .int()
    .min(0)
    .max(LIMITS.maxBodyBytesMax)
    .default(5 * 1024 * 1024),
  userAgent: z.string().min(1).max(512).default('Crawlboard/0.1 (+https://crawlboard.dev/bot)'),
  headers: z
    .record(z.string().regex(headerName, 'not a valid header name'), z.string().max(8_192))
    .default({}),
  method: z.enum(['GET', 'HEAD']).default('GET'),
  /** How long a resolved host name is reused. */
  dnsCacheTtlMs: z.number().int().min(0).max(LIMITS.timeoutMaxMs).default(60_000),
  /** Idle keep-alive sockets are closed after this. */
  keepAliveTimeoutMs: z.number().int().min(1).max(600_000).default(4_000),

  // ---- spider mode (issue 5) ----
  /** 'list': fetch the URL list. 'spider': the URL list holds the seeds; links found are followed. */
  mode: z.enum(['list', 'spider']).default('list'),
  /** Link hops from a seed (seeds and sitemap URLs are depth 0); links on pages at this depth are not followed. */
  maxDepth: z.number().int().min(0).max(LIMITS.maxDepthMax).default(5),
  /** Pages fetched in all, seeds included (robots.txt refusals count: each is a result). */
  maxPages: z.number().int().min(1).max(LIMITS.maxPagesMax).default(10_000),
  /** Pages fetched per host (host[:port]); null = no budget per host. */
  perHostBudget: z.number().int().min(1).max(LIMITS.maxPagesMax).nullable().default(null),
  /** Which discovered links to follow: the seeds' host, their registrable domain ('site'), or any. */
  scope: z.enum(['host', 'site', 'any']).default('host'),
  /** Regex sources searched in the normalised URL; when any are given, one must match. */
  includePatterns: patternList('Include pattern').default([]),
  /** Regex sources; a URL matching one is not followed (an exclude always wins). */
  excludePatterns: patternList('Exclude pattern').default([]),
  /** Query parameter names removed from discovered URLs before dedupe (e.g. utm_source, sessionid). */
  stripQueryParams: z.array(z.string().min(1).max(200)).max(LIMITS.stripQueryParamsMax).default([]),
  /** Longer discovered URLs are refused as a spider trap (URL_TOO_LONG). */
  maxUrlLength: z.number().int().min(64).max(LIMITS.maxUrlLengthMax).default(2_048),
  /** Distinct query strings one path may have before its further variants are refused (TOO_MANY_VARIANTS). */
  maxVariantsPerPath: z.number().int().min(1).max(LIMITS.maxPagesMax).default(10_000),
  /** Pages in a row each found on another query variant of itself (a calendar's "next"; VARIANT_CHAIN). */
  maxVariantChain: z.number().int().min(1).max(LIMITS.maxDepthMax).default(10),
  /** Follow links marked rel=nofollow (and pages with meta robots nofollow). */
  followNofollow: z.boolean().default(false),
  /**
   * Spider mode: read each origin's robots.txt before its first request; what it disallows becomes a
   * ROBOTS_DISALLOWED result, and its Crawl-delay paces the host. (A list run fetches exactly its list.)
   */
  respectRobots: z.boolean().default(true),
  /** Sitemaps whose URLs are added as seeds (depth 0): http(s) URLs, or local file paths (runner). */
  sitemapUrls: z.array(z.string().min(1).max(4_096)).max(LIMITS.sitemapUrlsMax).default([]),
  /** Also seed from the Sitemap: lines of every robots.txt read (needs respectRobots). */
  robotsSitemaps: z.boolean().default(false),
  /** Least time between two request starts on one host (ms); 0 = none. */
  perHostMinDelayMs: z.number().int().min(0).max(LIMITS.minDelayMaxMs).default(0),
  /** Most request starts per second on one host; null = no cap. */
  perHostMaxRequestsPerSecond: z
    .number()
    .positive()
    .max(LIMITS.maxRequestsPerSecondMax)
    .nullable()
    .default(null),
  /** The longest robots.txt Crawl-delay honoured (ms); longer ones are capped, and the hosts view says so. */
  maxCrawlDelayMs: z.number().int().min(0).max(LIMITS.minDelayMaxMs).default(60_000),
  /** Per-host limit follows the host's health (halve on 429/503/timeouts, +1 when healthy), never above perHostConcurrency. */
  adaptiveConcurrency: z.boolean().default(false),
  /** Pause the run when this percentage of recent results failed; null = off. */
  failureSafeguardPercent: z.number().min(1).max(100).nullable().default(null)
})

export type RunConfig = z.infer<typeof runConfigSchema>
export type RunConfigInput = z.input<typeof runConfigSchema>

export const DEFAULT_CONFIG: RunConfig = runConfigSchema.parse({})

/** Settings that can change while a run goes; they apply to attempts that start afterwards. */
export const LIVE_SETTING_KEYS = [
  'concurrency',
  'perHostConcurrency',
  'connectTimeoutMs',
  'headersTimeoutMs',
  'bodyTimeoutMs',
  'totalTimeoutMs',
  'retries',
  'backoffBaseMs',
  'backoffMaxMs',
  'retryStatuses',
  'respectRetryAfter',
  'retryAfterMaxMs',
  'maxPages',
  'perHostBudget',
  'perHostMinDelayMs',
  'perHostMaxRequestsPerSecond',
  'maxCrawlDelayMs',
  'adaptiveConcurrency',
  'failureSafeguardPercent'
] as const satisfies readonly (keyof RunConfig)[]

export type LiveSettingKey = (typeof LIVE_SETTING_KEYS)[number]
export type LiveSettings = Pick<RunConfig, LiveSettingKey>

/** The live settings a run starts with: its config's. */
export function pickLive(config: RunConfig): LiveSettings {
  const live: Record<string, unknown> = {}
  for (const key of LIVE_SETTING_KEYS) live[key] = config[key]
  return live as LiveSettings
}

const f = runConfigSchema.shape

/**
 * Every field optional and WITHOUT its default: zod fills defaults even inside .partial(), which
 * would turn "concurrency: 8" into a patch that resets every other setting. A patch or a saved
 * partial config must hold only what the user set.
 */
export const runConfigPatchSchema = z
  .object({
    concurrency: f.concurrency.unwrap().optional(),
    perHostConcurrency: f.perHostConcurrency.unwrap().optional(),
    connectTimeoutMs: f.connectTimeoutMs.unwrap().optional(),
    headersTimeoutMs: f.headersTimeoutMs.unwrap().optional(),
    bodyTimeoutMs: f.bodyTimeoutMs.unwrap().optional(),
    totalTimeoutMs: f.totalTimeoutMs.unwrap().optional(),
    retries: f.retries.unwrap().optional(),
    backoffBaseMs: f.backoffBaseMs.unwrap().optional(),
    backoffMaxMs: f.backoffMaxMs.unwrap().optional(),
    retryStatuses: f.retryStatuses.unwrap().optional(),
    respectRetryAfter: f.respectRetryAfter.unwrap().optional(),
    retryAfterMaxMs: f.retryAfterMaxMs.unwrap().optional(),
    maxRedirects: f.maxRedirects.unwrap().optional(),
    maxBodyBytes: f.maxBodyBytes.unwrap().optional(),
    userAgent: f.userAgent.unwrap().optional(),
    headers: f.headers.unwrap().optional(),
    method: f.method.unwrap().optional(),
    dnsCacheTtlMs: f.dnsCacheTtlMs.unwrap().optional(),
    keepAliveTimeoutMs: f.keepAliveTimeoutMs.unwrap().optional(),
    mode: f.mode.unwrap().optional(),
    maxDepth: f.maxDepth.unwrap().optional(),
    maxPages: f.maxPages.unwrap().optional(),
    perHostBudget: f.perHostBudget.unwrap().optional(),
    scope: f.scope.unwrap().optional(),
    includePatterns: f.includePatterns.unwrap().optional(),
    excludePatterns: f.excludePatterns.unwrap().optional(),
    stripQueryParams: f.stripQueryParams.unwrap().optional(),
    maxUrlLength: f.maxUrlLength.unwrap().optional(),
    maxVariantsPerPath: f.maxVariantsPerPath.unwrap().optional(),
    maxVariantChain: f.maxVariantChain.unwrap().optional(),
    followNofollow: f.followNofollow.unwrap().optional(),
    respectRobots: f.respectRobots.unwrap().optional(),
    sitemapUrls: f.sitemapUrls.unwrap().optional(),
    robotsSitemaps: f.robotsSitemaps.unwrap().optional(),
    perHostMinDelayMs: f.perHostMinDelayMs.unwrap().optional(),
    perHostMaxRequestsPerSecond: f.perHostMaxRequestsPerSecond.unwrap().optional(),
    maxCrawlDelayMs: f.maxCrawlDelayMs.unwrap().optional(),
    adaptiveConcurrency: f.adaptiveConcurrency.unwrap().optional(),
    failureSafeguardPercent: f.failureSafeguardPercent.unwrap().optional()
  })
  .strict()

export const liveSettingsPatchSchema = runConfigPatchSchema
  .pick({
    concurrency: true,
    perHostConcurrency: true,
    connectTimeoutMs: true,
    headersTimeoutMs: true,
    bodyTimeoutMs: true,
    totalTimeoutMs: true,
    retries: true,
    backoffBaseMs: true,
    backoffMaxMs: true,
    retryStatuses: true,
    respectRetryAfter: true,
    retryAfterMaxMs: true,
    maxPages: true,
    perHostBudget: true,
    perHostMinDelayMs: true,
    perHostMaxRequestsPerSecond: true,
    maxCrawlDelayMs: true,
    adaptiveConcurrency: true,
    failureSafeguardPercent: true
  })
  .strict()

export type LiveSettingsPatch = z.infer<typeof liveSettingsPatchSchema>

export type ParseOutcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly string[] }

/** Formats schema issues as "field: reason" lines a person can act on. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.')
    return path ? `${path}: ${issue.message}` : issue.message
  })
}

export function parseRunConfig(input: unknown): ParseOutcome<RunConfig> {
  const parsed = runConfigSchema.strict().safeParse(input ?? {})
  if (!parsed.success) return { ok: false, errors: describeIssues(parsed.error.issues) }
  if (parsed.data.backoffMaxMs < parsed.data.backoffBaseMs) {
    return { ok: false, errors: ['backoffMaxMs: must be at least backoffBaseMs'] }
  }
  if (parsed.data.mode === 'spider' && parsed.data.method === 'HEAD') {
    return { ok: false, errors: ['method: spider mode reads pages for their links; use GET'] }
  }
  return { ok: true, value: parsed.data }
}

export function parseLiveSettingsPatch(input: unknown): ParseOutcome<LiveSettingsPatch> {
  const parsed = liveSettingsPatchSchema.safeParse(input)
  if (!parsed.success) return { ok: false, errors: describeIssues(parsed.error.issues) }
  return { ok: true, value: parsed.data }
}
