import zlib from 'node:zlib'
import type { Dispatcher } from 'undici'
import type { RequestFailure } from '../../../shared/errors.ts'
import { noteRequestStart, type TimingRecord } from './timing.ts'
import { isHtmlContentType, TITLE_SCAN_BYTES } from './title.ts'

/**
 * One HTTP exchange (one hop of an attempt) as an undici dispatch handler. Reading the body in the
 * handler, rather than through `request()`'s Readable, lets us count decoded bytes against the cap
 * as they arrive, stop a gzip bomb at the first chunk past it, keep only the bytes the title needs,
 * and abort without an AbortSignal per request: this path runs once per request at thousands of
 * requests a second.
 */

export type ResponseHeaders = Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseStart']>>[2]

export interface HopOptions {
  readonly maxBodyBytes: number
  /** Redirect responses: read (and drop) at most this much of their body. */
  readonly discardBody: (status: number, headers: ResponseHeaders) => boolean
  readonly method: 'GET' | 'HEAD'
  /**
   * Where the body goes as it is read (spider mode: link extraction), asked once the response
   * headers are in; every decoded chunk within the byte cap is written to it.
   */
  readonly bodySink?: (status: number, headers: ResponseHeaders) => BodySink | null
}

export interface BodySink {
  write(chunk: Buffer): void
}

export type HopOutcome =
  | {
      readonly kind: 'response'
      readonly status: number
      readonly headers: ResponseHeaders
      readonly bytes: number
      /** The first bytes of an HTML body, for the title; null when not captured. */
      readonly captured: Buffer | null
    }
  | ({ readonly kind: 'failure'; readonly failure: RequestFailure } & Responded)
  | ({ readonly kind: 'error'; readonly error: unknown } & Responded)
  | ({ readonly kind: 'aborted'; readonly reason: symbol } & Responded)

/** What had arrived when an exchange failed: the status and headers, or null before headers. */
interface Responded {
  readonly status: number | null
  readonly headers: ResponseHeaders | null
}

const DISCARD_LIMIT = 64 * 1024

function headerText(headers: ResponseHeaders, name: string): string | null {
  const value = headers[name]
  if (value === undefined) return null
  return Array.isArray(value) ? value.join(', ') : value
}

function decoderFor(
  encoding: string
): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | zlib.ZstdDecompress | null {
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

type Decoder = NonNullable<ReturnType<typeof decoderFor>>

/** Decoders for a Content-Encoding list in decoding order; null when one is unknown. */
function decodersFor(contentEncoding: string | null): Decoder[] | null {
  if (!contentEncoding) return []
  const names = contentEncoding
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '' && s !== 'identity')
  const decoders: Decoder[] = []
  for (const name of names.reverse()) {
    const decoder = decoderFor(name)
    if (!decoder) return null
    decoders.push(decoder)
  }
  return decoders
}

export const tooLarge = (max: number, what: string, status: number | null): RequestFailure => ({
  code: 'BODY_TOO_LARGE',
  phase: 'body',
  retryable: false,
  message: `${what} exceeds Max body bytes (${max} bytes): raise the limit or use HEAD.`,
  ...(status === null ? {} : { status })
})

export class HopHandler implements Dispatcher.DispatchHandler {
  readonly #options: HopOptions
  readonly #record: TimingRecord
  readonly #settle: (outcome: HopOutcome) => void
  #controller: Dispatcher.DispatchController | null = null
  #pendingAbort: symbol | null = null
  #settled = false
  #status = 0
  #headers: ResponseHeaders = {}
  #mode: 'none' | 'discard' | 'read' = 'none'
  #decoder: Decoder | null = null
  #chain: Decoder[] = []
  #capture: Buffer[] | null = null
  #sink: BodySink | null = null
  #captured = 0
  #bytes = 0
  #discarded = 0

  constructor(options: HopOptions, record: TimingRecord, settle: (outcome: HopOutcome) => void) {
    this.#options = options
    this.#record = record
    this.#settle = settle
  }

  /** Aborts the exchange with a reason the attempt understands (cancel, total timeout). */
  abort(reason: symbol): void {
    if (this.#settled) return
    this.#finish({ kind: 'aborted', reason, ...this.#responded() })
    if (this.#controller) this.#controller.abort(new Error(reason.description))
    else this.#pendingAbort = reason
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller
    if (this.#pendingAbort) {
      controller.abort(new Error(this.#pendingAbort.description))
      return
    }
    this.#record.sentAt = performance.now()
    noteRequestStart(this.#record)
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: ResponseHeaders
  ): void {
    if (statusCode < 200 || this.#settled) return
    this.#record.headersAt = performance.now()
    this.#status = statusCode
    this.#headers = headers
    if (this.#options.method === 'HEAD') return
    if (this.#options.discardBody(statusCode, headers)) {
      this.#mode = 'discard'
      return
    }
    const max = this.#options.maxBodyBytes
    const contentType = headerText(headers, 'content-type')
    const decoders = decodersFor(headerText(headers, 'content-encoding'))
    const declared = Number(headerText(headers, 'content-length') ?? Number.NaN)
    if (decoders?.length === 0 && declared > max) {
      this.#fail(tooLarge(max, `Content-Length ${declared}`, statusCode))
      controller.abort(new Error('body too large'))
      return
    }
    this.#mode = 'read'
    if (decoders !== null && isHtmlContentType(contentType)) this.#capture = []
    if (decoders !== null) this.#sink = this.#options.bodySink?.(statusCode, headers) ?? null
    if (decoders && decoders.length > 0) this.#startDecoding(controller, decoders)
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#settled) return
    if (this.#mode === 'discard') {
      this.#discarded += chunk.length
      if (this.#discarded > DISCARD_LIMIT) {
        // A redirect with a big body: stop reading; the socket is not worth saving.
        this.#mode = 'none'
        this.#succeed()
        controller.abort(new Error('redirect body discarded'))
      }
      return
    }
    if (this.#mode !== 'read') return
    if (this.#decoder) {
      if (!this.#decoder.write(chunk)) {
        controller.pause()
        this.#decoder.once('drain', () => {
          controller.resume()
        })
      }
      return
    }
    this.#take(chunk, 'Body')
  }

  onResponseEnd(): void {
    this.#record.endAt = performance.now()
    if (this.#settled) return
    if (this.#decoder) {
      this.#decoder.end()
      return
    }
    this.#succeed()
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#record.endAt ??= performance.now()
    this.#destroyDecoders()
    if (this.#settled) return
    this.#finish({ kind: 'error', error, ...this.#responded() })
  }

  #startDecoding(controller: Dispatcher.DispatchController, decoders: Decoder[]): void {
    this.#chain = decoders
    for (let i = 0; i < decoders.length - 1; i += 1) {
      const from = decoders[i]
      const to = decoders[i + 1]
      if (from && to) from.pipe(to)
    }
    const first = decoders[0]
    const last = decoders[decoders.length - 1]
    if (!first || !last) return
    this.#decoder = first
    last.on('data', (chunk: Buffer) => {
      this.#take(chunk, 'Decoded body')
    })
    last.once('end', () => {
      this.#succeed()
    })
    for (const decoder of decoders) {
      decoder.once('error', (error: Error) => {
        if (this.#settled) return
        const code = (error as NodeJS.ErrnoException).code ?? 'Z_DATA_ERROR'
        this.#fail({
          code: 'PROTOCOL',
          phase: 'body',
          retryable: false,
          message: `The ${headerText(this.#headers, 'content-encoding') ?? 'compressed'} body could not be decoded (${code}).`,
          status: this.#status
        })
        controller.abort(error)
      })
    }
  }

  #take(chunk: Buffer, what: string): void {
    if (this.#settled) return
    this.#bytes += chunk.length
    const max = this.#options.maxBodyBytes
    if (this.#bytes > max) {
      this.#fail(tooLarge(max, what, this.#status))
      this.#controller?.abort(new Error('body too large'))
      return
    }
    this.#sink?.write(chunk)
    if (this.#capture && this.#captured < TITLE_SCAN_BYTES) {
      const part = chunk.subarray(0, TITLE_SCAN_BYTES - this.#captured)
      this.#capture.push(part)
      this.#captured += part.length
    }
  }

  #succeed(): void {
    this.#finish({
      kind: 'response',
      status: this.#status,
      headers: this.#headers,
      bytes: this.#bytes,
      captured: this.#capture ? Buffer.concat(this.#capture, this.#captured) : null
    })
  }

  #fail(failure: RequestFailure): void {
    this.#finish({ kind: 'failure', failure, ...this.#responded() })
  }

  #responded(): Responded {
    return this.#status > 0
      ? { status: this.#status, headers: this.#headers }
      : { status: null, headers: null }
  }

  #finish(outcome: HopOutcome): void {
    if (this.#settled) return
    this.#settled = true
    if (outcome.kind !== 'response') this.#destroyDecoders()
    this.#settle(outcome)
  }

  #destroyDecoders(): void {
    for (const decoder of this.#chain) decoder.destroy()
    this.#chain = []
    this.#decoder = null
  }
}
