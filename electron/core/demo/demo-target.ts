import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import {
  BadRequest,
  notFound,
  ROUTES,
  ROUTES_WITH_ARG,
  send,
  sendText,
  type DemoState,
  type RouteContext
} from './demo-routes.ts'
import { demoSite, type DemoRobots, type DemoSite, type DemoSiteOptions } from './demo-site.ts'
import { robotsTxt, siteRoute } from './demo-site-routes.ts'
import {
  checkHostLoad,
  DEMO_UNLOADED,
  DEMO_WORKSHOP_LOAD,
  TokenBucket,
  WorkerPool,
  type DemoHostLoad
} from './demo-load.ts'
import { simplePage } from './demo-pages.ts'

/**
 * The embedded demo target: a loopback HTTP server with scripted latency, errors, 429 +
 * Retry-After, slow and huge bodies, redirect loops, legacy charsets and a synthetic site. Workshops
 * run offline against it, and tests and benchmarks use it. Endpoints are listed on its index page
 * and in demo-routes.ts.
 */

export { DEMO_CHARSET_TITLES, DEMO_CHARSET_VIAS, type DemoCharsetVia } from './demo-charsets.ts'
export {
  DEMO_BOM_TITLE,
  DEMO_ENTITIES_TITLE,
  DEMO_ENTITIES_TITLE_RAW,
  DEMO_SITE_PAGES,
  compressedPageTitle,
  demoPageTitle
} from './demo-pages.ts'
export { DEMO_URL_MIX, generateDemoUrls, type DemoUrlMixEntry } from './demo-urls.ts'
export {
  DEMO_BLOCKED_AGENT,
  DEMO_SITE_DEFAULTS,
  DEMO_SLOW_AGENT,
  DEMO_SLOW_AGENT_DELAY_S,
  SITE_PREFIX,
  SITE_ROBOTS_RULES,
  demoSite,
  siteRobotsAllows,
  siteRobotsTxt,
  treeLevel,
  type DemoLatency,
  type DemoRobots,
  type DemoSite,
  type DemoSiteFaults,
  type DemoSiteOptions
} from './demo-site.ts'
export {
  DEMO_API_HOST,
  DEMO_UNLOADED,
  DEMO_WORKSHOP_LOAD,
  TokenBucket,
  WorkerPool,
  type DemoHostLoad,
  type DemoRateLimit
} from './demo-load.ts'
export { idealWallMs, siteFacts, type DemoSiteFacts, type SiteWalkOptions } from './demo-site-facts.ts'

export interface DemoTarget {
  /** e.g. http://127.0.0.1:40123 */
  readonly origin: string
  readonly port: number
  /**
   * Every origin served, one port each: the demo's "hosts". Per-host limits and Retry-After
   * pauses key on host:port, so a workshop sees one host held back while the others go on.
   */
  readonly origins: readonly string[]
  url(path: string): string
  /** The synthetic site under /site/ as served (options resolved): pass it to siteFacts. */
  readonly site: DemoSite
  /** Closes the server and destroys every open socket, stalled ones included. */
  close(): Promise<void>
  /** rateLimited: requests refused with 429 by a host's token bucket (never by /retry-after). */
  stats(): { requests: number; openSockets: number; rateLimited: number }
}

export interface DemoTargetOptions {
  host?: '127.0.0.1' | '::1'
  /** 0 (the default) picks a free port. */
  port?: number
  /** How many origins (ports) to serve, 1–8; default 1. The workshop demo uses 3. */
  hosts?: number
  /** The synthetic site under /site/ (the same on every origin); default 300 pages. */
  site?: DemoSiteOptions
  /** What /robots.txt answers: one for every origin, or one per origin in order; default 'site'. */
  robots?: DemoRobots | readonly DemoRobots[]
  /**
   * How each origin behaves under load (demo-load.ts): 'none' (the default: every request at once,
   * no rate limit, so tests and benchmarks see exactly the scripted delays), 'workshop'
   * (DEMO_WORKSHOP_LOAD: capacity on every host, a rate limit on the API-like one), or one
   * DemoHostLoad per origin in order (origins past the list are unloaded).
   */
  load?: 'none' | 'workshop' | readonly DemoHostLoad[]
}

/** Never rate limited nor queued: a liveness probe, and robots.txt (a 429 there reads as "disallow all"). */
const LOAD_EXEMPT: ReadonlySet<string> = new Set(['healthz', 'robots.txt'])

/**
 * Answers that take no worker: they stand for a broken network or a stuck proxy in front of the
 * host, not for work the host does, so a few of them do not take a host's capacity for seconds.
 */
const UNPOOLED: ReadonlySet<string> = new Set([
  'stall-headers',
  'trickle',
  'huge',
  'gzip-bomb',
  'reset',
  'reset-after-headers'
])

interface HostLoadState {
  readonly bucket: TokenBucket | null
  readonly pool: WorkerPool | null
  readonly limit: DemoHostLoad['rateLimit']
}

function hostLoads(spec: DemoTargetOptions['load'], count: number, now: number): HostLoadState[] {
  const list = spec === undefined || spec === 'none' ? [] : spec === 'workshop' ? DEMO_WORKSHOP_LOAD : spec
  return Array.from({ length: count }, (_, i) => {
    const load = list[i] ?? DEMO_UNLOADED
    checkHostLoad(load, `startDemoTarget load[${i}]`)
    return {
      bucket: load.rateLimit ? new TokenBucket(load.rateLimit, now) : null,
      pool: load.workers === null ? null : new WorkerPool(load.workers),
      limit: load.rateLimit
    }
  })
}

/** Routes that take any path below their name (`/site/p/12`), read raw from ctx.path. */
const PATH_ROUTES: Readonly<Record<string, (ctx: RouteContext) => void>> = {
  site: siteRoute,
  'robots.txt': robotsTxt
}

type Timer = ReturnType<typeof setTimeout>

function isRobotsList(spec: DemoRobots | readonly DemoRobots[]): spec is readonly DemoRobots[] {
  return Array.isArray(spec)
}

export async function startDemoTarget(opts: DemoTargetOptions = {}): Promise<DemoTarget> {
  const host = opts.host ?? '127.0.0.1'
  const site = demoSite(opts.site)
  const robotsSpec = opts.robots ?? 'site'
  const sockets = new Set<Socket>()
  // Timers of requests in flight, so close() can clear them without waiting for socket events.
  const requestTimers = new Set<Set<Timer>>()
  const counters = new Map<string, number>()
  let state: DemoState = { origin: '', origins: [], counters, site, robots: [] }
  let requests = 0
  let rateLimited = 0
  const hostCount = Math.min(8, Math.max(1, Math.floor(opts.hosts ?? 1)))
  const loads = hostLoads(opts.load, hostCount, Date.now())
  let closing: Promise<void> | undefined

  const handle = (req: IncomingMessage, res: ServerResponse, hostIndex: number): void => {
    requests++
    const timers = new Set<Timer>()
    requestTimers.add(timers)
    let closed = false
    res.once('close', () => {
      closed = true
      for (const t of timers) clearTimeout(t)
      requestTimers.delete(timers)
    })
    const alive = (): boolean => !closed && !res.writableEnded && !req.socket.destroyed
    // A throw inside a timer would otherwise take down the whole process (the app, in production).
    const guard = (fn: () => void) => () => {
      try {
        fn()
      } catch (error) {
        fail(error)
      }
    }
    const fail = (error: unknown): void => {
      if (error instanceof BadRequest) {
        if (!res.headersSent) sendText(ctx, 400, `bad request: ${error.message}`)
        else req.socket.destroy()
        return
      }
      console.error('[demo-target] handler failed', error)
      if (!res.headersSent && alive()) sendText(ctx, 500, 'demo target error')
      else req.socket.destroy()
    }

    const target = req.url ?? '/'
    const q = target.indexOf('?')
    const path = q === -1 ? target : target.slice(0, q)
    const search = q === -1 ? '' : target.slice(q)
    const ctx: RouteContext = {
      req,
      res,
      path,
      args: [],
      query: new URLSearchParams(search),
      search,
      head: req.method === 'HEAD',
      state,
      alive,
      later(ms, fn) {
        if (!alive()) return
        const t = setTimeout(() => {
          timers.delete(t)
          if (alive()) guard(fn)()
        }, ms)
        timers.add(t)
      },
      every(ms, fn) {
        if (!alive()) return () => {}
        const t = setInterval(guard(fn), ms)
        timers.add(t)
        return () => {
          clearInterval(t)
          timers.delete(t)
        }
      }
    }

    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD')
        sendText(ctx, 405, 'method not allowed: the demo target answers GET and HEAD')
        return
      }
      // Split by hand: new URL('//x', base) would read "x" as a host name.
      const segments = path.split('/').filter((s) => s !== '')
      let decoded: string[]
      try {
        decoded = segments.map((s) => decodeURIComponent(s))
      } catch {
        throw new BadRequest('malformed percent-encoding in the path')
      }
      const [name = '', ...args] = decoded
      const dispatch = (): void => {
        const pathRoute = Object.hasOwn(PATH_ROUTES, name) ? PATH_ROUTES[name] : undefined
        if (pathRoute) {
          pathRoute(ctx)
          return
        }
        const route = Object.hasOwn(ROUTES, name) ? ROUTES[name] : undefined
        if (!route || args.length > (ROUTES_WITH_ARG.has(name) ? 1 : 0)) {
          notFound(ctx)
          return
        }
        route({ ...ctx, args })
      }
      const load = loads[hostIndex]
      if (!load || LOAD_EXEMPT.has(name)) {
        dispatch()
        return
      }
      if (load.bucket && load.limit) {
        const taken = load.bucket.take(Date.now())
        const policy = `${String(load.limit.perSecond)} requests a second, burst ${String(load.limit.burst)}`
        if (!taken.ok) {
          rateLimited++
          send(ctx, 429, simplePage('Status 429: rate limited'), {
            'retry-after': String(taken.retryAfterSeconds),
            'x-demo-rate-limit': policy
          })
          return
        }
        res.setHeader('x-demo-rate-limit', policy)
        res.setHeader('x-demo-rate-remaining', String(taken.remaining))
      }
      const pool = load.pool
      if (!pool || UNPOOLED.has(name)) {
        dispatch()
        return
      }
      // Latency = the wait for a worker + the route's own service time; the worker is freed when
      // the answer is done or the client goes away, whichever comes first.
      const queuedAt = performance.now()
      let started = false
      let done = false
      const cancel = pool.acquire(() => {
        started = true
        const waited = Math.round(performance.now() - queuedAt)
        if (!res.headersSent) res.setHeader('x-demo-queue-ms', String(waited))
        guard(dispatch)()
      })
      const settle = (): void => {
        if (done) return
        done = true
        if (started) pool.release()
        else cancel()
      }
      res.once('finish', settle)
      res.once('close', settle)
    } catch (error) {
      fail(error)
    }
  }

  const servers: Server[] = []
  const listen = async (port: number): Promise<number> => {
    const hostIndex = servers.length
    const server = createServer((req, res) => {
      handle(req, res, hostIndex)
    })
    server.on('connection', (socket) => {
      sockets.add(socket)
      socket.once('close', () => sockets.delete(socket))
    })
    servers.push(server)
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    return (server.address() as AddressInfo).port
  }
  const ports = [await listen(opts.port ?? 0)]
  for (let i = 1; i < hostCount; i += 1) ports.push(await listen(0))
  const port = ports[0] ?? 0
  const bracketed = host.includes(':') ? `[${host}]` : host
  const origins = ports.map((p) => `http://${bracketed}:${p}`)
  const origin = origins[0] ?? ''
  const robots = isRobotsList(robotsSpec) ? robotsSpec : origins.map(() => robotsSpec)
  state = { origin, origins, counters, site, robots }

  return {
    origin,
    port,
    origins,
    site,
    url: (path) => `${origin}${path.startsWith('/') ? '' : '/'}${path}`,
    stats: () => ({ requests, openSockets: sockets.size, rateLimited }),
    close() {
      closing ??= new Promise<void>((resolve) => {
        let open = servers.length
        for (const server of servers) {
          server.close(() => {
            if ((open -= 1) === 0) resolve()
          })
        }
        for (const timers of requestTimers) for (const t of timers) clearTimeout(t)
        requestTimers.clear()
        for (const socket of sockets) socket.destroy()
        // Destroyed sockets emit 'close' a tick later; they are gone for every practical purpose now.
        sockets.clear()
      })
      return closing
    }
  }
}
