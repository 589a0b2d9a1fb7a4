import type { RequestFailure } from './errors.ts'

/** Timing phases of the final attempt, in milliseconds. A reused keep-alive socket has 0 dns/connect/tls. */
export interface TimingPhases {
  /** Queue wait inside the HTTP client before the request was written. */
  readonly queue: number
  readonly dns: number
  readonly connect: number
  readonly tls: number
  /** Request written → response headers received. */
  readonly ttfb: number
  /** Headers → last body byte. */
  readonly download: number
  /** The whole attempt, redirects included. */
  readonly total: number
}

export type AttemptOutcome = 'ok' | 'retry' | 'failed'

export interface AttemptRecord {
  /** 1-based. */
  readonly attempt: number
  /** Epoch ms. */
  readonly startedAt: number
  readonly durationMs: number
  readonly status: number | null
  readonly error: RequestFailure | null
  readonly outcome: AttemptOutcome
  /** The wait before the next attempt, when one follows. */
  readonly waitBeforeNextMs: number | null
  /** Why that wait was chosen ("backoff", "retry-after"). */
  readonly waitReason: 'backoff' | 'retry-after' | null
}

export interface RedirectHop {
  readonly url: string
  readonly status: number
  readonly location: string
  readonly durationMs: number
}

/** The final record of one input URL. */
export interface RequestResult {
  /** Index of the URL in the run's input (stable across resume). */
  readonly id: number
  readonly url: string
  readonly finalUrl: string
  /** The URL's authority, host[:port] (default ports dropped): the key of per-host limits. */
  readonly host: string
  readonly method: 'GET' | 'HEAD'
  readonly status: number | null
  readonly ok: boolean
  readonly attempts: readonly AttemptRecord[]
  readonly redirects: readonly RedirectHop[]
  readonly error: RequestFailure | null
  readonly timings: TimingPhases
  /** Decoded body bytes read. */
  readonly bytes: number
  readonly contentType: string | null
  readonly title: string | null
  /** Epoch ms of the first attempt's start. */
  readonly startedAt: number
  /** Epoch ms when the result became final. */
  readonly finishedAt: number
  /** Selected response headers of the final response (lower-case names). */
  readonly headers: Readonly<Record<string, string>>
  /** Link hops from a seed: 0 for a list URL, a seed or a sitemap URL. */
  readonly depth: number
  /** The id of the page this URL was first found on; null for list URLs, seeds and sitemap URLs. */
  readonly foundOn: number | null
}

/**
 * Whether a result's total time is a latency worth counting: a URL robots.txt refused was never
 * requested (0 ms, no attempt), and counting it would drag every percentile of a spider run down.
 */
export function hasLatency(r: { readonly error: { readonly code: string } | null }): boolean {
  return r.error?.code !== 'ROBOTS_DISALLOWED'
}

/** A response status's class, as the charts colour it and the tables badge it; none = no response. */
export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'none'

/** The class of a status, or of a status key as RunSummary.byStatus writes it ('200', … or 'none'). */
export function statusClassOf(status: string | number | null): StatusClass {
  const n = typeof status === 'number' ? status : status === null ? NaN : Number(status)
  if (!Number.isFinite(n) || n < 100) return 'none'
  if (n < 200) return '1xx'
  if (n < 300) return '2xx'
  if (n < 400) return '3xx'
  if (n < 500) return '4xx'
  return '5xx'
}
