// Over 400 lines: the demo target's route table, one small handler per endpoint the index page lists.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { STATUS_CODES } from 'node:http'
import { charsetPage, DEMO_CHARSET_TITLES, DEMO_CHARSET_VIAS } from './demo-charsets.ts'
import { gzipBomb } from './demo-gzip-bomb.ts'
import {
  bomPage,
  compressedPage,
  entitiesPage,
  indexPage,
  noTitlePage,
  simplePage,
  sitePage,
  type DemoEncoding
} from './demo-pages.ts'
import { MAX_DELAY_MS, mulberry32, sampleLognormal } from './demo-random.ts'
import type { DemoRobots, DemoSite } from './demo-site.ts'
import { generateDemoUrls } from './demo-urls.ts'

/** The demo target's endpoints. Each is driven by path + query; only the counters hold state. */

export interface DemoState {
  readonly origin: string
  /** Every origin the demo target listens on (its "hosts"); origins[0] === origin. */
  readonly origins: readonly string[]
  /** Per-key request counts for /flaky and /retry-after; insertion-ordered so the oldest goes first. */
  readonly counters: Map<string, number>
  /** The synthetic site under /site/ (demo-site.ts). */
  readonly site: DemoSite
  /** What /robots.txt answers on each origin, by index in origins. */
  readonly robots: readonly DemoRobots[]
}

export interface RouteContext {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  /** The request path as sent (not decoded), without the query. */
  readonly path: string
  /** Decoded path segments after the route name. */
  readonly args: readonly string[]
  readonly query: URLSearchParams
  /** The raw query with its leading '?', or ''; redirects carry it along. */
  readonly search: string
  readonly head: boolean
  readonly state: DemoState
  /** False once the response finished or the socket closed: never write after that. */
  alive(): boolean
  /** A timer that is cleared when the request's socket closes or the server shuts down. */
  later(ms: number, fn: () => void): void
  every(ms: number, fn: () => void): () => void
}

/** A client mistake: answered with 400 and the message as the reason. */
export class BadRequest extends Error {}

const MAX_STALL_MS = 3_600_000
const MAX_COUNTER_KEYS = 100_000
const MAX_HUGE_BYTES = 2 * 1024 * 1024 * 1024
const HTML = 'text/html; charset=utf-8'
const TEXT = 'text/plain; charset=utf-8'

// ---- parameters -------------------------------------------------------------------------------

function parseStrictInt(
  raw: string | null | undefined,
  name: string,
  min: number,
  max: number
): number | undefined {
  if (raw === null || raw === undefined || raw === '') return undefined
  if (!/^-?\d{1,16}$/.test(raw)) throw new BadRequest(`${name} must be an integer, got "${raw.slice(0, 40)}"`)
  const value = Number(raw)
  if (value < min || value > max) throw new BadRequest(`${name} must be between ${min} and ${max}`)
  return value
}

function intParam(ctx: RouteContext, name: string, min: number, max: number, fallback: number): number {
  return parseStrictInt(ctx.query.get(name), name, min, max) ?? fallback
}

function optIntParam(ctx: RouteContext, name: string, min: number, max: number): number | undefined {
  return parseStrictInt(ctx.query.get(name), name, min, max)
}

function argInt(ctx: RouteContext, name: string, min: number, max: number, usage: string): number {
  const value = parseStrictInt(ctx.args[0], name, min, max)
  if (value === undefined) throw new BadRequest(`missing :${name}; usage: ${usage}`)
  return value
}

function oneOf<T extends string>(ctx: RouteContext, name: string, allowed: readonly T[], fallback: T): T {
  const raw = ctx.query.get(name)
  if (raw === null || raw === '') return fallback
  const found = allowed.find((a) => a === raw)
  if (found === undefined) throw new BadRequest(`${name} must be one of ${allowed.join(', ')}`)
  return found
}

function counterKey(raw: string | null | undefined, what: string): string {
  if (!raw) throw new BadRequest(`${what} needs a key`)
  if (raw.length > 200) throw new BadRequest('key must be at most 200 characters')
  return raw
}

/** Counts one request for a key; past MAX_COUNTER_KEYS the oldest key is forgotten. */
function bump(state: DemoState, key: string): number {
  const count = (state.counters.get(key) ?? 0) + 1
  if (count === 1 && state.counters.size >= MAX_COUNTER_KEYS) {
    const oldest = state.counters.keys().next()
    if (!oldest.done) state.counters.delete(oldest.value)
  }
  state.counters.set(key, count)
  return count
}

// ---- responses --------------------------------------------------------------------------------

export function send(
  ctx: RouteContext,
  status: number,
  body: string | Buffer,
  headers: OutgoingHttpHeaders = {}
): void {
  if (!ctx.alive()) return
  const { res } = ctx
  // 204 and 304 never carry a body, nor a length for one.
  if (status === 204 || status === 304) {
    res.writeHead(status, { 'cache-control': 'no-store', ...headers })
    res.end()
    return
  }
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
  res.writeHead(status, {
    'content-type': HTML,
    'content-length': buf.length,
    'cache-control': 'no-store',
    ...headers
  })
  res.end(ctx.head ? undefined : buf)
}

export function sendText(ctx: RouteContext, status: number, text: string): void {
  send(ctx, status, `${text}\n`, { 'content-type': TEXT })
}

function sendPage(ctx: RouteContext, status: number, title: string, headers: OutgoingHttpHeaders = {}): void {
  send(ctx, status, simplePage(title), headers)
}

function redirect(ctx: RouteContext, location: string): void {
  const code = Number(oneOf(ctx, 'code', ['301', '302', '303', '307', '308'], '302'))
  sendPage(ctx, code, `Redirecting to ${location}`, { location })
}

/** A TCP RST rather than a FIN, so clients see ECONNRESET as with a real dropped connection. */
function resetSocket(ctx: RouteContext): void {
  if (!ctx.alive()) return
  const socket = ctx.req.socket
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
  else socket.destroy()
}

function afterDelay(ctx: RouteContext, ms: number, fn: () => void): void {
  if (ms > 0) ctx.later(ms, fn)
  else fn()
}

// ---- endpoints --------------------------------------------------------------------------------

function latency(ctx: RouteContext): void {
  const dist = oneOf(ctx, 'dist', ['lognormal', 'uniform', 'fixed'], 'lognormal')
  const rng = mulberry32(intParam(ctx, 'seed', -(2 ** 32), 2 ** 32, 1))
  let ms: number
  if (dist === 'fixed') {
    ms = intParam(ctx, 'ms', 0, MAX_DELAY_MS, 100)
  } else if (dist === 'uniform') {
    const min = intParam(ctx, 'min', 0, MAX_DELAY_MS, 0)
    const max = intParam(ctx, 'max', 0, MAX_DELAY_MS, 1000)
    if (max < min) throw new BadRequest('max must be at least min')
    ms = min + Math.floor(rng() * (max - min + 1))
  } else {
    const median = intParam(ctx, 'median', 1, MAX_DELAY_MS, 80)
    const p99 = intParam(ctx, 'p99', 1, MAX_DELAY_MS, 900)
    if (p99 < median) throw new BadRequest('p99 must be at least median')
    ms = Math.min(MAX_DELAY_MS, Math.round(sampleLognormal(rng, median, p99)))
  }
  afterDelay(ctx, ms, () => {
    sendPage(ctx, 200, `Latency ${ms} ms`, { 'x-demo-delay-ms': String(ms) })
  })
}

/** An API-like JSON answer after a seeded log-normal delay (default median 20 ms, p99 200 ms). */
function api(ctx: RouteContext): void {
  const id = argInt(ctx, 'id', 0, 2 ** 31 - 1, '/api/:id')
  const median = intParam(ctx, 'median', 1, MAX_DELAY_MS, 20)
  const p99 = intParam(ctx, 'p99', 1, MAX_DELAY_MS, 200)
  if (p99 < median) throw new BadRequest('p99 must be at least median')
  const rng = mulberry32(intParam(ctx, 'seed', -(2 ** 32), 2 ** 32, id))
  const ms = Math.min(MAX_DELAY_MS, Math.round(sampleLognormal(rng, median, p99)))
  afterDelay(ctx, ms, () => {
    send(ctx, 200, `${JSON.stringify({ id, name: `Item ${String(id)}`, delayMs: ms })}\n`, {
      'content-type': 'application/json',
      'x-demo-delay-ms': String(ms)
    })
  })
}

function status(ctx: RouteContext): void {
  const code = argInt(ctx, 'code', 100, 599, '/status/:code')
  if (code < 200) throw new BadRequest('1xx statuses cannot be sent as a final response')
  const delay = intParam(ctx, 'delay', 0, MAX_DELAY_MS, 0)
  const headers: OutgoingHttpHeaders = code === 401 ? { 'www-authenticate': 'Basic realm="demo"' } : {}
  afterDelay(ctx, delay, () => {
    sendPage(ctx, code, `Status ${code} ${STATUS_CODES[code] ?? ''}`.trim(), headers)
  })
}

function retryAfter(ctx: RouteContext): void {
  const code = argInt(ctx, 'status', 100, 599, '/retry-after/:status')
  if (code !== 429 && code !== 503) throw new BadRequest('status must be 429 or 503')
  const seconds = optIntParam(ctx, 'seconds', 0, 86_400)
  const date = optIntParam(ctx, 'date', 0, 86_400)
  if (seconds !== undefined && date !== undefined) throw new BadRequest('give seconds or date, not both')
  const rawKey = ctx.query.get('key')
  if (rawKey !== null) {
    const times = intParam(ctx, 'times', 0, 1_000_000, 1)
    const count = bump(ctx.state, `retry-after:${counterKey(rawKey, 'retry-after')}`)
    if (count > times) {
      sendPage(ctx, 200, `Recovered after ${times} refusal(s)`, { 'x-demo-attempt': String(count) })
      return
    }
  }
  const value = date !== undefined ? new Date(Date.now() + date * 1000).toUTCString() : String(seconds ?? 1)
  sendPage(ctx, code, `Status ${code}: retry later`, { 'retry-after': value })
}

function flaky(ctx: RouteContext): void {
  const key = counterKey(ctx.args[0], '/flaky/:key')
  const failures = intParam(ctx, 'failures', 0, 1_000_000, 1)
  const code = intParam(ctx, 'status', 400, 599, 503)
  const mode = oneOf(ctx, 'mode', ['status', 'reset'], 'status')
  const count = bump(ctx.state, `flaky:${key}`)
  const attempt = { 'x-demo-attempt': String(count) }
  if (count > failures) sendPage(ctx, 200, `Recovered after ${failures} failure(s)`, attempt)
  else if (mode === 'reset') resetSocket(ctx)
  else sendPage(ctx, code, `Flaky failure ${count} of ${failures}`, attempt)
}

function resetAfterHeaders(ctx: RouteContext): void {
  const { res } = ctx
  const head = Buffer.from(simplePage('Reset after headers', 'x'.repeat(1000)))
  // The promised length is never reached: the body is cut off after the first chunk.
  res.writeHead(200, { 'content-type': HTML, 'content-length': 64 * 1024, 'cache-control': 'no-store' })
  if (ctx.head) {
    res.end()
    return
  }
  // A FIN after the flushed chunk (not an RST) so the client reliably reads the headers first.
  res.write(head, () => ctx.req.socket.destroy())
}

function stallHeaders(ctx: RouteContext): void {
  const ms = optIntParam(ctx, 'ms', 0, MAX_STALL_MS)
  // Without ms the request simply stays open until the client gives up or the server closes.
  if (ms !== undefined)
    ctx.later(ms, () => {
      sendPage(ctx, 200, `Stalled ${ms} ms`)
    })
}

function trickle(ctx: RouteContext): void {
  const chunks = intParam(ctx, 'chunks', 1, 100_000, 20)
  const interval = intParam(ctx, 'interval', 0, 60_000, 500)
  const size = intParam(ctx, 'size', 1, 1024 * 1024, 16)
  const { res } = ctx
  res.writeHead(200, { 'content-type': TEXT, 'content-length': chunks * size, 'cache-control': 'no-store' })
  if (ctx.head) {
    res.end()
    return
  }
  res.flushHeaders()
  const chunk = Buffer.alloc(size, 'trickle ')
  chunk[size - 1] = 0x0a
  let sent = 0
  const stop = ctx.every(interval, () => {
    if (!ctx.alive()) {
      stop()
      return
    }
    sent++
    if (sent < chunks) {
      res.write(chunk)
      return
    }
    stop()
    res.end(chunk)
  })
}

const FILLER = Buffer.alloc(64 * 1024, 'Crawlboard demo target filler. ')

function huge(ctx: RouteContext): void {
  const bytes = intParam(ctx, 'bytes', 0, MAX_HUGE_BYTES, 50 * 1024 * 1024)
  const { res } = ctx
  res.writeHead(200, { 'content-type': TEXT, 'content-length': bytes, 'cache-control': 'no-store' })
  if (ctx.head) {
    res.end()
    return
  }
  let remaining = bytes
  // Writes until the socket buffer is full, then waits for 'drain': memory stays at ~64 KiB.
  const pump = (): void => {
    while (remaining > 0) {
      if (!ctx.alive()) return
      const n = Math.min(remaining, FILLER.length)
      remaining -= n
      if (!res.write(n === FILLER.length ? FILLER : FILLER.subarray(0, n))) {
        res.once('drain', pump)
        return
      }
    }
    if (ctx.alive()) res.end()
  }
  pump()
}

function bomb(ctx: RouteContext): void {
  const mb = intParam(ctx, 'mb', 1, 4096, 1024)
  send(ctx, 200, gzipBomb(mb), {
    'content-encoding': 'gzip',
    'x-demo-decoded-bytes': String(mb * 1024 * 1024)
  })
}

function compressed(encoding: DemoEncoding) {
  return (ctx: RouteContext): void => {
    send(ctx, 200, compressedPage(encoding), { 'content-encoding': encoding, vary: 'accept-encoding' })
  }
}

function redirectChain(ctx: RouteContext): void {
  const n = argInt(ctx, 'n', 0, 100, '/redirect/:n')
  if (n === 0) sendPage(ctx, 200, 'Redirect chain end')
  else redirect(ctx, `/redirect/${n - 1}${ctx.search}`)
}

function redirectLoop(ctx: RouteContext): void {
  const [step, extra] = ctx.args
  if (extra !== undefined || (step !== undefined && step !== 'a' && step !== 'b')) notFound(ctx)
  else redirect(ctx, `/redirect-loop/${step === 'a' ? 'b' : 'a'}${ctx.search}`)
}

function redirectTo(ctx: RouteContext): void {
  const url = ctx.query.get('url')
  if (!url) throw new BadRequest('url is required')
  let location = url
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    try {
      location = new URL(url).href
    } catch {
      throw new BadRequest('url is not a valid absolute URL')
    }
  } else if (!/^[\x21-\x7e]+$/.test(url)) {
    throw new BadRequest('a relative url must be printable ASCII')
  }
  redirect(ctx, location)
}

function charset(ctx: RouteContext): void {
  const name = (ctx.args[0] ?? '').toLowerCase()
  const via = oneOf(ctx, 'via', DEMO_CHARSET_VIAS, 'header')
  const page = charsetPage(name, via)
  if (!page) {
    sendText(ctx, 404, `unknown charset "${name}"; supported: ${Object.keys(DEMO_CHARSET_TITLES).join(', ')}`)
    return
  }
  send(ctx, 200, page.body, { 'content-type': page.contentType })
}

function urlsTxt(ctx: RouteContext): void {
  const count = intParam(ctx, 'count', 0, 100_000, 500)
  const seed = intParam(ctx, 'seed', -(2 ** 32), 2 ** 32, 1)
  const urls = generateDemoUrls(ctx.state.origins, { count, seed })
  send(ctx, 200, urls.length ? `${urls.join('\n')}\n` : '', { 'content-type': TEXT })
}

export function notFound(ctx: RouteContext): void {
  sendText(ctx, 404, 'not found: see / for the list of endpoints')
}

/** Routes that take one path argument (`/name/:arg`); every other route takes none. */
export const ROUTES_WITH_ARG: ReadonlySet<string> = new Set([
  'api',
  'delay',
  'status',
  'retry-after',
  'flaky',
  'redirect',
  'redirect-loop',
  'charset',
  'page'
])

/** Route by the first path segment; sub-segments arrive in ctx.args. */
export const ROUTES: Readonly<Record<string, (ctx: RouteContext) => void>> = {
  '': (ctx) => {
    send(ctx, 200, indexPage())
  },
  healthz: (ctx) => {
    sendText(ctx, 200, 'ok')
  },
  delay: (ctx) => {
    const ms = argInt(ctx, 'ms', 0, MAX_DELAY_MS, '/delay/:ms')
    afterDelay(ctx, ms, () => {
      sendPage(ctx, 200, `Delayed ${ms} ms`, { 'x-demo-delay-ms': String(ms) })
    })
  },
  latency,
  api,
  status,
  'retry-after': retryAfter,
  flaky,
  reset: resetSocket,
  'reset-after-headers': resetAfterHeaders,
  'stall-headers': stallHeaders,
  trickle,
  huge,
  'gzip-bomb': bomb,
  gzip: compressed('gzip'),
  br: compressed('br'),
  deflate: compressed('deflate'),
  redirect: redirectChain,
  'redirect-loop': redirectLoop,
  'redirect-to': redirectTo,
  charset,
  entities: (ctx) => {
    send(ctx, 200, entitiesPage())
  },
  'no-title': (ctx) => {
    send(ctx, 200, noTitlePage())
  },
  bom: (ctx) => {
    send(ctx, 200, bomPage(), { 'content-type': 'text/html' })
  },
  page: (ctx) => {
    send(ctx, 200, sitePage(argInt(ctx, 'n', 0, 2 ** 31 - 1, '/page/:n')))
  },
  'urls.txt': urlsTxt
}
