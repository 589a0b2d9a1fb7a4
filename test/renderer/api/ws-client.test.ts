import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import type { EventBatch } from '../../../shared/api.ts'
import {
  ApiCallError,
  createWsClient,
  type ConnectionInfo,
  type WebSocketLike,
  type WsCrawlerApi
} from '../../../renderer/src/api/ws-client.ts'

/** A scripted socket: the test opens, answers and drops it. */
class FakeSocket implements WebSocketLike {
  readyState = 0
  sent: unknown[] = []
  onopen: ((ev: unknown) => void) | null = null
  onclose: ((ev: { readonly code: number; readonly reason: string }) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { readonly data: unknown }) => void) | null = null
  readonly url: string
  constructor(url: string) {
    this.url = url
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data))
  }
  close(): void {
    this.readyState = 3
  }
  open(): void {
    this.readyState = 1
    this.onopen?.({})
  }
  drop(code = 1006): void {
    this.readyState = 3
    this.onclose?.({ code, reason: '' })
  }
  receive(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) })
  }
  requests(): { id: number; method: string; args: unknown[] }[] {
    return this.sent.filter((m): m is { id: number; method: string; args: unknown[] } => {
      return typeof m === 'object' && m !== null && 'method' in m
    })
  }
}

describe('WebSocket transport', () => {
  let sockets: FakeSocket[]
  let states: ConnectionInfo[]
  let client: WsCrawlerApi

  const last = (): FakeSocket => {
    const s = sockets[sockets.length - 1]
    if (!s) throw new Error('no socket')
    return s
  }

  beforeEach(() => {
    vi.useFakeTimers()
    sockets = []
    states = []
    client = createWsClient({
      url: 'ws://127.0.0.1:1/api?token=t',
      createSocket: (url) => {
        const s = new FakeSocket(url)
        sockets.push(s)
        return s
      },
      onState: (info) => states.push(info),
      requestTimeoutMs: 1_000,
      baseBackoffMs: 100,
      maxBackoffMs: 400,
      failAfter: 3,
      random: () => 1
    })
  })
  afterEach(() => {
    client.close()
    vi.useRealTimers()
  })

  test('requests are numbered, queued until open, and answered by id', async () => {
    const info = client.getAppInfo()
    const snap = client.getSnapshot(undefined)
    expect(last().sent).toEqual([])
    last().open()
    const [a, b] = last().requests()
    expect(a).toMatchObject({ method: 'getAppInfo', args: [] })
    // A trailing undefined is not sent (JSON would make it null, which the schema refuses).
    expect(b).toMatchObject({ method: 'getSnapshot', args: [] })
    last().receive({ id: b?.id, result: null })
    last().receive({ id: a?.id, result: { version: '1', transport: 'browser', platform: 'linux' } })
    await expect(info).resolves.toMatchObject({ transport: 'browser' })
    await expect(snap).resolves.toBeNull()
    expect(states.at(-1)).toMatchObject({ status: 'connected', epoch: 1 })
  })

  test('errors become Errors with the code; silence becomes TIMEOUT', async () => {
    last().open()
    const bad = client.pauseRun('nope')
    last().receive({ id: last().requests()[0]?.id, error: { code: 'NOT_FOUND', message: 'no run nope' } })
    const err = await bad.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiCallError)
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'no run nope' })

    const slow = client.listRuns()
    const caught = slow.catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(1_001)
    expect(await caught).toMatchObject({ code: 'TIMEOUT' })
  })

  test('event batches reach listeners; subscribe is sent once and renewed after a reconnect', async () => {
    last().open()
    const got: EventBatch[] = []
    const off = client.onEvents((b) => got.push(b))
    const off2 = client.onEvents(() => undefined)
    expect(last().sent.filter((m) => (m as { type?: string }).type === 'subscribe')).toHaveLength(1)
    const batch = {
      runId: 'r',
      fromSeq: 1,
      toSeq: 2,
      results: { id: [1], finishedAt: [5], totalMs: [3], status: [200], ok: [1], code: [''] },
      retries: 0,
      marks: [],
      status: { kind: 'running' },
      settings: { concurrency: 4 },
      summary: { runId: 'r', state: 'running', done: 1, total: 9 },
      inFlight: { at: 5, inFlight: 1, limit: 4 }
    }
    last().receive({ type: 'events', batch })
    // A malformed batch is not passed on: a cut one, or one whose status is not a status.
    last().receive({ type: 'events', batch: { runId: 'r', fromSeq: 3 } })
    last().receive({
      type: 'events',
      batch: { ...batch, fromSeq: 3, toSeq: 3, status: { kind: 'interrupted' } }
    })
    expect(got).toEqual([batch])

    const pending = client.listRuns().catch((e: unknown) => e)
    last().drop()
    expect(await pending).toMatchObject({ code: 'DISCONNECTED' })
    expect(states.at(-1)).toMatchObject({ status: 'reconnecting', attempt: 1 })
    await vi.advanceTimersByTimeAsync(100)
    expect(sockets).toHaveLength(2)
    last().open()
    expect(last().sent).toContainEqual({ type: 'subscribe' })
    expect(states.at(-1)).toMatchObject({ status: 'connected', epoch: 2 })

    off()
    off2()
    expect(last().sent).toContainEqual({ type: 'unsubscribe' })
  })

  test('backs off and reports failed after repeated failures; reconnectNow skips the wait', async () => {
    last().drop()
    await vi.advanceTimersByTimeAsync(100)
    last().drop()
    await vi.advanceTimersByTimeAsync(200)
    last().drop()
    expect(states.at(-1)).toMatchObject({ status: 'failed', attempt: 3 })
    expect(states.at(-1)?.message).toMatch(/npm run serve/)
    const before = sockets.length
    client.reconnectNow()
    expect(sockets.length).toBe(before + 1)
    last().open()
    expect(states.at(-1)).toMatchObject({ status: 'connected', attempt: 0 })
  })
})
