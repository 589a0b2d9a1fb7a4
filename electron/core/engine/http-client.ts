import type { Socket } from 'node:net'
import { Agent, buildConnector, interceptors, type Dispatcher } from 'undici'
import { timeSocket, timingInterceptor } from './timing.ts'

/**
 * One undici Agent for the run: keep-alive sockets, HTTP/1.1 only (comparable timings, one request
 * per socket at a time), DNS answers cached for a TTL, and every socket timed and tracked so cancel
 * can prove none is left open.
 *
 * Each origin's pool holds exactly the per-host limit of sockets. A larger pool costs connections:
 * undici marks a socket free only after the response's last byte has reached our handler, so the
 * request started on that completion finds every socket busy and opens another (a 2,000-request
 * run at concurrency 100 opened ~160 sockets, each a connect its request waited for). A pool of the
 * limit queues that request for the socket that is about to free instead. A live raise of the limit
 * swaps in a larger pool for new requests and lets the old one finish what it holds.
 */

export interface HttpClientOptions {
  /** Read on every new connection, so a live change applies to the next socket. */
  readonly connectTimeoutMs: () => number
  readonly keepAliveTimeoutMs: number
  readonly dnsCacheTtlMs: number
  /** Sockets per origin: the per-host limit in force (read again by `resize`). */
  readonly connectionsPerOrigin: () => number
}

export interface HttpClient {
  readonly dispatcher: Dispatcher
  /** Grows the pools when the per-host limit was raised (a lower limit keeps them as they are). */
  resize(): void
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

  const dns = interceptors.dns({ maxTTL: options.dnsCacheTtlMs, dualStack: true })
  const poolSize = () => Math.max(1, Math.floor(options.connectionsPerOrigin()))
  const build = (connections: number) => {
    const agent = new Agent({
      connect,
      connections,
      pipelining: 1,
      allowH2: false,
      keepAliveTimeout: options.keepAliveTimeoutMs,
      keepAliveMaxTimeout: Math.max(options.keepAliveTimeoutMs, 1_000)
    })
    return { agent, connections, dispatcher: agent.compose(skipForIpv6Literals(dns), timingInterceptor) }
  }

  let current = build(poolSize())
  /** Agents replaced by a larger one, closing once their requests are done. */
  const retired = new Map<Agent, Promise<void>>()

  const destroyAll = () => {
    for (const socket of sockets) socket.destroy()
  }

  return {
    get dispatcher() {
      return current.dispatcher
    },
    resize: () => {
      const wanted = poolSize()
      if (wanted <= current.connections) return
      const old = current.agent
      retired.set(
        old,
        old.close().finally(() => retired.delete(old))
      )
      current = build(wanted)
    },
    openSockets: () => sockets.size,
    close: async () => {
      await Promise.all([current.agent.close(), ...retired.values()])
    },
    destroy: async () => {
      await Promise.all([current.agent.destroy(), ...[...retired.keys()].map((a) => a.destroy())])
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
