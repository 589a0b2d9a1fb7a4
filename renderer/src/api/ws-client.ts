import { API_METHOD_NAMES, type ApiMethod, type CrawlerApi, type EventBatch } from '../../../shared/api.ts'
import { parseServerMessage, WS_CLOSE_TOO_SLOW, type ClientMessage } from '../../../shared/ws-protocol.ts'

/**
 * The CrawlerApi over the browser host's WebSocket (`/api`): numbered requests answered by id,
 * pushed event batches, reconnect with backoff. Written against the structural `WebSocketLike` so
 * the unit tests drive it with a fake socket.
 *
 * Wire shapes: shared/ws-protocol.ts, which also validates what arrives (parseServerMessage).
 *
 * A request that was sent when the socket dropped is rejected with code DISCONNECTED rather than
 * re-sent: startRun is not idempotent. Requests made while reconnecting wait for the socket (up to
 * their timeout). After a reconnect the subscription is renewed, and `onConnected` tells the ingest
 * to resync, since batches may have been missed in between.
 */

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'failed'

export interface ConnectionInfo {
  readonly status: ConnectionStatus
  /** What went wrong, for reconnecting and failed. */
  readonly message: string | null
  /** Failed connection attempts in a row. */
  readonly attempt: number
  /** Successful connections so far (1 after the first): a change above 1 means "reconnected". */
  readonly epoch: number
}

/** The part of the DOM WebSocket the client uses. */
export interface WebSocketLike {
  readonly readyState: number
  onopen: ((ev: unknown) => void) | null
  onclose: ((ev: { readonly code: number; readonly reason: string }) => void) | null
  onerror: ((ev: unknown) => void) | null
  onmessage: ((ev: { readonly data: unknown }) => void) | null
  send(data: string): void
  close(code?: number, reason?: string): void
}

export interface WsClientOptions {
  readonly url: string
  readonly createSocket?: (url: string) => WebSocketLike
  readonly onState?: (info: ConnectionInfo) => void
  /** Per-request deadline (default 30 s). */
  readonly requestTimeoutMs?: number
  /** First reconnect delay, doubled per failure up to maxBackoffMs (defaults 250 ms and 5 s). */
  readonly baseBackoffMs?: number
  readonly maxBackoffMs?: number
  /** Failures in a row after which the state says "failed" (retries continue at the slow pace). */
  readonly failAfter?: number
  readonly random?: () => number
}

export interface WsCrawlerApi extends CrawlerApi {
  /** Reconnects now instead of waiting out the backoff. */
  reconnectNow(): void
  close(): void
}

/** An Error that carries the contract's code (BAD_REQUEST, NOT_FOUND, TIMEOUT, DISCONNECTED, …). */
export class ApiCallError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.code = code
    this.name = 'ApiCallError'
  }
}

const OPEN = 1

interface Pending {
  readonly method: ApiMethod
  readonly resolve: (value: unknown) => void
  readonly reject: (error: Error) => void
  readonly timer: ReturnType<typeof setTimeout>
  /** Serialized request; null once it has gone out on a socket. */
  payload: string | null
}

export function createWsClient(options: WsClientOptions): WsCrawlerApi {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as WebSocketLike)
  const timeoutMs = options.requestTimeoutMs ?? 30_000
  const baseBackoff = options.baseBackoffMs ?? 250
  const maxBackoff = options.maxBackoffMs ?? 5_000
  const failAfter = options.failAfter ?? 8
  const random = options.random ?? Math.random

  let socket: WebSocketLike | null = null
  let nextId = 1
  const pending = new Map<number, Pending>()
  const listeners = new Set<(batch: EventBatch) => void>()
  let failures = 0
  let epoch = 0
  let closed = false
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null
  let info: ConnectionInfo = { status: 'connecting', message: null, attempt: 0, epoch: 0 }

  const setInfo = (next: ConnectionInfo): void => {
    info = next
    options.onState?.(info)
  }

  const sendRaw = (data: string): boolean => {
    if (socket?.readyState !== OPEN) return false
    socket.send(data)
    return true
  }

  const flushQueued = (): void => {
    for (const p of pending.values()) {
      if (p.payload !== null && sendRaw(p.payload)) p.payload = null
    }
  }

  const rejectInFlight = (message: string): void => {
    for (const [id, p] of pending) {
      if (p.payload !== null) continue
      clearTimeout(p.timer)
      pending.delete(id)
      p.reject(
        new ApiCallError(
          'DISCONNECTED',
          `${p.method}: ${message}; the call may not have completed, try again`
        )
      )
    }
  }

  const send = (message: ClientMessage): boolean => sendRaw(JSON.stringify(message))

  const onMessage = (data: unknown): void => {
    if (typeof data !== 'string') return
    const parsed = parseServerMessage(data)
    if (!parsed.ok) {
      // A malformed frame fails its call when it names one; otherwise it is only logged.
      console.warn(`Crawlboard: ignored a message from the host: ${parsed.error}`)
      if (parsed.id !== undefined) settle(parsed.id, new ApiCallError('INTERNAL', parsed.error))
      return
    }
    const m = parsed.message
    if ('type' in m) {
      for (const l of [...listeners]) l(m.batch)
      return
    }
    if ('error' in m) {
      if (m.id === undefined) console.warn(`Crawlboard: the host refused a message: ${m.error.message}`)
      else settle(m.id, new ApiCallError(m.error.code, m.error.message))
      return
    }
    settle(m.id, m.result)
  }

  /** Resolves (or, given an ApiCallError, rejects) the call with this id. */
  const settle = (id: number, outcome: unknown): void => {
    const p = pending.get(id)
    if (!p) return
    pending.delete(id)
    clearTimeout(p.timer)
    if (outcome instanceof ApiCallError) p.reject(outcome)
    else p.resolve(outcome)
  }

  const scheduleReconnect = (reason: string): void => {
    if (closed || reconnectTimer !== null) return
    failures++
    const ceiling = Math.min(maxBackoff, baseBackoff * 2 ** Math.min(failures - 1, 16))
    // Half fixed, half jitter: many tabs reconnecting after a host restart do not stampede.
    const delay = Math.round(ceiling / 2 + (random() * ceiling) / 2)
    setInfo({
      status: failures >= failAfter ? 'failed' : 'reconnecting',
      message: reason,
      attempt: failures,
      epoch
    })
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null
      connect()
    }, delay)
  }

  const connect = (): void => {
    if (closed) return
    let ws: WebSocketLike
    try {
      ws = createSocket(options.url)
    } catch (error) {
      scheduleReconnect(error instanceof Error ? error.message : 'could not open the connection')
      return
    }
    socket = ws
    let opened = false
    ws.onopen = () => {
      if (socket !== ws) return
      opened = true
      failures = 0
      epoch++
      if (listeners.size > 0) send({ type: 'subscribe' })
      flushQueued()
      setInfo({ status: 'connected', message: null, attempt: 0, epoch })
    }
    ws.onmessage = (ev) => {
      if (socket === ws) onMessage(ev.data)
    }
    ws.onerror = () => {
      // The close event follows with the code; nothing to add here.
    }
    ws.onclose = (ev) => {
      if (socket !== ws) return
      socket = null
      const reason = opened
        ? ev.code === WS_CLOSE_TOO_SLOW
          ? 'The page fell behind the event stream; catching up from a fresh snapshot'
          : `Connection to the Crawlboard host lost${ev.reason ? `: ${ev.reason}` : ''}`
        : ev.code === 1008 || ev.code === 4401 || ev.code === 4403
          ? 'The host refused the access token: open the link printed by npm run serve'
          : 'Cannot reach the Crawlboard host: is npm run serve still running? If it restarted, open the new link it printed.'
      rejectInFlight(reason)
      scheduleReconnect(reason)
    }
  }

  const call = (method: ApiMethod, args: readonly unknown[]): Promise<unknown> => {
    if (closed) return Promise.reject(new ApiCallError('DISCONNECTED', 'The connection was closed'))
    // JSON would turn a trailing undefined into null, which the argument schema refuses.
    const trimmed = [...args]
    while (trimmed.length > 0 && trimmed[trimmed.length - 1] === undefined) trimmed.pop()
    const id = nextId++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(
          new ApiCallError(
            'TIMEOUT',
            `${method}: no answer from the Crawlboard host within ${Math.round(timeoutMs / 1000)} s`
          )
        )
      }, timeoutMs)
      const p: Pending = {
        method,
        resolve,
        reject,
        timer,
        payload: JSON.stringify({ id, method, args: trimmed } satisfies ClientMessage)
      }
      pending.set(id, p)
      if (p.payload !== null && sendRaw(p.payload)) p.payload = null
    })
  }

  const methods = Object.fromEntries(
    API_METHOD_NAMES.map((method) => [method, (...args: unknown[]) => call(method, args)])
  ) as unknown as Omit<CrawlerApi, 'onEvents'>

  const api: WsCrawlerApi = {
    ...methods,
    onEvents(listener) {
      listeners.add(listener)
      if (listeners.size === 1) send({ type: 'subscribe' })
      return () => {
        if (!listeners.delete(listener)) return
        if (listeners.size === 0) send({ type: 'unsubscribe' })
      }
    },
    reconnectNow() {
      if (closed || socket !== null) return
      if (reconnectTimer !== null) clearTimeout(reconnectTimer)
      reconnectTimer = null
      setInfo({ ...info, status: 'reconnecting', message: 'Reconnecting…' })
      connect()
    },
    close() {
      closed = true
      if (reconnectTimer !== null) clearTimeout(reconnectTimer)
      const ws = socket
      socket = null
      ws?.close(1000, 'closing')
      for (const [id, p] of pending) {
        clearTimeout(p.timer)
        pending.delete(id)
        p.reject(new ApiCallError('DISCONNECTED', 'The connection was closed'))
      }
    }
  }
  setInfo(info)
  connect()
  return api
}
