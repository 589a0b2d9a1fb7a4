import dc from 'node:diagnostics_channel'
import type { Socket } from 'node:net'
import type { Dispatcher } from 'undici'

/**
 * Per-request timing phases (DNS, connect, TLS, TTFB, download).
 *
 * undici exposes no per-request connection timing, so we join three sources:
 * - our connector wrapper stamps each new socket's TCP `connect` and TLS `secureConnect`;
 * - the `undici:client:sendHeaders` diagnostics channel carries the socket a request is written
 *   on, published synchronously right after that request's `onRequestStart` (undici
 *   client-h1/h2), which links the request to its socket;
 * - the hop handler stamps request start, response start and end.
 * DNS time is measured around undici's dns interceptor, which resolves before dispatch.
 * This relies on undici internals that are not an API contract; test/core/engine/timing.test.ts covers it on
 * the pinned version.
 */

export interface SocketTiming {
  /** performance.now() when the connector was asked for a socket. */
  readonly start: number
  tcp: number | null
  tls: number | null
  /** Requests written on this socket so far. */
  requests: number
}

/** Mutable per-dispatch record the interceptor fills in; passed through the dispatch options. */
export interface TimingRecord {
  /** Before the dns interceptor. */
  dispatchedAt: number
  /** After the dns interceptor resolved (or passed through). */
  resolvedAt: number | null
  sentAt: number | null
  headersAt: number | null
  endAt: number | null
  socket: SocketTiming | null
  /** True when the request went out on a socket that carried an earlier request. */
  reused: boolean
}

export function newTimingRecord(now: number): TimingRecord {
  return {
    dispatchedAt: now,
    resolvedAt: null,
    sentAt: null,
    headersAt: null,
    endAt: null,
    socket: null,
    reused: false
  }
}

const socketTimings = new WeakMap<object, SocketTiming>()

/** Starts timing a socket the connector just created. */
export function timeSocket(socket: Socket, secure: boolean): void {
  const timing: SocketTiming = { start: performance.now(), tcp: null, tls: null, requests: 0 }
  socketTimings.set(socket, timing)
  // Prepended: undici's connector listened first, and its handler writes the first request
  // synchronously; stamping after it would count that write as connect time and overlap the TTFB.
  socket.prependOnceListener('connect', () => {
    timing.tcp = performance.now()
  })
  if (secure) {
    socket.prependOnceListener('secureConnect', () => {
      timing.tls = performance.now()
    })
  }
}

let justStarted: TimingRecord | null = null

dc.channel('undici:client:sendHeaders').subscribe((message) => {
  const record = justStarted
  justStarted = null
  if (!record) return
  const socket = (message as { socket?: object }).socket
  const timing = socket ? socketTimings.get(socket) : undefined
  if (!timing) return
  timing.requests += 1
  record.socket = timing
  record.reused = timing.requests > 1
})

type DispatchOptionsWithTiming = Dispatcher.DispatchOptions & { timing?: TimingRecord }

/**
 * Called from a handler's onRequestStart: undici publishes `undici:client:sendHeaders` with the
 * request's socket synchronously right after it, which links this record to its socket.
 */
export function noteRequestStart(record: TimingRecord): void {
  justStarted = record
}

/** Innermost interceptor: marks when the dns interceptor let the request through (DNS time). */
export const timingInterceptor: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  const record = (opts as DispatchOptionsWithTiming).timing
  if (record) record.resolvedAt = performance.now()
  return dispatch(opts, handler)
}

export interface Phases {
  readonly queue: number
  readonly dns: number
  readonly connect: number
  readonly tls: number
  readonly ttfb: number
  readonly download: number
}

const span = (from: number | null, to: number | null): number =>
  from === null || to === null ? 0 : Math.max(0, to - from)

/** Turns a filled record into phase durations (ms). Phases that did not happen are 0. */
export function phasesOf(record: TimingRecord, endedAt: number): Phases {
  const dns = span(record.dispatchedAt, record.resolvedAt)
  const socket = record.reused ? null : record.socket
  const connect = socket ? span(socket.start, socket.tcp) : 0
  const tls = socket ? span(socket.tcp, socket.tls) : 0
  const queue = Math.max(0, span(record.resolvedAt, record.sentAt) - connect - tls)
  const ttfb = span(record.sentAt, record.headersAt)
  const download = span(record.headersAt, record.endAt ?? endedAt)
  return { queue, dns, connect, tls, ttfb, download }
}
