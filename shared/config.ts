import { z } from 'zod'

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
  maxBodyBytesMax: 1024 * 1024 * 1024
} as const

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

export const retryStatusSchema = z.number().int().min(400).max(599)

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
  keepAliveTimeoutMs: z.number().int().min(1).max(600_000).default(4_000)
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
  'retryAfterMaxMs'
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
    keepAliveTimeoutMs: f.keepAliveTimeoutMs.unwrap().optional()
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
    retryAfterMaxMs: true
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
  return { ok: true, value: parsed.data }
}

export function parseLiveSettingsPatch(input: unknown): ParseOutcome<LiveSettingsPatch> {
  const parsed = liveSettingsPatchSchema.safeParse(input)
  if (!parsed.success) return { ok: false, errors: describeIssues(parsed.error.issues) }
  return { ok: true, value: parsed.data }
}
