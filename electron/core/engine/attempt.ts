import type { FailurePhase, RequestFailure } from '../../../shared/errors.ts'
import type { RedirectHop, TimingPhases } from '../../../shared/result.ts'
import { classifyError } from './classify-error.ts'
import { HopHandler, type HopOutcome, type ResponseHeaders } from './hop-handler.ts'
import type { HttpClient } from './http-client.ts'
import { newTimingRecord, phasesOf, type TimingRecord } from './timing.ts'
import type { ExtractedLinks, LinkExtractorOptions } from '../crawl/link-extractor.ts'
import { HtmlLinkSink } from './link-sink.ts'
import { isHtmlContentType, titleOf } from './title.ts'

/**
 * One attempt at one URL: the request, every redirect hop (each recorded), and the body read
 * under the byte cap, all inside the attempt's total deadline. Request failures come back as data;
 * only bugs throw.
 */

export interface AttemptSettings {
  readonly method: 'GET' | 'HEAD'
  readonly headers: Readonly<Record<string, string>>
  readonly connectTimeoutMs: number
  readonly headersTimeoutMs: number
  readonly bodyTimeoutMs: number
  readonly totalTimeoutMs: number
  readonly maxRedirects: number
  readonly maxBodyBytes: number
  readonly retryStatuses: readonly number[]
  /** Spider mode: extract links from 2xx HTML bodies with these options (null: don't). */
  readonly links: LinkExtractorOptions | null
  /**
   * Spider mode with robots.txt: asked before each redirect is followed (RFC 9309 applies to every
   * URL fetched, a redirect's target included); a failure stops the attempt with it. Null: follow.
   */
  readonly checkRedirect: ((target: URL) => Promise<RequestFailure | null>) | null
}

export interface AttemptData {
  readonly status: number | null
  readonly finalUrl: string
  readonly redirects: readonly RedirectHop[]
  readonly error: RequestFailure | null
  /** The Retry-After header of the final response, for the retry policy. */
  readonly retryAfter: string | null
  readonly timings: TimingPhases
  readonly bytes: number
  readonly contentType: string | null
  readonly title: string | null
  readonly headers: Readonly<Record<string, string>>
  /** The links of a 2xx HTML page read whole (within the cap), when asked for; else null. */
  readonly links: ExtractedLinks | null
  /** Epoch ms. */
  readonly startedAt: number
  readonly durationMs: number
}

export const CANCELLED = Symbol('cancelled')
const TOTAL_TIMEOUT = Symbol('total timeout')

/** Lets the engine abort an attempt in flight (cancel). */
export class AttemptControl {
  #hop: HopHandler | null = null
  #reason: symbol | null = null

  abort(reason: symbol): void {
    this.#reason ??= reason
    this.#hop?.abort(reason)
  }

  get reason(): symbol | null {
    return this.#reason
  }

  /** @internal the hop now in flight */
  attach(hop: HopHandler | null): void {
    this.#hop = hop
    if (hop && this.#reason) hop.abort(this.#reason)
  }
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
const KEPT_HEADERS_MAX = 64
const KEPT_HEADER_CHARS = 1_024

function headerValue(headers: ResponseHeaders | null, name: string): string | null {
  const value = headers?.[name]
  if (value === undefined) return null
  return Array.isArray(value) ? value.join(', ') : value
}

function keptHeaders(headers: ResponseHeaders | null): Record<string, string> {
  const kept: Record<string, string> = {}
  if (!headers) return kept
  let count = 0
  for (const name in headers) {
    const value = headers[name]
    if (value === undefined) continue
    if ((count += 1) > KEPT_HEADERS_MAX) break
    kept[name] = (Array.isArray(value) ? value.join(', ') : value).slice(0, KEPT_HEADER_CHARS)
  }
  return kept
}

type RedirectCheck = { readonly next: URL } | { readonly failure: RequestFailure }

function redirectTarget(location: string, base: URL, status: number): RedirectCheck {
  let next: URL
  try {
    next = new URL(location, base)
  } catch {
    return {
      failure: {
        code: 'INVALID_URL',
        phase: 'redirect',
        retryable: false,
        message: `Redirect to an invalid URL: "${location.slice(0, 200)}".`,
        status
      }
    }
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    return {
      failure: {
        code: 'INVALID_URL',
        phase: 'redirect',
        retryable: false,
        message: `Redirect to unsupported scheme "${next.protocol}".`,
        status
      }
    }
  }
  next.hash = ''
  return { next }
}

function exchange(
  client: HttpClient,
  url: URL,
  settings: AttemptSettings,
  record: TimingRecord,
  control: AttemptControl,
  onSink: (sink: HtmlLinkSink) => void
): Promise<HopOutcome> {
  const links = settings.links
  return new Promise<HopOutcome>((resolve) => {
    const hop = new HopHandler(
      {
        method: settings.method,
        maxBodyBytes: settings.maxBodyBytes,
        discardBody: (status, headers) =>
          settings.maxRedirects > 0 && REDIRECT_STATUSES.has(status) && headers['location'] !== undefined,
        ...(links
          ? {
              bodySink: (status: number, headers: ResponseHeaders) => {
                const contentType = headerValue(headers, 'content-type')
                if (status < 200 || status >= 300 || !isHtmlContentType(contentType)) return null
                const sink = new HtmlLinkSink(url, contentType, links)
                onSink(sink)
                return sink
              }
            }
          : {})
      },
      record,
      resolve
    )
    control.attach(hop)
    try {
      client.dispatcher.dispatch(
        {
          origin: url.origin,
          path: url.pathname + url.search,
          method: settings.method,
          headers: settings.headers,
          headersTimeout: settings.headersTimeoutMs,
          bodyTimeout: settings.bodyTimeoutMs,
          timing: record
        } as Parameters<HttpClient['dispatcher']['dispatch']>[0],
        hop
      )
    } catch (error) {
      resolve({ kind: 'error', error, status: null, headers: null })
    }
  })
}

export async function fetchAttempt(
  client: HttpClient,
  url: URL,
  settings: AttemptSettings,
  control: AttemptControl
): Promise<AttemptData> {
  const startedAt = Date.now()
  const started = performance.now()
  const timer = setTimeout(() => {
    control.abort(TOTAL_TIMEOUT)
  }, settings.totalTimeoutMs)
  const redirects: RedirectHop[] = []
  const visited = new Set([url.href])
  let current = url
  let record: TimingRecord
  let outcome: HopOutcome
  let error: RequestFailure | null = null
  let status: number | null = null
  let headers: ResponseHeaders | null = null
  let bytes = 0
  let title: string | null = null
  // Set from inside the hop's callbacks; an object keeps TypeScript's flow analysis honest.
  const page: { sink: HtmlLinkSink | null } = { sink: null }
  const pageSink = (): HtmlLinkSink | null => page.sink
  let links: ExtractedLinks | null = null

  try {
    for (;;) {
      const hopStarted = performance.now()
      record = newTimingRecord(hopStarted)
      page.sink = null
      outcome = await exchange(client, current, settings, record, control, (sink) => {
        page.sink = sink
      })
      if (outcome.kind !== 'response') break
      status = outcome.status
      headers = outcome.headers
      const location = headerValue(headers, 'location')
      if (settings.maxRedirects > 0 && REDIRECT_STATUSES.has(status) && location !== null) {
        const target = redirectTarget(location, current, status)
        if ('failure' in target) {
          error = target.failure
          break
        }
        redirects.push({
          url: current.href,
          status,
          location: target.next.href,
          durationMs: performance.now() - hopStarted
        })
        if (visited.has(target.next.href)) {
          error = {
            code: 'REDIRECT_LOOP',
            phase: 'redirect',
            retryable: false,
            message: `Redirect loop: ${target.next.href} was already visited in this chain.`,
            status
          }
          break
        }
        if (redirects.length > settings.maxRedirects) {
          error = {
            code: 'TOO_MANY_REDIRECTS',
            phase: 'redirect',
            retryable: false,
            message: `More than ${settings.maxRedirects} redirects: raise Max redirects or check the URL.`,
            status
          }
          break
        }
        if (settings.checkRedirect) {
          const refused = await settings.checkRedirect(target.next)
          if (refused) {
            error = { ...refused, status }
            break
          }
        }
        visited.add(target.next.href)
        current = target.next
        continue
      }
      bytes = outcome.bytes
      if (outcome.captured) title = titleOf(outcome.captured, headerValue(headers, 'content-type'))
      links = pageSink()?.end() ?? null
      if (status >= 400) {
        error = {
          code: 'HTTP_STATUS',
          phase: 'headers',
          retryable: settings.retryStatuses.includes(status),
          message: `HTTP ${status}`,
          status
        }
      }
      break
    }
  } finally {
    clearTimeout(timer)
    control.attach(null)
  }

  if (outcome.kind !== 'response') {
    status = outcome.status
    headers = outcome.headers
  }
  if (outcome.kind === 'failure') {
    error = outcome.failure
  } else if (outcome.kind === 'error' || outcome.kind === 'aborted') {
    const phase: FailurePhase = status !== null ? 'body' : record.sentAt !== null ? 'headers' : 'connect'
    if (outcome.kind === 'aborted' && outcome.reason === CANCELLED) {
      error = { code: 'ABORTED', phase, retryable: false, message: 'Cancelled before the response finished.' }
    } else if (outcome.kind === 'aborted') {
      error = {
        code: 'TIMEOUT_TOTAL',
        phase: 'total',
        retryable: true,
        message: `The attempt took longer than Total timeout (${settings.totalTimeoutMs} ms) during ${phase}: raise Total timeout.`
      }
    } else {
      error = classifyError(outcome.error, { ...settings, phase })
    }
  }

  const ended = performance.now()
  return {
    status,
    finalUrl: current.href,
    redirects,
    error,
    retryAfter: headerValue(headers, 'retry-after'),
    timings: { ...phasesOf(record, ended), total: ended - started },
    bytes,
    contentType: headerValue(headers, 'content-type'),
    title,
    headers: keptHeaders(headers),
    links,
    startedAt,
    durationMs: ended - started
  }
}
