import type { RequestFailure } from '../../../shared/errors.ts'
import type { AttemptRecord, RequestResult } from '../../../shared/result.ts'
import type { FrontierTask } from '../crawl/url-frontier.ts'
import type { AttemptData } from './attempt.ts'

/** A task as the engine carries it through its attempts. */
export interface Job {
  readonly task: FrontierTask
  readonly url: URL
  readonly host: string
  readonly attempts: AttemptRecord[]
  /** Epoch ms of the first attempt's start; 0 until then. */
  firstStartedAt: number
}

export function jobOf(task: FrontierTask): Job {
  return { task, url: task.url, host: task.host, attempts: [], firstStartedAt: 0 }
}

const ZERO_TIMINGS = Object.freeze({ queue: 0, dns: 0, connect: 0, tls: 0, ttfb: 0, download: 0, total: 0 })

/** The final result of a job whose last attempt gave `data`. */
export function resultOf(
  job: Job,
  method: RequestResult['method'],
  data: AttemptData,
  now: number
): RequestResult {
  return {
    id: job.task.id,
    url: job.url.href,
    finalUrl: data.finalUrl,
    host: job.host,
    method,
    status: data.status,
    ok: data.error === null,
    attempts: job.attempts,
    redirects: data.redirects,
    error: data.error,
    timings: data.timings,
    bytes: data.bytes,
    contentType: data.contentType,
    title: data.title,
    startedAt: job.firstStartedAt,
    finishedAt: now,
    headers: data.headers,
    depth: job.task.depth,
    foundOn: job.task.foundOn
  }
}

/** A URL refused before any attempt (robots.txt): a finished, failed result that says why. */
export function refusedResult(
  job: Job,
  method: RequestResult['method'],
  failure: RequestFailure,
  now: number
): RequestResult {
  return {
    id: job.task.id,
    url: job.url.href,
    finalUrl: job.url.href,
    host: job.host,
    method,
    status: null,
    ok: false,
    attempts: [],
    redirects: [],
    error: failure,
    timings: ZERO_TIMINGS,
    bytes: 0,
    contentType: null,
    title: null,
    startedAt: now,
    finishedAt: now,
    headers: {},
    depth: job.task.depth,
    foundOn: job.task.foundOn
  }
}
