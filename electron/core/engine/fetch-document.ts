import { request, type Dispatcher } from 'undici'
import type { ErrorCode } from '../../../shared/errors.ts'
import type { DocumentFetcher, DocumentRequest, FetchedDocument } from '../crawl/document-fetch.ts'
import { classifyError } from './classify-error.ts'

/**
 * The engine's DocumentFetcher: GETs over a dispatcher (the run's HTTP client, so robots.txt and
 * sitemaps share its sockets, timeouts and DNS cache), following redirects itself so that a loop
 * or a chain too long is named rather than silently cut.
 */

const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** Short labels for network failures ("connection refused"), for the hosts view and reports. */
const NETWORK_DETAIL: Partial<Record<ErrorCode, string>> = {
  CONNECT_REFUSED: 'connection refused',
  DNS: 'host name did not resolve',
  RESET: 'connection reset',
  TIMEOUT_CONNECT: 'connect timed out',
  TIMEOUT_HEADERS: 'no response headers in time',
  TIMEOUT_BODY: 'body stalled',
  TLS: 'TLS failed'
}

const headerValue = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value

/** A fetcher over `dispatcher` (undici's global one when absent). */
export function documentFetcher(dispatcher?: Dispatcher): DocumentFetcher {
  return (req) => fetchDocument(req, dispatcher)
}

async function fetchDocument(
  req: DocumentRequest,
  dispatcher: Dispatcher | undefined
): Promise<FetchedDocument> {
  const controller = new AbortController()
  const deadline = new Error(`deadline of ${req.timeoutMs} ms`)
  const timer = setTimeout(() => {
    controller.abort(deadline)
  }, req.timeoutMs)
  const onCancel = () => {
    controller.abort()
  }
  req.signal?.addEventListener('abort', onCancel, { once: true })
  if (req.signal?.aborted) controller.abort()

  let url = req.url
  let redirects = 0
  const visited = new Set([url])
  const failed = (code: ErrorCode, detail: string, status?: number): FetchedDocument => ({
    kind: 'failed',
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
        headers: { 'user-agent': req.userAgent, accept: req.accept },
        signal: controller.signal,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
        ...(dispatcher ? { dispatcher } : {})
      })
      const status = response.statusCode
      if (REDIRECTS.has(status)) {
        await response.body.dump()
        const location = headerValue(response.headers.location)
        const next = location === undefined ? null : URL.parse(location, url)
        if (next === null || (next.protocol !== 'http:' && next.protocol !== 'https:')) {
          return failed('HTTP_STATUS', `HTTP ${status} without a usable Location`, status)
        }
        next.hash = ''
        if (visited.has(next.href))
          return failed('REDIRECT_LOOP', `redirect loop back to ${next.href}`, status)
        if (redirects >= req.maxRedirects) {
          return failed('TOO_MANY_REDIRECTS', `more than ${req.maxRedirects} redirects`, status)
        }
        redirects += 1
        url = next.href
        visited.add(url)
        continue
      }
      if (status >= 200 && status < 300) {
        const { bytes, truncated } = await readCapped(response.body, req.maxBytes)
        return { kind: 'body', url, redirects, status, bytes, truncated }
      }
      await response.body.dump()
      return { kind: 'status', url, redirects, status }
    }
  } catch (error) {
    if (controller.signal.reason === deadline)
      return failed('TIMEOUT_TOTAL', `timed out after ${req.timeoutMs} ms`)
    if (controller.signal.aborted) return failed('ABORTED', 'cancelled')
    const failure = classifyError(error, {
      phase: 'connect',
      connectTimeoutMs: req.timeoutMs,
      headersTimeoutMs: req.timeoutMs,
      bodyTimeoutMs: req.timeoutMs
    })
    return failed(failure.code, NETWORK_DETAIL[failure.code] ?? failure.message)
  } finally {
    clearTimeout(timer)
    req.signal?.removeEventListener('abort', onCancel)
  }
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
