import type { LiveSettings } from '../../../shared/config.ts'
import type { RequestFailure } from '../../../shared/errors.ts'
import type { AttemptRecord } from '../../../shared/result.ts'

/**
 * The retry policy: a pure function from an attempt's outcome to "wait this long and try again"
 * or "give up". The engine only wires it in; all policy lives here and is table-tested.
 */

export type RetrySettings = Pick<
  LiveSettings,
  'retries' | 'backoffBaseMs' | 'backoffMaxMs' | 'retryStatuses' | 'respectRetryAfter' | 'retryAfterMaxMs'
>

export interface RetryInput {
  /** The attempt that just failed, 1-based. */
  readonly attempt: number
  readonly failure: RequestFailure
  /** The raw Retry-After header of the response, if any. */
  readonly retryAfter: string | null
  readonly settings: RetrySettings
  /** Epoch ms, for Retry-After given as an HTTP-date. */
  readonly now: number
  /** Uniform in [0, 1); injected so tests are exact. */
  readonly random: () => number
}

export type RetryDecision =
  | {
      readonly retry: true
      readonly delayMs: number
      readonly reason: 'backoff' | 'retry-after'
      /** True when the delay should hold back the whole host, not just this request. */
      readonly pauseHost: boolean
    }
  | { readonly retry: false; readonly why: 'not-retryable' | 'attempts-exhausted' }

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
// RFC 9110 §5.6.7: recipients must accept IMF-fixdate and the obsolete RFC 850 and asctime forms.
const IMF_FIXDATE = /^[a-z]{3}, (\d{2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) gmt$/i
const RFC850_DATE = /^[a-z]{6,9}, (\d{2})-([a-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) gmt$/i
const ASCTIME_DATE = /^[a-z]{3} ([a-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/i

function utc(year: number, month: string, day: number, h: string, m: string, s: string): number | null {
  const index = MONTHS.indexOf(month.toLowerCase())
  if (index < 0) return null
  const at = Date.UTC(year, index, day, Number(h), Number(m), Number(s))
  const d = new Date(at)
  // Date.UTC rolls over out-of-range fields (32 Nov → 2 Dec); a real date round-trips.
  const exact = d.getUTCDate() === day && d.getUTCHours() === Number(h) && d.getUTCMinutes() === Number(m)
  return Number.isNaN(at) || !exact || Number(s) > 60 ? null : at
}

/** Parses an HTTP-date in any of its three forms; null when it is none of them. */
export function parseHttpDate(text: string, now: number): number | null {
  let m = IMF_FIXDATE.exec(text)
  if (m) return utc(Number(m[3]), m[2] ?? '', Number(m[1]), m[4] ?? '', m[5] ?? '', m[6] ?? '')
  m = RFC850_DATE.exec(text)
  if (m) {
    // Two-digit years: RFC 9110 says a year more than 50 years ahead means the previous century.
    let year = 2000 + Number(m[3])
    if (year > new Date(now).getUTCFullYear() + 50) year -= 100
    return utc(year, m[2] ?? '', Number(m[1]), m[4] ?? '', m[5] ?? '', m[6] ?? '')
  }
  m = ASCTIME_DATE.exec(text)
  if (m) return utc(Number(m[6]), m[1] ?? '', Number(m[2]?.trim()), m[3] ?? '', m[4] ?? '', m[5] ?? '')
  return null
}

/**
 * Parses Retry-After (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date.
 * Returns the wait in ms (≥ 0), or null when the value is absent or malformed.
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null
  const text = value.trim()
  if (text === '') return null
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const at = parseHttpDate(text, now)
  return at === null ? null : Math.max(0, at - now)
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base · 2^(attempt−1))). */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.floor(random() * ceiling)
}

export function isRetryableFailure(failure: RequestFailure, retryStatuses: readonly number[]): boolean {
  if (failure.code === 'HTTP_STATUS')
    return failure.status !== undefined && retryStatuses.includes(failure.status)
  return failure.retryable
}

export function decideRetry(input: RetryInput): RetryDecision {
  const { attempt, failure, settings } = input
  if (!isRetryableFailure(failure, settings.retryStatuses)) return { retry: false, why: 'not-retryable' }
  if (attempt > settings.retries) return { retry: false, why: 'attempts-exhausted' }

  if (settings.respectRetryAfter && failure.code === 'HTTP_STATUS') {
    const asked = parseRetryAfter(input.retryAfter, input.now)
    if (asked !== null) {
      return {
        retry: true,
        delayMs: Math.min(asked, settings.retryAfterMaxMs),
        reason: 'retry-after',
        pauseHost: true
      }
    }
  }
  return {
    retry: true,
    delayMs: backoffDelay(attempt, settings.backoffBaseMs, settings.backoffMaxMs, input.random),
    reason: 'backoff',
    pauseHost: false
  }
}

/** What an attempt came back with, as far as the retry decision and the attempt log care. */
export interface AttemptFacts {
  readonly status: number | null
  readonly error: RequestFailure | null
  readonly retryAfter: string | null
  /** Epoch ms. */
  readonly startedAt: number
  readonly durationMs: number
}

export interface AttemptVerdict {
  /** The attempt as the result's attempt log shows it. */
  readonly record: AttemptRecord
  /** The retry to schedule; null when this attempt was the last (it succeeded, or it is given up). */
  readonly retry: Extract<RetryDecision, { retry: true }> | null
}

/** Judges one attempt: logged as ok, retry or failed, and when a retry follows, after how long. A cancelled attempt is never retried. */
export function judgeAttempt(
  attempt: number,
  facts: AttemptFacts,
  input: Pick<RetryInput, 'settings' | 'now' | 'random'>
): AttemptVerdict {
  const failure = facts.error
  const decision =
    failure && failure.code !== 'ABORTED'
      ? decideRetry({ ...input, attempt, failure, retryAfter: facts.retryAfter })
      : null
  const retry = decision?.retry ? decision : null
  return {
    record: {
      attempt,
      startedAt: facts.startedAt,
      durationMs: facts.durationMs,
      status: facts.status,
      error: failure,
      outcome: failure ? (retry ? 'retry' : 'failed') : 'ok',
      waitBeforeNextMs: retry ? retry.delayMs : null,
      waitReason: retry ? retry.reason : null
    },
    retry
  }
}
