import { z } from 'zod'
import type { ApiError, ApiMethod, EventBatch } from './api.ts'

/**
 * The browser host's WebSocket protocol: the CrawlerApi of shared/api.ts carried as JSON text
 * messages over one socket at WS_API_PATH. The server (electron/server) and the renderer's browser
 * transport both build on these types; the renderer parses what it receives with
 * parseServerMessage.
 *
 * Client → server:
 *   { "id": 7, "method": "startRun", "args": [request] }   a call; args as in CrawlerApi
 *   { "type": "subscribe", "id"?: 8 }                       start receiving event batches
 *   { "type": "unsubscribe", "id"?: 9 }                     stop receiving them
 * Server → client:
 *   { "id": 7, "result": … }                                the call's value (null for void)
 *   { "id": 7, "error": { "code", "message" } }             a refused or failed call
 *   { "error": { "code", "message" } }                      a message too broken to have an id
 *   { "type": "events", "batch": EventBatch }               pushed while subscribed
 * (A subscribe/unsubscribe with an id is acknowledged with { "id", "result": null }.)
 *
 * Order: the server handles messages in the order they arrive and subscribes synchronously, so a
 * client that sends subscribe and then getSnapshot gets every batch after the snapshot's seq (and
 * drops those with toSeq ≤ seq), as ARCHITECTURE.md's "Snapshot, then stream" asks.
 *
 * Close codes: WS_CLOSE_TOO_SLOW (1013) when the client reads too slowly to keep up. Batches carry
 * finished results that must never be dropped, so instead of queueing without bound or skipping
 * some, the server closes the socket; the client reconnects, subscribes and resyncs from a
 * snapshot. WS_CLOSE_GOING_AWAY (1001) when the server shuts down.
 *
 * Access: the page URL carries `?token=…`; loading it sets the TOKEN_COOKIE cookie, which the
 * browser sends with the WebSocket upgrade (a `?token=` on the socket URL works as well).
 */

export const WS_API_PATH = '/api'
/** Larger messages are refused (the socket is closed with 1009). */
export const WS_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024
export const WS_CLOSE_TOO_SLOW = 1013
export const WS_CLOSE_GOING_AWAY = 1001
export const TOKEN_COOKIE = 'crawlboard_token'
export const TOKEN_QUERY_PARAM = 'token'

export interface WireError {
  readonly code: ApiError['code']
  readonly message: string
}

// ---- client → server ---------------------------------------------------------------------------

export interface CallMessage {
  readonly id: number
  readonly method: ApiMethod
  readonly args: readonly unknown[]
}

export interface SubscriptionMessage {
  readonly type: 'subscribe' | 'unsubscribe'
  readonly id?: number
}

export type ClientMessage = CallMessage | SubscriptionMessage

// ---- server → client ---------------------------------------------------------------------------

export interface ResultMessage {
  readonly id: number
  readonly result: unknown
}

export interface ErrorMessage {
  /** Absent when the message that failed had no usable id. */
  readonly id?: number
  readonly error: WireError
}

export interface EventsMessage {
  readonly type: 'events'
  readonly batch: EventBatch
}

export type ServerMessage = ResultMessage | ErrorMessage | EventsMessage

export type ParsedMessage<T> =
  | { readonly ok: true; readonly message: T }
  | { readonly ok: false; readonly error: string; readonly id?: number }

// ---- parsing -----------------------------------------------------------------------------------

const requestId = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)
const errorCode = z.enum(['BAD_REQUEST', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'INTERNAL'])
const wireErrorSchema = z.object({ code: errorCode, message: z.string() })
const runState = z.enum(['idle', 'running', 'paused', 'completed', 'cancelled'])
/** shared/run-status.ts's union, as it travels. */
const runStatus = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['running', 'paused', 'suspended', 'completed', 'cancelled']) }),
  z.object({ kind: z.literal('interrupted'), reason: z.string() }),
  z.object({ kind: z.literal('elsewhere'), pid: z.number().int(), host: z.string().nullable() })
])
const numbers = z.array(z.number())

/** The client checks a batch's envelope and array shapes; element types beyond numbers and strings are trusted. */
const eventBatchSchema = z
  .object({
    runId: z.string(),
    fromSeq: z.number().int(),
    toSeq: z.number().int(),
    results: z.object({
      id: numbers,
      finishedAt: numbers,
      totalMs: numbers,
      status: numbers,
      ok: numbers,
      code: z.array(z.string())
    }),
    retries: z.number().int().min(0),
    marks: z.array(z.object({ at: z.number(), changed: z.record(z.string(), z.unknown()) })),
    status: runStatus,
    settings: z.record(z.string(), z.unknown()),
    summary: z.looseObject({ runId: z.string(), state: runState, done: z.number(), total: z.number() }),
    inFlight: z.object({ at: z.number(), inFlight: z.number(), limit: z.number() })
  })
  .refine((b) => b.fromSeq <= b.toSeq, 'fromSeq must not exceed toSeq')
  .refine((b) => {
    const r = b.results
    const n = r.id.length
    return [r.finishedAt, r.totalMs, r.status, r.ok, r.code].every((a) => a.length === n)
  }, 'results arrays must have equal lengths')

const eventsMessageSchema = z.object({ type: z.literal('events'), batch: eventBatchSchema })
const errorMessageSchema = z.object({ id: requestId.optional(), error: wireErrorSchema })
const resultMessageSchema = z.object({ id: requestId, result: z.unknown() })

const callMessageSchema = z.object({
  id: requestId,
  method: z.string().min(1).max(100),
  args: z.array(z.unknown())
})
const subscriptionMessageSchema = z.object({
  type: z.enum(['subscribe', 'unsubscribe']),
  id: requestId.optional()
})

/** What the renderer's browser transport does with each text frame it receives. */
export function parseServerMessage(text: string): ParsedMessage<ServerMessage> {
  const value = parseJson(text)
  if (!value.ok) return value
  const raw = value.message
  if (!isRecord(raw)) return { ok: false, error: 'message is not a JSON object' }
  if (raw['type'] === 'events') {
    const parsed = eventsMessageSchema.safeParse(raw)
    if (!parsed.success) return { ok: false, error: `bad events message: ${issuesText(parsed.error)}` }
    // Checked above as far as the client relies on; the rest is the server's EventBatch.
    return { ok: true, message: raw as unknown as EventsMessage }
  }
  if ('error' in raw) {
    const parsed = errorMessageSchema.safeParse(raw)
    if (!parsed.success) return { ok: false, error: `bad error message: ${issuesText(parsed.error)}` }
    return { ok: true, message: parsed.data }
  }
  if (!('result' in raw)) return { ok: false, error: 'message has neither result, error nor type' }
  const parsed = resultMessageSchema.safeParse(raw)
  if (!parsed.success) return { ok: false, error: `bad result message: ${issuesText(parsed.error)}` }
  return { ok: true, message: { id: parsed.data.id, result: raw['result'] } }
}

/**
 * What the server does with each text frame it receives. The method name is only checked to be a
 * string here; the API dispatcher refuses names that are not API methods. A refusal carries the
 * message's id when it had a usable one, so the client can fail the right call.
 */
export function parseClientMessage(text: string): ParsedMessage<ClientMessage> {
  const value = parseJson(text)
  if (!value.ok) return value
  const raw = value.message
  if (!isRecord(raw)) return { ok: false, error: 'message is not a JSON object' }
  const idResult = requestId.safeParse(raw['id'])
  const id = idResult.success ? idResult.data : undefined
  const withId = (error: string): ParsedMessage<ClientMessage> =>
    id === undefined ? { ok: false, error } : { ok: false, error, id }
  if ('type' in raw) {
    const parsed = subscriptionMessageSchema.strict().safeParse(raw)
    if (!parsed.success) return withId(`bad subscription message: ${issuesText(parsed.error)}`)
    return { ok: true, message: parsed.data }
  }
  const parsed = callMessageSchema.strict().safeParse(raw)
  if (!parsed.success) return withId(`bad call message: ${issuesText(parsed.error)}`)
  // The name is refused later (by the dispatcher) when it is not an ApiMethod.
  return { ok: true, message: parsed.data as CallMessage }
}

/**
 * The socket URL for a page served by the browser host, keeping the page's token if it has one
 * (`http://127.0.0.1:5173/?token=abc` → `ws://127.0.0.1:5173/api?token=abc`). Plain string work:
 * shared/ sees only a minimal URL type.
 */
export function apiSocketUrl(pageUrl: string): string {
  const origin = /^(https?):\/\/([^/?#]+)/i.exec(pageUrl)
  if (!origin) throw new Error(`not an http(s) page URL: ${pageUrl}`)
  const scheme = origin[1]?.toLowerCase() === 'https' ? 'wss' : 'ws'
  const search = /\?([^#]*)/.exec(pageUrl)?.[1] ?? ''
  const token = search
    .split('&')
    .find((pair) => pair.startsWith(`${TOKEN_QUERY_PARAM}=`))
    ?.slice(TOKEN_QUERY_PARAM.length + 1)
  const query = token ? `?${TOKEN_QUERY_PARAM}=${token}` : ''
  return `${scheme}://${origin[2] ?? ''}${WS_API_PATH}${query}`
}

function parseJson(text: string): ParsedMessage<unknown> {
  try {
    return { ok: true, message: JSON.parse(text) as unknown }
  } catch {
    return { ok: false, error: 'message is not valid JSON' }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function issuesText(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ')
}
