import { errors } from 'undici'
import { describe, expect, it } from 'vitest'
import { classifyError, type ErrorContext } from '../../../electron/core/engine/classify-error.ts'
import type { ErrorCode, FailurePhase } from '../../../shared/errors.ts'

const ctx = (phase: FailurePhase): ErrorContext => ({
  phase,
  connectTimeoutMs: 1_234,
  headersTimeoutMs: 2_345,
  bodyTimeoutMs: 3_456
})

/** An error shaped like Node's system errors (errno / getaddrinfo / zlib / TLS). */
const sys = (code: string, message = `${code} happened`): Error => Object.assign(new Error(message), { code })

/** undici's llhttp errors carry `HPE_<llhttp code>` (its typings omit the code argument). */
const parserError = (llhttpCode: string): Error =>
  Object.assign(new errors.HTTPParserError('Parse Error'), { code: `HPE_${llhttpCode}` })

type Row = readonly [what: string, error: unknown, code: ErrorCode, phase: FailurePhase, retryable: boolean]

describe('classifyError', () => {
  const rows: Row[] = [
    // undici's own errors
    ['undici ConnectTimeoutError', new errors.ConnectTimeoutError(), 'TIMEOUT_CONNECT', 'connect', true],
    ['undici HeadersTimeoutError', new errors.HeadersTimeoutError(), 'TIMEOUT_HEADERS', 'headers', true],
    ['undici BodyTimeoutError', new errors.BodyTimeoutError(), 'TIMEOUT_BODY', 'body', true],
    ['undici SocketError', new errors.SocketError('other side closed'), 'RESET', 'headers', true],
    ['undici ClientClosedError', new errors.ClientClosedError(), 'RESET', 'headers', true],
    [
      'undici content-length mismatch',
      new errors.ResponseContentLengthMismatchError(),
      'RESET',
      'headers',
      true
    ],
    ['undici HTTPParserError', parserError('INVALID_CONSTANT'), 'PROTOCOL', 'headers', false],
    ['undici InformationalError', new errors.InformationalError('bad 1xx'), 'PROTOCOL', 'headers', false],
    // system errors
    ['ETIMEDOUT', sys('ETIMEDOUT'), 'TIMEOUT_CONNECT', 'connect', true],
    ['ECONNREFUSED', sys('ECONNREFUSED'), 'CONNECT_REFUSED', 'connect', true],
    ['ECONNRESET', sys('ECONNRESET'), 'RESET', 'headers', true],
    ['EPIPE', sys('EPIPE'), 'RESET', 'headers', true],
    ['ERR_STREAM_PREMATURE_CLOSE', sys('ERR_STREAM_PREMATURE_CLOSE'), 'RESET', 'headers', true],
    ['ENOTFOUND', sys('ENOTFOUND'), 'DNS', 'dns', false],
    ['EAI_NONAME', sys('EAI_NONAME'), 'DNS', 'dns', false],
    ['EAI_AGAIN (temporary)', sys('EAI_AGAIN'), 'DNS', 'dns', true],
    ['EHOSTUNREACH', sys('EHOSTUNREACH'), 'NETWORK', 'connect', true],
    ['ENETUNREACH', sys('ENETUNREACH'), 'NETWORK', 'connect', true],
    ['EADDRNOTAVAIL', sys('EADDRNOTAVAIL'), 'NETWORK', 'connect', true],
    // decoding
    ['Z_DATA_ERROR', sys('Z_DATA_ERROR'), 'PROTOCOL', 'body', false],
    ['Z_BUF_ERROR', sys('Z_BUF_ERROR'), 'PROTOCOL', 'body', false],
    ['ERR_BROTLI_DECOMPRESSION_FAILED', sys('ERR_BROTLI_DECOMPRESSION_FAILED'), 'PROTOCOL', 'body', false],
    // TLS
    ['CERT_HAS_EXPIRED', sys('CERT_HAS_EXPIRED'), 'TLS', 'tls', false],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', sys('DEPTH_ZERO_SELF_SIGNED_CERT'), 'TLS', 'tls', false],
    ['SELF_SIGNED_CERT_IN_CHAIN', sys('SELF_SIGNED_CERT_IN_CHAIN'), 'TLS', 'tls', false],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', sys('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'TLS', 'tls', false],
    ['ERR_TLS_CERT_ALTNAME_INVALID', sys('ERR_TLS_CERT_ALTNAME_INVALID'), 'TLS', 'tls', false],
    ['ERR_SSL_WRONG_VERSION_NUMBER', sys('ERR_SSL_WRONG_VERSION_NUMBER'), 'TLS', 'tls', false],
    ['EPROTO', sys('EPROTO'), 'TLS', 'tls', false],
    // wrapping
    ['a cause chain', new TypeError('fetch failed', { cause: sys('ECONNRESET') }), 'RESET', 'headers', true],
    [
      'an abort wrapping the real cause',
      Object.assign(new errors.RequestAbortedError(), { cause: sys('ECONNREFUSED') }),
      'CONNECT_REFUSED',
      'connect',
      true
    ],
    [
      'AggregateError from autoSelectFamily',
      new AggregateError([sys('ECONNREFUSED'), sys('ECONNREFUSED')], 'connect failed'),
      'CONNECT_REFUSED',
      'connect',
      true
    ],
    // anything else is a retryable NETWORK error in the current phase
    ['a plain Error', new Error('boom'), 'NETWORK', 'headers', true],
    ['a thrown string', 'boom', 'NETWORK', 'headers', true],
    ['an unknown code', sys('ESOMETHINGNEW'), 'NETWORK', 'headers', true]
  ]

  it.each(rows)('%s → %s', (_what, error, code, phase, retryable) => {
    const failure = classifyError(error, ctx('headers'))
    expect(failure).toMatchObject({ code, phase, retryable })
    expect(failure.message.length).toBeGreaterThan(0)
    expect(failure.status).toBeUndefined()
  })

  it('a reset keeps the phase it happened in', () => {
    expect(classifyError(sys('ECONNRESET'), ctx('body')).phase).toBe('body')
    expect(classifyError(sys('ECONNRESET'), ctx('connect')).phase).toBe('connect')
    expect(classifyError(parserError('INVALID_CHUNK_SIZE'), ctx('body')).phase).toBe('body')
  })

  it('timeout messages name the limit that was hit and what to change', () => {
    expect(classifyError(new errors.ConnectTimeoutError(), ctx('connect')).message).toMatch(
      /1234 ms.*Connect timeout/
    )
    expect(classifyError(new errors.HeadersTimeoutError(), ctx('headers')).message).toMatch(
      /2345 ms.*Headers timeout/
    )
    expect(classifyError(new errors.BodyTimeoutError(), ctx('body')).message).toMatch(
      /3456 ms.*Body idle timeout/
    )
  })

  it('messages carry the underlying detail where it helps', () => {
    expect(
      classifyError(sys('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'), ctx('connect')).message
    ).toContain('127.0.0.1:9')
    expect(classifyError(sys('ENOTFOUND'), ctx('dns')).message).toContain('ENOTFOUND')
    expect(classifyError(new Error('boom'), ctx('body')).message).toContain('boom')
  })

  it('a deep cause chain is not followed forever', () => {
    let error: Error = sys('ECONNRESET')
    for (let i = 0; i < 10; i += 1) error = new Error(`wrap ${i}`, { cause: error })
    expect(classifyError(error, ctx('headers')).code).toBe('NETWORK')
  })
})
