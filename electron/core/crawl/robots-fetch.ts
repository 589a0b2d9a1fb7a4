import type { ErrorCode } from '../../../shared/errors.ts'
import { assertNever } from '../../../shared/events.ts'
import type { DocumentFetcher } from './document-fetch.ts'
import { RobotsRules, robotsOrigin, robotsTxtUrl } from './robots-rules.ts'

/**
 * # Fetching robots.txt (RFC 9309 §2.3)
 *
 * One GET of `/robots.txt` per origin, turned into one of three outcomes:
 * - **rules**: a 2xx answer, parsed (§2.3.1.1). At most `maxBytes` are read; RFC 9309 §2.5 lets
 *   a crawler stop there but says the limit must be at least 500 KiB. When the file is cut, the
 *   partial last line is dropped too: half of `Allow: /catalog/public` is `Allow: /c`, a
 *   different rule.
 * - **unavailable**: a 4xx answer (404, 403, 401, 410, …): there are no rules, everything is
 *   allowed (§2.3.1.3). 429 is the exception, see below.
 * - **unreachable**: a 5xx answer, or no answer at all (DNS, refused, reset, timeout): the rules
 *   are undefined and everything is disallowed (§2.3.1.4) until the caller asks again.
 *
 * Redirects are followed, across origins too, up to five hops (§2.3.1.2); the rules found apply to
 * the origin asked about. The RFC lets a crawler treat a longer chain as "unavailable"; we count
 * it, and a loop, as unreachable instead: a site whose robots.txt cannot be read is not crawled.
 * 429 Too Many Requests is an overload signal, not a missing file, so it counts as unreachable
 * too (Google's crawler does the same), rather than opening the whole site to a host that is
 * asking us to slow down.
 */

/** RFC 9309 §2.5: the parsing limit must be at least 500 kibibytes. */
export const ROBOTS_MIN_BYTES = 500 * 1024
/** RFC 9309 §2.3.1.2: follow at least five consecutive redirects. */
export const ROBOTS_MAX_REDIRECTS = 5
export const ROBOTS_TIMEOUT_MS = 10_000

export interface FetchRobotsOptions {
  /** Sent as the User-Agent header; the same string the crawl itself sends. */
  readonly userAgent: string
  /** Deadline for the whole fetch, redirects and body included. */
  readonly timeoutMs: number
  /** Bytes of body read and parsed, at least ROBOTS_MIN_BYTES (the default). */
  readonly maxBytes?: number
  /** How the file is fetched: the engine's fetcher over the run's HTTP client. */
  readonly fetch: DocumentFetcher
  /** Cancels the fetch (the run stopped); the outcome is then unreachable with code ABORTED. */
  readonly signal?: AbortSignal
}

interface FetchedFrom {
  /** The origin the rules are for. */
  readonly origin: string
  /** The URL that answered last (after redirects). */
  readonly url: string
  readonly redirects: number
}

export type RobotsOutcome =
  | (FetchedFrom & {
      readonly kind: 'rules'
      readonly status: number
      readonly rules: RobotsRules
      readonly bytesRead: number
      /** True when the file was longer than maxBytes and only its start was parsed. */
      readonly truncated: boolean
    })
  | (FetchedFrom & { readonly kind: 'unavailable'; readonly status: number })
  | (FetchedFrom & {
      readonly kind: 'unreachable'
      /** HTTP_STATUS (5xx, 429, a redirect without a usable Location), TOO_MANY_REDIRECTS, REDIRECT_LOOP, TIMEOUT_TOTAL, or a network code. */
      readonly code: ErrorCode
      readonly status?: number
      /** Short, for a label: "HTTP 503", "connection refused", "timed out after 10000 ms". */
      readonly detail: string
    })

/** Fetches and classifies the robots.txt of `origin` (any URL on it will do). Never throws for network trouble. */
export async function fetchRobots(origin: string, options: FetchRobotsOptions): Promise<RobotsOutcome> {
  const site = robotsOrigin(origin)
  const maxBytes = options.maxBytes ?? ROBOTS_MIN_BYTES
  if (!(maxBytes >= ROBOTS_MIN_BYTES)) {
    throw new RangeError(`maxBytes must be at least ${ROBOTS_MIN_BYTES} (RFC 9309 §2.5), got ${maxBytes}`)
  }
  const fetched = await options.fetch({
    url: robotsTxtUrl(site),
    accept: 'text/plain, */*;q=0.1',
    userAgent: options.userAgent,
    maxBytes,
    maxRedirects: ROBOTS_MAX_REDIRECTS,
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {})
  })
  const from = { origin: site, url: fetched.url, redirects: fetched.redirects }
  switch (fetched.kind) {
    case 'body':
      return {
        kind: 'rules',
        ...from,
        status: fetched.status,
        rules: new RobotsRules(site, decodeRobots(fetched.bytes, fetched.truncated)),
        bytesRead: fetched.bytes.length,
        truncated: fetched.truncated
      }
    case 'status':
      if (fetched.status >= 400 && fetched.status < 500 && fetched.status !== 429) {
        return { kind: 'unavailable', ...from, status: fetched.status }
      }
      return {
        kind: 'unreachable',
        ...from,
        code: 'HTTP_STATUS',
        detail: `HTTP ${fetched.status}`,
        status: fetched.status
      }
    case 'failed':
      return {
        kind: 'unreachable',
        ...from,
        code: fetched.code,
        detail: fetched.detail,
        ...(fetched.status === undefined ? {} : { status: fetched.status })
      }
    default:
      return assertNever(fetched, 'fetched document')
  }
}

const decoder = new TextDecoder('utf-8')

/**
 * RFC 9309 §2.3: the file is UTF-8. Invalid bytes become U+FFFD, so a line of junk matches nothing
 * while the lines around it still count; the BOM is dropped. A cut file loses its partial last line.
 */
export function decodeRobots(bytes: Uint8Array, truncated: boolean): string {
  let end = bytes.length
  if (truncated) {
    // Up to and including the last line end; nothing when the cut fell inside the first line.
    end = Math.max(bytes.lastIndexOf(0x0a), bytes.lastIndexOf(0x0d)) + 1
  }
  return decoder.decode(bytes.subarray(0, end))
}
