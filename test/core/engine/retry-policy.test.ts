import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'
import type { RequestFailure } from '../../../shared/errors.ts'
import {
  backoffDelay,
  decideRetry,
  judgeAttempt,
  parseRetryAfter,
  type RetryDecision,
  type RetrySettings
} from '../../../electron/core/engine/retry-policy.ts'

const NOW = Date.parse('2026-11-22T12:00:00Z')
const settings: RetrySettings = {
  retries: 3,
  backoffBaseMs: 500,
  backoffMaxMs: 4_000,
  retryStatuses: [429, 500, 502, 503, 504],
  respectRetryAfter: true,
  retryAfterMaxMs: 60_000
}
const status = (code: number): RequestFailure => ({
  code: 'HTTP_STATUS',
  phase: 'headers',
  retryable: false,
  message: `HTTP ${code}`,
  status: code
})
const net = (code: RequestFailure['code'], retryable: boolean): RequestFailure => ({
  code,
  phase: 'connect',
  retryable,
  message: code
})

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['5', 5_000],
    ['  120 ', 120_000],
    ['Sun, 22 Nov 2026 12:00:30 GMT', 30_000],
    ['Sun, 22 Nov 2026 11:59:00 GMT', 0],
    ['Sunday, 22-Nov-26 12:00:10 GMT', 10_000],
    ['Sun Nov 22 12:00:02 2026', 2_000],
    ['Sun, 32 Nov 2026 12:00:02 GMT', null],
    ['Sun, 22 Foo 2026 12:00:02 GMT', null],
    ['-5', null],
    ['1.5', null],
    ['soon', null],
    ['', null],
    [null, null]
  ] as const)('%j → %j ms', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected)
  })
})

describe('backoffDelay (full jitter)', () => {
  it.each([
    [1, 0.999, 499],
    [2, 0.999, 999],
    [3, 0.5, 1_000],
    [4, 0.999, 3_996],
    [10, 0.999, 3_996],
    [1, 0, 0]
  ])('attempt %i with random %f → %i ms', (attempt, random, expected) => {
    expect(backoffDelay(attempt, 500, 4_000, () => random)).toBe(expected)
  })
})

describe('decideRetry', () => {
  const cases: [string, RequestFailure, number, string | null, Partial<RetrySettings>, RetryDecision][] = [
    [
      '503 is retried with backoff',
      status(503),
      1,
      null,
      {},
      { retry: true, delayMs: 250, reason: 'backoff', pauseHost: false }
    ],
    ['404 is final', status(404), 1, null, {}, { retry: false, why: 'not-retryable' }],
    [
      'a status outside the list is final',
      status(500),
      1,
      null,
      { retryStatuses: [503] },
      { retry: false, why: 'not-retryable' }
    ],
    [
      '429 honours Retry-After seconds and pauses the host',
      status(429),
      1,
      '7',
      {},
      { retry: true, delayMs: 7_000, reason: 'retry-after', pauseHost: true }
    ],
    [
      'Retry-After as HTTP-date',
      status(503),
      2,
      'Sun, 22 Nov 2026 12:00:03 GMT',
      {},
      { retry: true, delayMs: 3_000, reason: 'retry-after', pauseHost: true }
    ],
    [
      'Retry-After is clamped to the maximum',
      status(429),
      1,
      '3600',
      { retryAfterMaxMs: 10_000 },
      { retry: true, delayMs: 10_000, reason: 'retry-after', pauseHost: true }
    ],
    [
      'Retry-After ignored when turned off',
      status(429),
      1,
      '7',
      { respectRetryAfter: false },
      { retry: true, delayMs: 250, reason: 'backoff', pauseHost: false }
    ],
    [
      'malformed Retry-After falls back to backoff',
      status(429),
      1,
      'later',
      {},
      { retry: true, delayMs: 250, reason: 'backoff', pauseHost: false }
    ],
    [
      'timeouts are retried',
      net('TIMEOUT_CONNECT', true),
      3,
      null,
      {},
      { retry: true, delayMs: 1_000, reason: 'backoff', pauseHost: false }
    ],
    [
      'resets are retried',
      net('RESET', true),
      1,
      null,
      {},
      { retry: true, delayMs: 250, reason: 'backoff', pauseHost: false }
    ],
    ['TLS failures are not', net('TLS', false), 1, null, {}, { retry: false, why: 'not-retryable' }],
    ['attempts run out', net('RESET', true), 4, null, {}, { retry: false, why: 'attempts-exhausted' }],
    [
      'retries 0 never retries',
      status(503),
      1,
      '1',
      { retries: 0 },
      { retry: false, why: 'attempts-exhausted' }
    ]
  ]
  it.each(cases)('%s', (_name, failure, attempt, retryAfter, override, expected) => {
    const decision = decideRetry({
      attempt,
      failure,
      retryAfter,
      settings: { ...settings, ...override },
      now: NOW,
      random: () => 0.5
    })
    expect(decision).toEqual(expected)
  })

  it('defaults retry the statuses the docs promise', () => {
    expect(DEFAULT_CONFIG.retryStatuses).toEqual([429, 500, 502, 503, 504])
  })
})

describe('judgeAttempt: the attempt log entry and the retry that follows', () => {
  const status503: RequestFailure = {
    code: 'HTTP_STATUS',
    status: 503,
    phase: 'headers',
    retryable: true,
    message: 'HTTP 503'
  }
  const aborted: RequestFailure = { code: 'ABORTED', phase: 'connect', retryable: true, message: 'cancelled' }
  const facts = (error: RequestFailure | null, retryAfter: string | null = null) => ({
    status: error?.status ?? (error ? null : 200),
    error,
    retryAfter,
    startedAt: NOW - 40,
    durationMs: 40
  })
  const half = () => 0.5

  it.each([
    ['a success is logged ok, nothing follows', 1, facts(null), 'ok', null, null],
    ['a 503 with attempts left: backoff', 1, facts(status503), 'retry', 250, 'backoff'],
    ['a 503 asking Retry-After: 7', 2, facts(status503, '7'), 'retry', 7_000, 'retry-after'],
    ['a 503 on the last attempt: failed', 4, facts(status503), 'failed', null, null],
    ['a cancelled attempt is never retried', 1, facts(aborted), 'failed', null, null]
  ] as const)('%s', (_name, attempt, given, outcome, waitMs, reason) => {
    const { record, retry } = judgeAttempt(attempt, given, { settings, now: NOW, random: half })
    expect(record).toEqual({
      attempt,
      startedAt: NOW - 40,
      durationMs: 40,
      status: given.status,
      error: given.error,
      outcome,
      waitBeforeNextMs: waitMs,
      waitReason: reason
    })
    expect(retry === null ? null : [retry.delayMs, retry.reason]).toEqual(
      waitMs === null ? null : [waitMs, reason]
    )
  })
})
