import { describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import type { EventBatch } from '../../shared/api.ts'
import { WS_CLOSE_TOO_SLOW } from '../../shared/ws-protocol.ts'
import {
  CLOSE_GRACE_MS,
  sendOrClose,
  TOO_SLOW_REASON,
  type SendableSocket
} from '../../electron/server/ws-api.ts'
import {
  closed,
  connect,
  cookie,
  demo,
  get,
  host,
  listen,
  restartHost,
  useBrowserHost
} from '../helpers/browser-host-harness.ts'

/**
 * The CrawlerApi over the browser host's WebSocket: calls and their answers, batches pushed to
 * subscribers, refusals, and the send policy that closes a client too slow to keep up.
 */

useBrowserHost()

describe('browser host: the API over WebSocket', () => {
  it('runs a crawl: subscribe, startRun, events until done, then queries and a snapshot', async () => {
    const ws = await connect()
    const client = listen(ws)
    ws.send(JSON.stringify({ type: 'subscribe', id: 1 }))
    expect(await client.reply(1)).toEqual({ id: 1, result: null })

    const urls = Array.from({ length: 30 }, (_, i) => demo.url(`/latency?dist=fixed&ms=5&t=ws-${i}`))
    urls.push(demo.url('/status/404'))
    const started = await client.call('startRun', [{ urlsText: urls.join('\n'), config: { concurrency: 8 } }])
    if (!('result' in started)) throw new Error(JSON.stringify(started))
    const { runId, total } = started.result as { runId: string; total: number }
    expect(total).toBe(31)

    await client.next((m) => 'type' in m && m.batch.runId === runId && m.batch.status.kind === 'completed')
    const batches: EventBatch[] = client.batches().filter((b) => b.runId === runId)
    expect(batches.flatMap((b) => b.results.id).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 31 }, (_, i) => i)
    )

    const page = await client.call('queryResults', [{ runId, offset: 0, limit: 10, outcome: 'failed' }])
    expect(page).toMatchObject({ result: { total: 1, rows: [{ status: 404, errorCode: 'HTTP_STATUS' }] } })
    const snapshot = await client.call('getSnapshot', [runId])
    expect(snapshot).toMatchObject({
      result: { runId, seq: batches.at(-1)?.toSeq, status: { kind: 'completed' } }
    })
    const info = await client.call('getAppInfo', [])
    expect(info).toEqual({
      id: expect.any(Number) as number,
      result: { version: '1.2.3', transport: 'browser', platform: process.platform }
    })
    // void methods answer null rather than leaving `result` out.
    const prefs = await client.call('getPreferences', [])
    if (!('result' in prefs)) throw new Error('no preferences')
    expect(await client.call('savePreferences', [prefs.result])).toMatchObject({ result: null })

    ws.send(JSON.stringify({ type: 'unsubscribe', id: 2 }))
    expect(await client.reply(2)).toEqual({ id: 2, result: null })
    ws.close()
  })

  it('serves an export once at its download address, behind the token', async () => {
    const ws = await connect()
    const client = listen(ws)
    ws.send(JSON.stringify({ type: 'subscribe', id: 1 }))
    await client.reply(1)
    const urls = [demo.url('/latency?dist=fixed&ms=2&t=dl'), demo.url('/status/404?t=dl')]
    const started = await client.call('startRun', [
      { urlsText: urls.join('\n'), config: {}, name: 'Ünïcode run' }
    ])
    if (!('result' in started)) throw new Error(JSON.stringify(started))
    const { runId } = started.result as { runId: string }
    await client.next((m) => 'type' in m && m.batch.runId === runId && m.batch.status.kind === 'completed')

    const answer = await client.call('exportRun', [{ kind: 'run', runId, format: 'csv' }])
    if (!('result' in answer)) throw new Error(JSON.stringify(answer))
    const outcome = answer.result as { kind: string; url: string; filename: string }
    expect(outcome.kind).toBe('download')
    expect(outcome.url).toMatch(/^\/download\/[0-9a-f]{32}$/)
    expect(outcome.filename).toMatch(/^crawlboard-.+\.csv$/)

    expect((await get(outcome.url)).status).toBe(403)
    const reply = await get(outcome.url, cookie())
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(reply.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent(outcome.filename)}`
    )
    const lines = reply.body.trimEnd().split(/\r?\n/)
    expect(lines[0]?.slice(0, 8)).toBe('\ufeffid,url,')
    expect(lines).toHaveLength(3)
    // One-time: the address is used up.
    expect((await get(outcome.url, cookie())).status).toBe(404)
    expect((await get('/download/not-a-token', cookie())).status).toBe(404)

    const refused = await client.call('exportRun', [{ kind: 'run', runId, format: 'xlsx' }])
    expect(refused).toMatchObject({ error: { code: 'BAD_REQUEST' } })
    ws.close()
  })

  it('answers forged and malformed messages with errors and keeps the connection', async () => {
    const ws = await connect()
    const client = listen(ws)
    const errorOf = async (raw: string | Buffer, id?: number) => {
      const before = client.messages.length
      ws.send(raw)
      const m = await client.next((x, i = client.messages.indexOf(x)) => i >= before && 'error' in x)
      if (!('error' in m)) throw new Error('expected an error')
      expect(m.id).toBe(id)
      return m.error
    }
    expect(await errorOf('this is not json')).toEqual({
      code: 'BAD_REQUEST',
      message: 'message is not valid JSON'
    })
    expect((await errorOf('[1, 2]')).message).toBe('message is not a JSON object')
    expect((await errorOf(JSON.stringify({ id: 5, method: '__proto__', args: [] }), 5)).message).toBe(
      'Unknown method "__proto__"'
    )
    expect((await errorOf(JSON.stringify({ id: 6, method: 'close', args: [] }), 6)).message).toBe(
      'Unknown method "close"'
    )
    expect((await errorOf(JSON.stringify({ id: 7, method: 'pauseRun', args: [42] }), 7)).message).toMatch(
      /^pauseRun argument 1: Invalid input: expected string/
    )
    expect((await errorOf(JSON.stringify({ id: 8, method: 'getAppInfo' }), 8)).message).toMatch(
      /^bad call message: args: /
    )
    expect((await errorOf(JSON.stringify({ id: 9 }), 9)).code).toBe('BAD_REQUEST')
    expect((await errorOf(JSON.stringify({ id: -1, method: 'getAppInfo', args: [] }))).message).toMatch(
      /id: /
    )
    expect((await errorOf(JSON.stringify({ type: 'dance' }))).message).toMatch(/^bad subscription message/)
    expect(
      (await errorOf(JSON.stringify({ id: 10, method: 'getAppInfo', args: [], extra: 1 }), 10)).message
    ).toMatch(/Unrecognized key/)
    expect((await errorOf(Buffer.from([1, 2, 3]))).message).toMatch(/^Binary messages are not supported/)
    const notFound = await client.call('pauseRun', ['no-such-run'])
    expect(notFound).toMatchObject({ error: { code: 'NOT_FOUND' } })
    // Still open and working.
    expect(await client.call('listRuns', [])).toMatchObject({ result: [] })
    expect(ws.readyState).toBe(WebSocket.OPEN)
    ws.close()
  })

  it('closes a socket that sends more than 10 MB in one message (1009)', async () => {
    const ws = await connect()
    const done = closed(ws)
    ws.on('error', () => undefined)
    ws.send(JSON.stringify({ id: 1, method: 'getAppInfo', args: ['x'.repeat(11 * 1024 * 1024)] }))
    expect((await done).code).toBe(1009)
  })

  it('closes a client that stops reading instead of queueing for it without bound', async () => {
    await restartHost({ maxBufferedBytes: 256 * 1024 })
    const ws = await connect()
    const done = closed(ws)
    let replies = 0
    ws.on('message', () => replies++)
    // The client stops reading but keeps asking: ~600 × 45 KB of answers, far beyond socket buffers.
    ws.pause()
    for (let id = 1; id <= 600; id++) ws.send(JSON.stringify({ id, method: 'startDemoTarget', args: [] }))
    // Past the close grace period the server has cut the socket; reading again shows what got through.
    await new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS + 1_500))
    ws.resume()
    const { code } = await done
    // 1013 when the close frame got through, 1006 when the stuck socket had to be cut first.
    expect([WS_CLOSE_TOO_SLOW, 1006]).toContain(code)
    expect(replies).toBeLessThan(600)
  })

  it('closes every socket (1001) and stops listening on close', async () => {
    const ws = await connect()
    const done = closed(ws)
    await host.close()
    expect((await done).code).toBe(1001)
    await expect(get('/')).rejects.toThrow()
    await host.close()
  })
})

describe('the send policy for slow clients', () => {
  function fakeSocket(bufferedAmount: number) {
    const log: string[] = []
    const ws: SendableSocket & { log: string[] } = {
      readyState: 1,
      bufferedAmount,
      log,
      send: (text) => log.push(`send ${text}`),
      close: (code, reason) => log.push(`close ${code} ${reason}`),
      terminate: () => log.push('terminate')
    }
    return ws
  }

  it('sends while the queue is within the limit, even one message larger than it', () => {
    const ws = fakeSocket(100)
    expect(sendOrClose(ws, 'x'.repeat(10_000), 100)).toBe(true)
    expect(ws.log).toEqual([`send ${'x'.repeat(10_000)}`])
  })

  it('closes with 1013 once the queue is over the limit, and cuts the socket after a grace period', () => {
    vi.useFakeTimers()
    try {
      const ws = fakeSocket(101)
      expect(sendOrClose(ws, 'batch', 100)).toBe(false)
      expect(ws.log).toEqual([`close 1013 ${TOO_SLOW_REASON}`])
      vi.advanceTimersByTime(CLOSE_GRACE_MS)
      expect(ws.log).toEqual([`close 1013 ${TOO_SLOW_REASON}`, 'terminate'])
    } finally {
      vi.useRealTimers()
    }
  })

  it('sends nothing to a socket that is not open', () => {
    const ws = { ...fakeSocket(0), readyState: 2 }
    expect(sendOrClose(ws, 'batch', 100)).toBe(false)
    expect(ws.log).toEqual([])
  })
})
