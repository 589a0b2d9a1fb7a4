import { pipeline, type Readable } from 'node:stream'
import zlib from 'node:zlib'
import type { Dispatcher } from 'undici'
import type { FailurePhase, RequestFailure } from '../../../shared/errors.ts'
import type { RedirectHop, TimingPhases } from '../../../shared/result.ts'
import { classifyError } from './classify-error.ts'
import type { HttpClient } from './http-client.ts'
import { newTimingRecord, phasesOf, type TimingRecord } from './timing.ts'
import { isHtmlContentType, TITLE_SCAN_BYTES, titleOf } from './title.ts'

/**
 * One attempt at one URL: the request, every redirect hop, and the body read under the byte cap,
 * all inside the attempt's total deadline. Request failures come back as data; only bugs throw.
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
  /** Epoch ms. */
  readonly startedAt: number
  readonly durationMs: number
}

/** Abort reasons the engine passes to an attempt's AbortController. */
export const CANCELLED = Symbol('cancelled')
const TOTAL_TIMEOUT = Symbol('total-timeout')

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
const REDIRECT_BODY_LIMIT = 64 * 1024
const KEPT_HEADERS_MAX = 64
const KEPT_HEADER_CHARS = 1_024

class AttemptFailed extends Error {
  readonly failure: RequestFailure
  constructor(failure: RequestFailure) {
    super(failure.message)
    this.failure = failure
  }
}

const fail = (f: RequestFailure): never => {
  throw new AttemptFailed(f)
}

function headerValue(headers: Dispatcher.ResponseData['headers'], name: string): string | null {
  const value = headers[name]
  if (value === undefined) return null
  return Array.isArray(value) ? value.join(', ') : value
}

function keptHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const kept: Record<string, string> = {}
  let count = 0
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    if ((count += 1) > KEPT_HEADERS_MAX) break
    kept[name] = (Array.isArray(value) ? value.join(', ') : value).slice(0, KEPT_HEADER_CHARS)
  }
  return kept
}

function decoderFor(encoding: string): NodeJS.ReadWriteStream | null {
  // Browsers accept gzip/deflate bodies without their trailer, so flush leniently.
  const lenient = { finishFlush: zlib.constants.Z_SYNC_FLUSH }
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip(lenient)
    case 'deflate':
      return zlib.createInflate(lenient)
    case 'br':
      return zlib.createBrotliDecompress()
    case 'zstd':
      return zlib.createZstdDecompress()
    default:
      return null
  }
}

/** Decoders for a Content-Encoding list, in decoding order; null when one is unknown. */
function decodersFor(contentEncoding: string | null): NodeJS.ReadWriteStream[] | null {
  if (!contentEncoding) return []
  const names = contentEncoding
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '' && s !== 'identity')
  const decoders: NodeJS.ReadWriteStream[] = []
  for (const name of names.reverse()) {
    const decoder = decoderFor(name)
    if (!decoder) return null
    decoders.push(decoder)
  }
  return decoders
}

const tooLarge = (max: number, what: string): RequestFailure => ({
  code: 'BODY_TOO_LARGE',
  phase: 'body',
  retryable: false,
  message: `${what} exceeds Max body bytes (${max} bytes): raise the limit or use HEAD.`
})

interface BodyRead {
  readonly bytes: number
  readonly captured: Uint8Array | null
}

async function readBody(
  response: Dispatcher.ResponseData,
  settings: AttemptSettings,
  contentType: string | null
): Promise<BodyRead> {
  const max = settings.maxBodyBytes
  const decoders = decodersFor(headerValue(response.headers, 'content-encoding'))
  const declared = Number(headerValue(response.headers, 'content-length') ?? Number.NaN)
  if (decoders?.length === 0 && declared > max) {
    response.body.destroy()
    fail(tooLarge(max, `Content-Length ${declared}`))
  }
  const wantTitle = decoders !== null && isHtmlContentType(contentType)
  const source: Readable =
    decoders && decoders.length > 0
      ? (pipeline([response.body, ...decoders], () => undefined) as unknown as Readable)
      : response.body
  const chunks: Buffer[] = []
  let captured = 0
  let bytes = 0
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      bytes += chunk.length
      if (bytes > max) fail(tooLarge(max, decoders?.length ? 'Decoded body' : 'Body'))
      if (wantTitle && captured < TITLE_SCAN_BYTES) {
        const part = chunk.subarray(0, TITLE_SCAN_BYTES - captured)
        chunks.push(part)
        captured += part.length
      }
    }
  } finally {
    if (!response.body.destroyed && bytes > max) response.body.destroy()
  }
  return { bytes, captured: wantTitle ? Buffer.concat(chunks, captured) : null }
}

function resolveRedirect(location: string, base: URL): URL {
  let next: URL
  try {
    next = new URL(location, base)
  } catch {
    return fail({
      code: 'INVALID_URL',
      phase: 'redirect',
      retryable: false,
      message: `Redirect to an invalid URL: "${location.slice(0, 200)}".`
    })
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    fail({
      code: 'INVALID_URL',
      phase: 'redirect',
      retryable: false,
      message: `Redirect to unsupported scheme "${next.protocol}".`
    })
  }
  next.hash = ''
  return next
}

export async function fetchAttempt(
  client: HttpClient,
  url: URL,
  settings: AttemptSettings,
  controller: AbortController
): Promise<AttemptData> {
  const startedAt = Date.now()
  const started = performance.now()
  const timer = setTimeout(() => {
    controller.abort(TOTAL_TIMEOUT)
  }, settings.totalTimeoutMs)
  const redirects: RedirectHop[] = []
  const visited = new Set([url.href])
  let current = url
  let record: TimingRecord = newTimingRecord(started)
  let phase: FailurePhase = 'connect'
  let status: number | null = null
  let headers: Dispatcher.ResponseData['headers'] = {}
  let contentType: string | null = null
  let bytes = 0
  let title: string | null = null
  let error: RequestFailure | null = null

  try {
    for (;;) {
      const hopStarted = performance.now()
      record = newTimingRecord(hopStarted)
      phase = 'connect'
      const response = await client.dispatcher.request({
        origin: current.origin,
        path: current.pathname + current.search,
        method: settings.method,
        headers: settings.headers,
        signal: controller.signal,
        headersTimeout: settings.headersTimeoutMs,
        bodyTimeout: settings.bodyTimeoutMs,
        timing: record
      } as Dispatcher.RequestOptions)
      phase = 'body'
      status = response.statusCode
      headers = response.headers
      const location = headerValue(headers, 'location')
      if (REDIRECT_STATUSES.has(status) && location !== null && settings.maxRedirects > 0) {
        await response.body.dump({ limit: REDIRECT_BODY_LIMIT }).catch(() => undefined)
        const next = resolveRedirect(location, current)
        redirects.push({
          url: current.href,
          status,
          location: next.href,
          durationMs: performance.now() - hopStarted
        })
        if (visited.has(next.href)) {
          fail({
            code: 'REDIRECT_LOOP',
            phase: 'redirect',
            retryable: false,
            message: `Redirect loop: ${next.href} was already visited in this chain.`,
            status
          })
        }
        if (redirects.length > settings.maxRedirects) {
          fail({
            code: 'TOO_MANY_REDIRECTS',
            phase: 'redirect',
            retryable: false,
            message: `More than ${settings.maxRedirects} redirects: raise Max redirects or check the URL.`,
            status
          })
        }
        visited.add(next.href)
        current = next
        continue
      }
      contentType = headerValue(headers, 'content-type')
      if (settings.method === 'HEAD') {
        await response.body.dump()
      } else {
        const body = await readBody(response, settings, contentType)
        bytes = body.bytes
        if (body.captured) title = titleOf(body.captured, contentType)
      }
      if (status >= 400) {
        const text = headerValue(headers, 'x-status-text') ?? ''
        error = {
          code: 'HTTP_STATUS',
          phase: 'headers',
          retryable: settings.retryStatuses.includes(status),
          message: `HTTP ${status}${text ? ` ${text}` : ''}`.slice(0, 300),
          status
        }
      }
      break
    }
  } catch (thrown) {
    if (thrown instanceof AttemptFailed) error = thrown.failure
    else if (controller.signal.reason === CANCELLED) {
      error = { code: 'ABORTED', phase, retryable: false, message: 'Cancelled before the response finished.' }
    } else if (controller.signal.reason === TOTAL_TIMEOUT) {
      error = {
        code: 'TIMEOUT_TOTAL',
        phase: 'total',
        retryable: true,
        message: `The attempt took longer than Total timeout (${settings.totalTimeoutMs} ms) during ${phase === 'connect' && record.sentAt !== null ? 'headers' : phase}.`
      }
    } else {
      const where: FailurePhase = phase === 'connect' && record.sentAt !== null ? 'headers' : phase
      error = classifyError(thrown, { ...settings, phase: where })
    }
  } finally {
    clearTimeout(timer)
  }

  const ended = performance.now()
  const phases = phasesOf(record, ended)
  const retryAfter = status !== null ? headerValue(headers, 'retry-after') : null
  return {
    status: error && error.code !== 'HTTP_STATUS' && phase !== 'body' ? null : status,
    finalUrl: current.href,
    redirects,
    error,
    retryAfter,
    timings: { ...phases, total: ended - started },
    bytes,
    contentType,
    title,
    headers: keptHeaders(headers),
    startedAt,
    durationMs: ended - started
  }
}
