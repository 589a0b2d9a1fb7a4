import { request, type Dispatcher } from 'undici'
import type { ErrorCode } from '../../../shared/errors.ts'
import { classifyError } from '../engine/classify-error.ts'
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
  /** The run's undici dispatcher (its sockets, timeouts and DNS cache); undici's global one otherwise. */
  readonly dispatcher?: Dispatcher
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

const REDIRECTS = new Set([301, 302, 303, 307, 308])

const headerValue = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value

/** Fetches and classifies the robots.txt of `origin` (any URL on it will do). Never throws for network trouble. */
export async function fetchRobots(origin: string, options: FetchRobotsOptions): Promise<RobotsOutcome> {
  const site = robotsOrigin(origin)
  const maxBytes = options.maxBytes ?? ROBOTS_MIN_BYTES
  if (!(maxBytes >= ROBOTS_MIN_BYTES)) {
    throw new RangeError(`maxBytes must be at least ${ROBOTS_MIN_BYTES} (RFC 9309 §2.5), got ${maxBytes}`)
  }
  const controller = new AbortController()
  const deadline = new Error(`robots.txt deadline of ${options.timeoutMs} ms`)
  const timer = setTimeout(() => {
    controller.abort(deadline)
  }, options.timeoutMs)
  const onCancel = () => {
    controller.abort()
  }
  options.signal?.addEventListener('abort', onCancel, { once: true })
  if (options.signal?.aborted) controller.abort()

  let url = robotsTxtUrl(site)
  let redirects = 0
  const visited = new Set([url])
  const unreachable = (code: ErrorCode, detail: string, status?: number): RobotsOutcome => ({
    kind: 'unreachable',
    origin: site,
    url,
    redirects,
    code,
    detail,
    ...(status === undefined ? {} : { status })
  })

  try {
    for (;;) {
      const response = await request(url, {
        method: 'GET',
        headers: { 'user-agent': options.userAgent, accept: 'text/plain, */*;q=0.1' },
        signal: controller.signal,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {})
      })
      const status = response.statusCode

      if (REDIRECTS.has(status)) {
        await response.body.dump()
        const location = headerValue(response.headers.location)
        const next = location === undefined ? null : URL.parse(location, url)
        if (next === null || (next.protocol !== 'http:' && next.protocol !== 'https:')) {
          return unreachable('HTTP_STATUS', `HTTP ${status} without a usable Location`, status)
        }
        next.hash = ''
        if (visited.has(next.href)) {
          return unreachable('REDIRECT_LOOP', `redirect loop back to ${next.href}`, status)
        }
        if (redirects >= ROBOTS_MAX_REDIRECTS) {
          return unreachable('TOO_MANY_REDIRECTS', `more than ${ROBOTS_MAX_REDIRECTS} redirects`, status)
        }
        redirects += 1
        url = next.href
        visited.add(url)
        continue
      }

      if (status >= 200 && status < 300) {
        const { bytes, truncated } = await readCapped(response.body, maxBytes)
        const text = decodeRobots(bytes, truncated)
        return {
          kind: 'rules',
          origin: site,
          url,
          redirects,
          status,
          rules: new RobotsRules(site, text),
          bytesRead: bytes.length,
          truncated
        }
      }

      await response.body.dump()
      if (status >= 400 && status < 500 && status !== 429) {
        return { kind: 'unavailable', origin: site, url, redirects, status }
      }
      return unreachable('HTTP_STATUS', `HTTP ${status}`, status)
    }
  } catch (error) {
    if (controller.signal.reason === deadline)
      return unreachable('TIMEOUT_TOTAL', `timed out after ${options.timeoutMs} ms`)
    if (controller.signal.aborted) return unreachable('ABORTED', 'cancelled')
    const failure = classifyError(error, {
      phase: 'connect',
      connectTimeoutMs: options.timeoutMs,
      headersTimeoutMs: options.timeoutMs,
      bodyTimeoutMs: options.timeoutMs
    })
    return unreachable(failure.code, NETWORK_DETAIL[failure.code] ?? failure.message)
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', onCancel)
  }
}

const NETWORK_DETAIL: Partial<Record<ErrorCode, string>> = {
  CONNECT_REFUSED: 'connection refused',
  DNS: 'host name did not resolve',
  RESET: 'connection reset',
  TIMEOUT_CONNECT: 'connect timed out',
  TIMEOUT_HEADERS: 'no response headers in time',
  TIMEOUT_BODY: 'body stalled',
  TLS: 'TLS failed'
}

/** Reads at most `maxBytes`; stopping early destroys the body, which closes that connection. */
async function readCapped(
  body: AsyncIterable<Buffer>,
  maxBytes: number
): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = []
  let size = 0
  let truncated = false
  for await (const chunk of body) {
    const room = maxBytes - size
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room))
      size += room
      truncated = true
      break
    }
    chunks.push(chunk)
    size += chunk.length
  }
  return { bytes: Buffer.concat(chunks, size), truncated }
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
