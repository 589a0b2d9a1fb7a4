import { request, type IncomingHttpHeaders } from 'node:http'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { WebSocket } from 'ws'
import { parseServerMessage, type ServerMessage } from '../../shared/ws-protocol.ts'
import { startDemoTarget, type DemoTarget } from '../../electron/core/demo/demo-target.ts'
import { createCrawlerBackend } from '../../electron/core/api/crawler-backend.ts'
import {
  startBrowserHost,
  type BrowserHost,
  type BrowserHostOptions
} from '../../electron/server/browser-host.ts'

/**
 * The browser host on loopback for its tests, and the clients they use on it: raw HTTP requests
 * (any path, any Host header), WebSocket connections and a listener that waits for messages.
 */

export const INDEX =
  '<!doctype html><title>Crawlboard</title><script type="module" src="./assets/app.js"></script>'
export const APP_JS = 'console.log("app")'
export const SECRET = 'TOP-SECRET-OUTSIDE-THE-BUILD'

let tmp: string
let rendererDir: string
let backend: ReturnType<typeof createCrawlerBackend>
// Live bindings: a test file imports these and sees the ones of the test that runs.
export let demo: DemoTarget
export let host: BrowserHost

/**
 * Per file: a renderer build in a temporary folder (with a secret beside it that must never be
 * served) and a demo target. Per test: a fresh data folder, backend and browser host on them.
 * Call once at the top of a test file.
 */
export function useBrowserHost(): void {
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
}

/** Replaces this test's browser host by one started on the same build and backend with `options`. */
export async function restartHost(options: Partial<BrowserHostOptions> = {}): Promise<void> {
  await host.close()
  host = await startBrowserHost({ rendererDir, backend, ...options })
}

export interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** A raw request: the path is sent exactly as given, and any Host header can be forged. */
export function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
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

export const cookie = () => ({ cookie: `crawlboard_token=${host.token}` })

export interface Connect {
  query?: string
  headers?: Record<string, string>
  origin?: string
}

/** Opens a socket; rejects with the HTTP status when the upgrade is refused. */
export function connect(opts: Connect = { headers: cookie() }): Promise<WebSocket> {
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
export function listen(ws: WebSocket) {
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

export const closed = (ws: WebSocket) =>
  new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => {
      resolve({ code, reason: reason.toString() })
    })
  })
