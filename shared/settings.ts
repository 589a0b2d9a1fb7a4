// Over 400 lines: the settings table is one list on purpose, so each setting is declared in one place.
import type { SettingGroup, SettingGroupId, SettingSpec } from './setting-spec.ts'

/**
 * Every run setting, declared once: key, type, default, unit, bounds, label, help, group, the
 * runner's flag and whether it can change while a run goes. Everything else derives from here:
 * the config schema and live patch (shared/config.ts), the Setup form, the runner's flags and
 * --help, the HTML report's settings table and the advice that names settings. Units are in the
 * key names (…Ms, …Bytes, …Percent, …PerSecond); a flag carries the same unit (--min-delay-ms).
 *
 * Adding a setting: add its entry here, then write the code that uses it.
 */

/** Upper bounds shared by several settings (and by requests that name a setting, like depths). */
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

/** The Setup form's groups in the order it shows them. */
export const SETTING_GROUPS = {
  scope: { title: 'Scope', open: true, spiderOnly: true },
  politeness: { title: 'Politeness', open: false, openInSpider: true },
  concurrency: { title: 'Concurrency', open: true },
  timeouts: { title: 'Timeouts', open: true },
  retries: { title: 'Retries', open: false },
  request: { title: 'Request', open: false },
  connection: { title: 'Connection', open: false }
} as const satisfies Record<SettingGroupId, SettingGroup>

export const SETTING_GROUP_IDS = Object.keys(SETTING_GROUPS) as SettingGroupId[]

/** In group order, and in each group in the order Setup shows them. */
export const SETTINGS = {
  // ---- scope (spider mode) ----
  mode: {
    type: 'choice',
    label: 'Mode',
    help: 'List fetches the URLs given; spider starts from them as seeds and follows the links found.',
    group: 'scope',
    live: false,
    cli: null,
    formField: false,
    display: 'radio',
    options: [
      { value: 'list', label: 'List' },
      { value: 'spider', label: 'Spider' }
    ],
    default: 'list'
  },
  scope: {
    type: 'choice',
    label: 'Follow links to',
    help: 'Which links found on pages are followed.',
    group: 'scope',
    live: false,
    cli: {
      name: 'scope',
      help: "Follow links on the seeds' hosts, their sites (registrable domain), or any host"
    },
    display: 'radio',
    options: [
      { value: 'host', label: 'Same host', help: "Only the seeds' host names (and ports)." },
      {
        value: 'site',
        label: 'Same site',
        help: "Any host of the seeds' registrable domain: www.example.co.uk and shop.example.co.uk."
      },
      { value: 'any', label: 'Any host', help: 'Every http(s) link; only the patterns below limit it.' }
    ],
    default: 'host'
  },
  maxDepth: {
    type: 'integer',
    label: 'Max depth',
    unit: 'links',
    help: 'Link hops from a seed (seeds are depth 0); links on pages this deep are not followed.',
    group: 'scope',
    live: false,
    cli: { name: 'max-depth' },
    default: 5,
    min: 0,
    max: LIMITS.maxDepthMax
  },
  maxPages: {
    type: 'integer',
    label: 'Max pages',
    unit: 'pages',
    help: 'Pages fetched in all, seeds and robots.txt refusals included.',
    group: 'scope',
    live: true,
    cli: { name: 'max-pages' },
    default: 10_000,
    min: 1,
    max: LIMITS.maxPagesMax
  },
  perHostBudget: {
    type: 'optional-number',
    integer: true,
    label: 'Per-host budget',
    unit: 'pages',
    help: 'Pages fetched from one host (host and port) at most.',
    group: 'scope',
    live: true,
    cli: { name: 'per-host-budget' },
    default: null,
    min: 1,
    max: LIMITS.maxPagesMax,
    none: 'no budget'
  },
  includePatterns: {
    type: 'list',
    label: 'Include patterns',
    help: 'Regular expressions searched in each URL; when any are given, one must match.',
    group: 'scope',
    live: false,
    cli: { name: 'include', arg: 'RE' },
    placeholder: '^https://example\\.com/docs/',
    typed: 'lines',
    patterns: 'Include pattern',
    default: [],
    maxItems: LIMITS.patternsMax,
    itemMinLength: 0,
    itemMaxLength: 1_000
  },
  excludePatterns: {
    type: 'list',
    label: 'Exclude patterns',
    help: 'A URL matching any of these is not followed (an exclude always wins).',
    group: 'scope',
    live: false,
    cli: { name: 'exclude', arg: 'RE' },
    placeholder: '/login\n\\?sort=',
    typed: 'lines',
    patterns: 'Exclude pattern',
    default: [],
    maxItems: LIMITS.patternsMax,
    itemMinLength: 0,
    itemMaxLength: 1_000
  },
  stripQueryParams: {
    type: 'list',
    label: 'Strip query parameters',
    help: 'Parameter names, such as utm_source or sessionid, removed from found URLs before duplicates are told apart.',
    group: 'scope',
    live: false,
    cli: { name: 'strip-param', arg: 'NAME' },
    placeholder: 'utm_source, utm_medium, sessionid',
    typed: 'commas',
    default: [],
    maxItems: LIMITS.stripQueryParamsMax,
    itemMinLength: 1,
    itemMaxLength: 200
  },
  maxVariantChain: {
    type: 'integer',
    label: 'Query variant chain',
    unit: 'pages',
    help: 'Pages in a row each found on another query variant of itself (a calendar\'s "next month") before the chain is treated as a trap.',
    group: 'scope',
    live: false,
    cli: { name: 'max-variant-chain' },
    default: 10,
    min: 1,
    max: LIMITS.maxDepthMax
  },
  maxVariantsPerPath: {
    type: 'integer',
    label: 'Query variants per path',
    unit: 'URLs',
    help: 'Distinct query strings one path may have before further ones are treated as a trap.',
    group: 'scope',
    live: false,
    cli: { name: 'max-variants' },
    default: 10_000,
    min: 1,
    max: LIMITS.maxPagesMax
  },
  maxUrlLength: {
    type: 'integer',
    label: 'Max URL length',
    unit: 'chars',
    help: 'Longer found URLs are treated as a trap (state that grows with every click).',
    group: 'scope',
    live: false,
    cli: { name: 'max-url-length' },
    default: 2_048,
    min: 64,
    max: LIMITS.maxUrlLengthMax
  },
  followNofollow: {
    type: 'toggle',
    label: 'Follow nofollow links',
    help: 'Also follow links marked rel="nofollow" and pages with a meta robots nofollow.',
    group: 'scope',
    live: false,
    cli: { name: 'follow-nofollow' },
    default: false
  },
  sitemapUrls: {
    type: 'list',
    label: 'Sitemaps',
    help: 'Sitemap URLs (indexes and .gz too) whose URLs are added as seeds.',
    group: 'scope',
    live: false,
    cli: {
      name: 'sitemap',
      arg: 'URL|FILE',
      resolvePaths: true,
      help: "A sitemap's URL or a local file (XML, text, .gz, index) whose URLs are added as seeds"
    },
    placeholder: 'https://example.com/sitemap.xml',
    typed: 'lines',
    default: [],
    maxItems: LIMITS.sitemapUrlsMax,
    itemMinLength: 1,
    itemMaxLength: 4_096
  },
  robotsSitemaps: {
    type: 'toggle',
    label: "Use robots.txt's sitemaps",
    help: "Also add the sitemaps that the seeds' robots.txt lists (needs robots.txt respected).",
    group: 'scope',
    live: false,
    cli: { name: 'robots-sitemaps' },
    default: false
  },

  // ---- politeness ----
  respectRobots: {
    type: 'toggle',
    label: 'Respect robots.txt',
    help: "Read each site's robots.txt first; URLs it disallows are not fetched (ROBOTS_DISALLOWED), and its Crawl-delay paces the host.",
    group: 'politeness',
    spiderOnly: true,
    confirmOff: true,
    live: false,
    cli: {
      name: 'ignore-robots',
      sets: false,
      help: 'Do not read robots.txt (it is respected by default)'
    },
    default: true
  },
  perHostMinDelayMs: {
    type: 'integer',
    label: 'Min delay per host',
    unit: 'ms',
    help: 'Least time between two requests starting on one host; 0 for none.',
    group: 'politeness',
    live: true,
    cli: { name: 'min-delay-ms', aliases: ['min-delay'] },
    default: 0,
    min: 0,
    max: LIMITS.minDelayMaxMs
  },
  perHostMaxRequestsPerSecond: {
    type: 'optional-number',
    integer: false,
    label: 'Max rate per host',
    unit: 'req/s',
    help: 'Most requests starting per second on one host (an even spacing).',
    group: 'politeness',
    live: true,
    cli: { name: 'max-rps' },
    default: null,
    min: 0,
    minExclusive: true,
    max: LIMITS.maxRequestsPerSecondMax,
    none: 'no cap'
  },
  maxCrawlDelayMs: {
    type: 'integer',
    label: 'Max crawl delay',
    unit: 'ms',
    help: 'The longest robots.txt Crawl-delay honoured; longer ones are capped to it.',
    group: 'politeness',
    spiderOnly: true,
    live: true,
    cli: { name: 'max-crawl-delay-ms', aliases: ['max-crawl-delay'] },
    default: 60_000,
    min: 0,
    max: LIMITS.minDelayMaxMs
  },
  adaptiveConcurrency: {
    type: 'toggle',
    label: 'Adaptive concurrency',
    help: 'Per host: halve the limit on 429, 503 and timeouts, grow it by one while healthy, never above Concurrency per host.',
    group: 'politeness',
    live: true,
    cli: { name: 'adaptive' },
    default: false
  },
  failureSafeguardPercent: {
    type: 'optional-number',
    integer: false,
    label: 'Failure safeguard',
    unit: '% failed',
    help: 'Pause the run when this share of recent requests failed, and say why.',
    group: 'politeness',
    live: true,
    cli: {
      name: 'safeguard-percent',
      aliases: ['safeguard'],
      arg: 'PCT',
      help: 'Stop when PCT% of recent requests failed; the run is saved and --resume continues it'
    },
    default: null,
    min: 1,
    max: 100,
    none: 'off'
  },

  // ---- concurrency ----
  concurrency: {
    type: 'integer',
    label: 'Concurrency',
    unit: 'requests',
    help: 'Requests in flight at once across all hosts.',
    group: 'concurrency',
    live: true,
    liveControl: { sliderMax: 256 },
    cli: { name: 'concurrency' },
    default: 50,
    min: 1,
    max: LIMITS.concurrencyMax
  },
  perHostConcurrency: {
    type: 'integer',
    label: 'Concurrency per host',
    short: 'per host',
    unit: 'requests',
    help: 'Requests in flight at once to one host name.',
    group: 'concurrency',
    live: true,
    liveControl: { sliderMax: 128 },
    cli: { name: 'per-host' },
    default: 6,
    min: 1,
    max: LIMITS.perHostConcurrencyMax
  },

  // ---- timeouts ----
  connectTimeoutMs: {
    type: 'integer',
    label: 'Connect timeout',
    unit: 'ms',
    help: 'TCP and TLS connection setup.',
    group: 'timeouts',
    live: true,
    cli: { name: 'connect-timeout-ms' },
    default: 10_000,
    min: 1,
    max: LIMITS.timeoutMaxMs
  },
  headersTimeoutMs: {
    type: 'integer',
    label: 'Headers timeout',
    unit: 'ms',
    help: 'Request sent until the response headers arrive (time to first byte).',
    group: 'timeouts',
    live: true,
    cli: { name: 'headers-timeout-ms' },
    default: 15_000,
    min: 1,
    max: LIMITS.timeoutMaxMs
  },
  bodyTimeoutMs: {
    type: 'integer',
    label: 'Body idle timeout',
    unit: 'ms',
    help: 'Longest gap between two chunks of the body.',
    group: 'timeouts',
    live: true,
    cli: { name: 'body-timeout-ms' },
    default: 15_000,
    min: 1,
    max: LIMITS.timeoutMaxMs
  },
  totalTimeoutMs: {
    type: 'integer',
    label: 'Total timeout',
    unit: 'ms',
    help: 'Deadline for one whole attempt, redirects included; catches bodies that trickle forever.',
    group: 'timeouts',
    live: true,
    cli: { name: 'total-timeout-ms' },
    default: 30_000,
    min: 1,
    max: LIMITS.timeoutMaxMs
  },

  // ---- retries ----
  retries: {
    type: 'integer',
    label: 'Retries',
    unit: 'times',
    help: 'Attempts after the first (0 = never retry).',
    group: 'retries',
    live: true,
    cli: { name: 'retries' },
    default: 3,
    min: 0,
    max: LIMITS.retriesMax
  },
  backoffBaseMs: {
    type: 'integer',
    label: 'Backoff base',
    unit: 'ms',
    help: 'First wait ceiling; doubles each retry, with full jitter.',
    group: 'retries',
    live: true,
    cli: { name: 'backoff-base-ms' },
    default: 500,
    min: 0,
    max: LIMITS.backoffMaxMs
  },
  backoffMaxMs: {
    type: 'integer',
    label: 'Backoff cap',
    unit: 'ms',
    help: 'Largest wait ceiling.',
    group: 'retries',
    live: true,
    cli: { name: 'backoff-max-ms' },
    default: 30_000,
    min: 0,
    max: LIMITS.backoffMaxMs
  },
  retryStatuses: {
    type: 'status-list',
    label: 'Retry statuses',
    help: 'Response statuses that are retried (400–599).',
    group: 'retries',
    live: true,
    cli: { name: 'retry-statuses' },
    placeholder: '429, 500, 502, 503, 504',
    default: [429, 500, 502, 503, 504],
    min: 400,
    max: 599,
    maxItems: 200
  },
  respectRetryAfter: {
    type: 'toggle',
    label: 'Respect Retry-After',
    short: 'Retry-After',
    help: 'Wait as long as the server asks (per host), up to the Retry-After cap.',
    group: 'retries',
    live: true,
    cli: {
      name: 'ignore-retry-after',
      sets: false,
      help: 'Do not wait as long as a Retry-After header asks (it is respected by default)'
    },
    default: true
  },
  retryAfterMaxMs: {
    type: 'integer',
    label: 'Retry-After cap',
    short: 'Retry-After cap',
    unit: 'ms',
    help: 'The longest Retry-After wait honoured.',
    group: 'retries',
    live: true,
    cli: { name: 'retry-after-max-ms' },
    default: 60_000,
    min: 0,
    max: LIMITS.backoffMaxMs
  },

  // ---- request ----
  method: {
    type: 'choice',
    label: 'Method',
    help: 'HEAD checks availability without downloading bodies (no titles).',
    group: 'request',
    live: false,
    cli: { name: 'method' },
    display: 'select',
    options: [
      { value: 'GET', label: 'GET' },
      { value: 'HEAD', label: 'HEAD' }
    ],
    default: 'GET'
  },
  maxRedirects: {
    type: 'integer',
    label: 'Max redirects',
    unit: 'hops',
    help: 'Redirects followed per request.',
    group: 'request',
    live: false,
    cli: { name: 'max-redirects' },
    default: 10,
    min: 0,
    max: LIMITS.redirectsMax
  },
  maxBodyBytes: {
    type: 'integer',
    label: 'Max body bytes',
    unit: 'bytes',
    help: 'Decoded body bytes read per response; larger bodies fail with BODY_TOO_LARGE.',
    group: 'request',
    live: false,
    cli: { name: 'max-body-bytes' },
    default: 5 * 1024 * 1024,
    min: 0,
    max: LIMITS.maxBodyBytesMax
  },
  userAgent: {
    type: 'text',
    label: 'User agent',
    help: 'Sent with every request.',
    group: 'request',
    live: false,
    cli: { name: 'user-agent' },
    default: 'Crawlboard/0.1 (+https://crawlboard.dev/bot)',
    minLength: 1,
    maxLength: 512
  },
  headers: {
    type: 'headers',
    label: 'Extra headers',
    help: 'Sent with every request, as "Name: value".',
    group: 'request',
    live: false,
    cli: { name: 'header' },
    placeholder: 'Accept-Language: en\nX-Team: analytics',
    default: {},
    valueMaxLength: 8_192
  },

  // ---- connection ----
  dnsCacheTtlMs: {
    type: 'integer',
    label: 'DNS cache',
    unit: 'ms',
    help: 'How long a resolved host name is reused.',
    group: 'connection',
    live: false,
    cli: { name: 'dns-cache-ttl-ms' },
    default: 60_000,
    min: 0,
    max: LIMITS.timeoutMaxMs
  },
  keepAliveTimeoutMs: {
    type: 'integer',
    label: 'Keep-alive',
    unit: 'ms',
    help: 'Idle keep-alive sockets are closed after this.',
    group: 'connection',
    live: false,
    cli: { name: 'keep-alive-timeout-ms' },
    default: 4_000,
    min: 1,
    max: 600_000
  }
} as const satisfies Readonly<Record<string, SettingSpec>>

export type SettingKey = keyof typeof SETTINGS

/** Every key, in table order. */
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[]

/** A setting by key, as the general spec (for code that walks the table). */
export function specOf(key: SettingKey): SettingSpec {
  return SETTINGS[key]
}

/** Whether a setting only means something in spider mode (its own mark, or its group's). */
export function isSpiderOnly(spec: SettingSpec): boolean {
  const group: SettingGroup = SETTING_GROUPS[spec.group]
  return spec.spiderOnly === true || group.spiderOnly === true
}
