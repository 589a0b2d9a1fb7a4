import { request, type IncomingHttpHeaders } from 'node:http'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import type { EventBatch } from '../../shared/api.ts'
import { parseServerMessage, WS_CLOSE_TOO_SLOW, type ServerMessage } from '../../shared/ws-protocol.ts'
import { startDemoTarget, type DemoTarget } from '../../electron/core/demo/demo-target.ts'
import { createCrawlerBackend } from '../../electron/core/api/crawler-backend.ts'
import { startBrowserHost, type BrowserHost } from '../../electron/server/browser-host.ts'
import {
  CLOSE_GRACE_MS,
  sendOrClose,
  TOO_SLOW_REASON,
  type SendableSocket
} from '../../electron/server/ws-api.ts'

const INDEX = '<!doctype html><title>Crawlboard</title><script type="module" src="./assets/app.js"></script>'
const APP_JS = 'console.log("app")'
const SECRET = 'TOP-SECRET-OUTSIDE-THE-BUILD'

let tmp: string
let rendererDir: string
let demo: DemoTarget
let backend: ReturnType<typeof createCrawlerBackend>
let host: BrowserHost

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'crawlboard-host-'))
  rendererDir = join(tmp, 'renderer')
  await mkdir(join(rendererDir, 'assets'), { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), INDEX)
  await writeFile(join(rendererDir, 'assets', 'app.js'), APP_JS)
  await writeFile(join(rendererDir, 'assets', 'style.css'), 'body{}')
  await writeFile(join(tmp, 'secret.txt'), SECRET)
  await symlink(join(tmp, 'secret.txt'), join(rendererDir, 'leak.txt'))
  demo = await startDemoTarget()
})
afterAll(async () => {
  await demo.close()
  await rm(tmp, { recursive: true, force: true })
})

beforeEach(async () => {
  // A data folder per test: each starts with no runs.
  const dataDir = await mkdtemp(join(tmp, 'data-'))
  backend = createCrawlerBackend({ dataDir, version: '1.2.3', transport: 'browser' })
  host = await startBrowserHost({ rendererDir, backend, downloads: backend })
})
afterEach(async () => {
  await host.close()
  await backend.close()
})

interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** A raw request: the path is sent exactly as given, and any Host header can be forged. */
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body })
      })
    })
    req.on('error', reject)
    req.end()
  })
}

const cookie = () => ({ cookie: `crawlboard_token=${host.token}` })

interface Connect {
  query?: string
  headers?: Record<string, string>
  origin?: string
}

/** Opens a socket; rejects with the HTTP status when the upgrade is refused. */
function connect(opts: Connect = { headers: cookie() }): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api${opts.query ?? ''}`, {
    headers: opts.headers,
    ...(opts.origin === undefined ? {} : { origin: opts.origin })
  })
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      resolve(ws)
    })
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate()
      reject(new Error(`HTTP ${res.statusCode ?? 0}`))
    })
    // terminate() on a refused handshake emits an error too; the first settles the promise.
    ws.on('error', reject)
  })
}

/** Collects parsed server messages; lets a test wait for one. */
function listen(ws: WebSocket) {
  const messages: ServerMessage[] = []
  const waiters: { test: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = []
  ws.on('message', (data: Buffer) => {
    const parsed = parseServerMessage(data.toString('utf8'))
    if (!parsed.ok) throw new Error(`unparsable server message: ${parsed.error}`)
    messages.push(parsed.message)
    for (const w of [...waiters]) {
      if (w.test(parsed.message)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(parsed.message)
      }
    }
  })
  let nextId = 100
  const next = (test: (m: ServerMessage) => boolean, timeoutMs = 10_000): Promise<ServerMessage> => {
    const found = messages.find(test)
    if (found) return Promise.resolve(found)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('no such message in time'))
      }, timeoutMs)
      waiters.push({
        test,
        resolve: (m) => {
          clearTimeout(timer)
          resolve(m)
        }
      })
    })
  }
  const reply = (id: number) => next((m) => 'id' in m && m.id === id)
  const call = (method: string, args: unknown[]) => {
    const id = nextId++
    ws.send(JSON.stringify({ id, method, args }))
    return reply(id)
  }
  const batches = () => messages.flatMap((m) => ('type' in m ? [m.batch] : []))
  return { messages, next, reply, call, batches }
}

const closed = (ws: WebSocket) =>
  new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => {
      resolve({ code, reason: reason.toString() })
    })
  })

describe('browser host: access', () => {
  it('prints a loopback URL carrying a long random token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`)
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{32}$/)
  })

  it.each([
    ['the page without a token', '/'],
    ['the page with a wrong token', '/?token=wrong-token-wrong-token'],
    ['an asset without a token', '/assets/app.js'],
    ['an asset with a wrong token', '/assets/app.js?token=x'],
    ['a missing file without a token', '/nope']
  ])('refuses %s with 403', async (_name, path) => {
    const res = await get(path)
    expect(res.status).toBe(403)
    expect(res.body).toContain('access token')
    expect(res.body).not.toContain(APP_JS)
  })

  it('refuses a wrong token in the cookie', async () => {
    expect((await get('/', { cookie: 'crawlboard_token=guess' })).status).toBe(403)
  })

  it('serves the page for the token, sets the cookie and the security headers', async () => {
    const res = await get(`/?token=${host.token}`)
    expect(res.status).toBe(200)
    expect(res.body).toBe(INDEX)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['set-cookie']).toEqual([
      `crawlboard_token=${host.token}; HttpOnly; SameSite=Strict; Path=/`
    ])
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    const csp = res.headers['content-security-policy'] ?? ''
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "connect-src 'self' ws://127.0.0.1:*",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'"
    ]) {
      expect(csp).toContain(directive)
    }
    const head = await get(`/index.html?token=${host.token}`, {}, 'HEAD')
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
  })

  it('serves assets with the cookie (or the query token) and their content types', async () => {
    const js = await get('/assets/app.js', cookie())
    expect(js).toMatchObject({ status: 200, body: APP_JS })
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(js.headers['x-content-type-options']).toBe('nosniff')
    const css = await get(`/assets/style.css?token=${host.token}`)
    expect(css.status).toBe(200)
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8')
    expect((await get('/', cookie())).status).toBe(200)
  })

  it.each([
    ['another name (DNS rebinding)', (port: number) => `evil.test:${port}`],
    ['another port', () => '127.0.0.1:1'],
    ['no port', () => '127.0.0.1']
  ])('refuses a Host header naming %s, token or not', async (_name, hostHeader) => {
    const res = await get(`/?token=${host.token}`, { host: hostHeader(host.port) })
    expect(res.status).toBe(403)
    expect(res.body).toContain('127.0.0.1 and localhost')
  })

  it('answers to localhost:PORT as well', async () => {
    expect((await get(`/?token=${host.token}`, { host: `localhost:${host.port}` })).status).toBe(200)
  })

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%2e%2e%5csecret.txt',
    '/leak.txt',
    '/assets',
    '/assets/',
    '/%00index.html',
    '/%E0%A4%A',
    '/nope.js'
  ])('never serves outside the build: %s → 404', async (path) => {
    const res = await get(path, cookie())
    expect(res.status).toBe(404)
    expect(res.body).not.toContain(SECRET)
  })

  it('refuses other methods and plain HTTP on the socket path', async () => {
    expect((await get('/', cookie(), 'POST')).status).toBe(405)
    expect((await get('/api', cookie())).status).toBe(426)
  })
})

describe('browser host: WebSocket upgrade', () => {
  it('refuses an upgrade without the token, with a wrong one, or from a foreign origin or host', async () => {
    await expect(connect({})).rejects.toThrow('HTTP 403')
    await expect(connect({ query: '?token=nope' })).rejects.toThrow('HTTP 403')
    await expect(connect({ headers: { cookie: 'crawlboard_token=nope' } })).rejects.toThrow('HTTP 403')
    await expect(connect({ headers: cookie(), origin: 'http://evil.test' })).rejects.toThrow('HTTP 403')
    await expect(connect({ headers: cookie(), origin: `http://evil.test:${host.port}` })).rejects.toThrow(
      'HTTP 403'
    )
    await expect(connect({ headers: { ...cookie(), host: `evil.test:${host.port}` } })).rejects.toThrow(
      'HTTP 403'
    )
  })

  it('accepts the cookie or the query token, from the same origin or a non-browser client', async () => {
    const sockets = [
      await connect({ headers: cookie(), origin: `http://127.0.0.1:${host.port}` }),
      await connect({ query: `?token=${host.token}` }),
      await connect({
        headers: { ...cookie(), host: `localhost:${host.port}` },
        origin: `http://localhost:${host.port}`
      })
    ]
    for (const ws of sockets) ws.close()
  })

  it('refuses upgrades on other paths', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/other?token=${host.token}`)
    ws.on('error', () => undefined)
    const status = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0)
      })
    })
    ws.terminate()
    expect(status).toBe(404)
  })
})

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
    await host.close()
    host = await startBrowserHost({ rendererDir, backend, maxBufferedBytes: 256 * 1024 })
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
