import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemoTarget, type DemoTarget } from '../../../electron/core/demo/demo-target.ts'
import { runUrls, waitFor } from '../../helpers/engine-harness.ts'

/**
 * Each timeout kind ends an attempt with its own code. undici runs its connect, headers and body
 * timers on "fast timers" that tick about every 500 ms, so a 300 ms timeout fires somewhere between
 * ~300 ms and ~1.5 s; the bounds below allow for that. The total deadline is the engine's own timer.
 */

let target: DemoTarget
/** Accepts TCP connections and never says a word: a TLS handshake to it never completes. */
let silent: Server
const silentSockets = new Set<Socket>()
let silentPort = 0

beforeAll(async () => {
  target = await startDemoTarget()
  silent = createServer((socket) => {
    // Read (and ignore) the ClientHello, so the client's FIN is seen and the socket closes.
    socket.resume()
    silentSockets.add(socket)
    socket.once('close', () => silentSockets.delete(socket))
  })
  await new Promise<void>((resolve) => {
    silent.listen(0, '127.0.0.1', resolve)
  })
  silentPort = (silent.address() as AddressInfo).port
})

afterAll(async () => {
  for (const socket of silentSockets) socket.destroy()
  await new Promise<void>((resolve) => {
    silent.close(() => {
      resolve()
    })
  })
  await target.close()
})

describe('engine timeouts', () => {
  it('TIMEOUT_CONNECT when the TLS handshake never completes', async () => {
    const started = performance.now()
    const { rec, summary } = await runUrls([`https://127.0.0.1:${silentPort}/`], {
      connectTimeoutMs: 300,
      headersTimeoutMs: 10_000,
      totalTimeoutMs: 10_000
    })
    const elapsed = performance.now() - started
    const r = rec.result(0)
    expect(r.error).toMatchObject({ code: 'TIMEOUT_CONNECT', phase: 'connect', retryable: true })
    expect(r.error?.message).toContain('300 ms')
    expect(r.status).toBeNull()
    expect(r.ok).toBe(false)
    expect(summary.byError).toEqual({ TIMEOUT_CONNECT: 1 })
    // Connect timeout, not the (10 s) headers or total deadline.
    expect(elapsed).toBeGreaterThanOrEqual(250)
    expect(elapsed).toBeLessThan(4_000)
    // The half-open socket is closed by the client (its 'close' event may come a tick later).
    await waitFor(
      () => rec.engine.openSockets() === 0 && silentSockets.size === 0,
      'the socket to close',
      1_000
    )
  })

  it('TIMEOUT_HEADERS when the server never answers', async () => {
    const { rec } = await runUrls([target.url('/stall-headers')], {
      headersTimeoutMs: 300,
      totalTimeoutMs: 10_000
    })
    const r = rec.result(0)
    expect(r.error).toMatchObject({ code: 'TIMEOUT_HEADERS', phase: 'headers', retryable: true })
    expect(r.status).toBeNull()
    expect(r.attempts[0]?.durationMs).toBeGreaterThanOrEqual(250)
    expect(r.attempts[0]?.durationMs).toBeLessThan(4_000)
  })

  it('TIMEOUT_BODY when the body goes idle for longer than the body timeout', async () => {
    // Headers, then the first chunk would come a minute later.
    const { rec } = await runUrls([target.url('/trickle?chunks=3&interval=60000&size=16')], {
      bodyTimeoutMs: 300,
      headersTimeoutMs: 10_000,
      totalTimeoutMs: 10_000
    })
    const r = rec.result(0)
    expect(r.error).toMatchObject({ code: 'TIMEOUT_BODY', phase: 'body', retryable: true })
    // The headers did arrive: the status is known.
    expect(r.status).toBe(200)
    expect(r.attempts[0]?.durationMs).toBeGreaterThanOrEqual(250)
    expect(r.attempts[0]?.durationMs).toBeLessThan(4_000)
  })

  it('TIMEOUT_TOTAL when a body keeps trickling past the total deadline', async () => {
    // A chunk every 50 ms for 2 s: never idle for the 1 s body timeout, but longer than 600 ms total.
    const { rec } = await runUrls([target.url('/trickle?chunks=40&interval=50&size=16')], {
      bodyTimeoutMs: 1_000,
      headersTimeoutMs: 10_000,
      totalTimeoutMs: 600
    })
    const r = rec.result(0)
    expect(r.error).toMatchObject({ code: 'TIMEOUT_TOTAL', phase: 'total', retryable: true })
    expect(r.error?.message).toContain('during body')
    expect(r.attempts[0]?.durationMs).toBeGreaterThanOrEqual(550)
    expect(r.attempts[0]?.durationMs).toBeLessThan(1_500)
  })

  it('TIMEOUT_TOTAL also bounds a wait for headers', async () => {
    const { rec } = await runUrls([target.url('/stall-headers')], {
      headersTimeoutMs: 10_000,
      totalTimeoutMs: 250
    })
    const r = rec.result(0)
    expect(r.error).toMatchObject({ code: 'TIMEOUT_TOTAL', phase: 'total' })
    expect(r.error?.message).toContain('during headers')
    expect(r.status).toBeNull()
    expect(r.attempts[0]?.durationMs).toBeLessThan(1_500)
  })

  it('a slow but steady response within every limit succeeds', async () => {
    const { rec } = await runUrls([target.url('/trickle?chunks=5&interval=40&size=16')], {
      bodyTimeoutMs: 1_000,
      totalTimeoutMs: 3_000
    })
    const r = rec.result(0)
    expect(r.error).toBeNull()
    expect(r.bytes).toBe(5 * 16)
  })
})
