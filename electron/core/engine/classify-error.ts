import type { ErrorCode, FailurePhase, RequestFailure } from '../../../shared/errors.ts'

/**
 * Maps what undici, the socket layer and zlib throw onto our stable failure codes, with a
 * message that says what happened and what to try next.
 */

export interface ErrorContext {
  /** Where the attempt was when it failed. */
  readonly phase: FailurePhase
  readonly connectTimeoutMs: number
  readonly headersTimeoutMs: number
  readonly bodyTimeoutMs: number
}

interface ErrorLike {
  readonly code?: unknown
  readonly name?: unknown
  readonly message?: unknown
  readonly cause?: unknown
  readonly errors?: unknown
}

const asErrorLike = (value: unknown): ErrorLike => (typeof value === 'object' && value !== null ? value : {})

/** The innermost useful system/undici code, looking through `cause` and AggregateError. */
function codeOf(error: unknown): string {
  let current: unknown = error
  for (let depth = 0; depth < 5 && current; depth += 1) {
    const e = asErrorLike(current)
    if (typeof e.code === 'string' && e.code !== 'UND_ERR_ABORTED' && e.code !== 'ABORT_ERR') return e.code
    if (Array.isArray(e.errors) && e.errors.length > 0) current = e.errors[0]
    else current = e.cause
  }
  const top = asErrorLike(error)
  return typeof top.code === 'string' ? top.code : typeof top.name === 'string' ? top.name : 'UNKNOWN'
}

const messageOf = (error: unknown): string => {
  const e = asErrorLike(error)
  return typeof e.message === 'string' && e.message !== '' ? e.message : String(error)
}

const failure = (
  code: ErrorCode,
  phase: FailurePhase,
  retryable: boolean,
  message: string
): RequestFailure => ({ code, phase, retryable, message })

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_OSSL|EPROTO$)/

export function classifyError(error: unknown, ctx: ErrorContext): RequestFailure {
  const code = codeOf(error)
  const detail = messageOf(error)
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return failure(
        'TIMEOUT_CONNECT',
        'connect',
        true,
        `Connect timed out after ${ctx.connectTimeoutMs} ms: raise Connect timeout or lower Concurrency.`
      )
    case 'UND_ERR_HEADERS_TIMEOUT':
      return failure(
        'TIMEOUT_HEADERS',
        'headers',
        true,
        `No response headers within ${ctx.headersTimeoutMs} ms: raise Headers timeout or lower Concurrency per host.`
      )
    case 'UND_ERR_BODY_TIMEOUT':
      return failure(
        'TIMEOUT_BODY',
        'body',
        true,
        `Body stalled for ${ctx.bodyTimeoutMs} ms between chunks: raise Body idle timeout.`
      )
    case 'ECONNREFUSED':
      return failure('CONNECT_REFUSED', 'connect', true, `Connection refused (${detail}).`)
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
    case 'EAI_NODATA':
      return failure('DNS', 'dns', false, `Host name did not resolve (${code}): check the URL.`)
    case 'EAI_AGAIN':
      return failure('DNS', 'dns', true, 'DNS lookup failed temporarily (EAI_AGAIN).')
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return failure(
        'RESET',
        ctx.phase,
        true,
        `Connection closed by the server during ${ctx.phase} (${code}).`
      )
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENETDOWN':
    case 'EHOSTDOWN':
    case 'EADDRNOTAVAIL':
      return failure('NETWORK', 'connect', true, `Network error: ${code} (${detail}).`)
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
    case 'ERR_BROTLI_DECOMPRESSION_FAILED':
    case 'ERR__ERROR_FORMAT_PADDING_1':
      return failure('PROTOCOL', 'body', false, `The compressed body could not be decoded (${code}).`)
    default:
      break
  }
  if (code.startsWith('HPE_') || code === 'UND_ERR_INFO') {
    return failure('PROTOCOL', ctx.phase, false, `Malformed HTTP response (${code}: ${detail}).`)
  }
  if (TLS_CODE.test(code)) {
    return failure('TLS', 'tls', false, `TLS failed (${code}): ${detail}`)
  }
  return failure('NETWORK', ctx.phase, true, `${code}: ${detail}`)
}
