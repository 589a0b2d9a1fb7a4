import type { Socket } from 'node:net'
import { Agent, buildConnector, interceptors, type Dispatcher } from 'undici'
import { timeSocket, timingInterceptor } from './timing.ts'

/**
 * One undici Agent for the whole run: keep-alive sockets, HTTP/1.1 only (comparable timings,
 * one request per socket at a time), a per-origin socket cap as a safety net behind our own
 * per-host limit, DNS answers cached for a TTL, and every socket timed and tracked so cancel can
 * prove none is left open.
 */

export interface HttpClientOptions {
  /** Read on every new connection, so a live change applies to the next socket. */
  readonly connectTimeoutMs: () => number
  readonly keepAliveTimeoutMs: number
  readonly dnsCacheTtlMs: number
  /** Sockets per origin; our per-host semaphore is the policy, this only bounds the pool. */
  readonly connectionsPerOrigin: number
}

export interface HttpClient {
  readonly dispatcher: Dispatcher
  /** Sockets currently open (connecting, active or idle). */
  openSockets(): number
  /** Lets in-flight requests finish, then closes idle sockets. */
  close(): Promise<void>
  /** Destroys every socket now; in-flight requests fail with an abort. */
  destroy(): Promise<void>
}

type SocketConnector = (options: buildConnector.Options, callback: buildConnector.Callback) => Socket

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const sockets = new Set<Socket>()
  const connectors = new Map<number, SocketConnector>()

  const connectorFor = (timeout: number): SocketConnector => {
    let connector = connectors.get(timeout)
    if (!connector) {
      // undici's connector returns the socket it creates, though its type says void.
      connector = buildConnector({ timeout, allowH2: false, keepAlive: true }) as unknown as SocketConnector
      connectors.set(timeout, connector)
    }
    return connector
  }

  const connect: buildConnector.connector = (opts, callback) => {
    const socket = connectorFor(options.connectTimeoutMs())(opts, callback)
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    timeSocket(socket, opts.protocol === 'https:')
    return socket
  }

  const agent = new Agent({
    connect,
    connections: options.connectionsPerOrigin,
    pipelining: 1,
    allowH2: false,
    keepAliveTimeout: options.keepAliveTimeoutMs,
    keepAliveMaxTimeout: Math.max(options.keepAliveTimeoutMs, 1_000)
  })

  const dispatcher = agent.compose(
    skipForIpv6Literals(interceptors.dns({ maxTTL: options.dnsCacheTtlMs, dualStack: true })),
    timingInterceptor
  )

  const destroyAll = () => {
    for (const socket of sockets) socket.destroy()
  }

  return {
    dispatcher,
    openSockets: () => sockets.size,
    close: () => agent.close(),
    destroy: async () => {
      await agent.destroy()
      destroyAll()
    }
  }
}

/**
 * undici's dns interceptor skips IP literals with `isIP(url.hostname)`, but a URL keeps the
 * brackets of an IPv6 literal (`[::1]`), so it tries to resolve "[::1]" and every request to an
 * IPv6 address fails with ENOTFOUND (DNS). An IP literal needs no lookup: bypass the interceptor.
 */
function skipForIpv6Literals(
  dns: Dispatcher.DispatcherComposeInterceptor
): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => {
    const viaDns = dns(dispatch)
    return (opts, handler) => {
      const origin = typeof opts.origin === 'string' ? opts.origin : opts.origin?.toString()
      return origin !== undefined && /^[a-z][a-z0-9+.-]*:\/\/\[/i.test(origin)
        ? dispatch(opts, handler)
        : viaDns(opts, handler)
    }
  }
}
