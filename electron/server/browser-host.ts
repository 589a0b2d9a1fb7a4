import { access, realpath } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Duplex } from 'node:stream'
import {
  createApiDispatcher,
  type CrawlerBackend,
  type DownloadSource,
  DOWNLOAD_PATH,
  type Download
} from '../core/index.ts'
import {
  hasValidToken,
  isAllowedHost,
  isAllowedOrigin,
  newToken,
  refuseUpgrade,
  SECURITY_HEADERS,
  tokenCookie
} from './http-security.ts'
import { TOKEN_QUERY_PARAM, WS_API_PATH } from './protocol.ts'
import { resolveStaticFile, sendFile } from './static-files.ts'
import { createApiSocketServer } from './ws-api.ts'

/**
 * The browser host: the built renderer and the CrawlerApi (over WebSocket) on 127.0.0.1, for
 * headless machines, projectors and end-to-end tests in Chromium. Access rules are in
 * http-security.ts; the protocol is in shared/ws-protocol.ts.
 */

export interface BrowserHostOptions {
  /** 0 or absent: a free port. */
  readonly port?: number
  /** Loopback only, by design: the host is never reachable from the network. */
  readonly host?: '127.0.0.1'
  /** The built renderer (out/renderer), holding index.html. */
  readonly rendererDir: string
  readonly backend: CrawlerBackend
  /** Exports the page asked for (exportRun answers a one-time address under DOWNLOAD_PATH). */
  readonly downloads?: DownloadSource
  /** The access token (default: 24 random bytes, base64url). */
  readonly token?: string
  readonly log?: (message: string, error?: unknown) => void
  /** Unsent bytes a socket may queue before it is closed as too slow (default 8 MB; tests lower it). */
  readonly maxBufferedBytes?: number
}

export interface BrowserHost {
  /** http://127.0.0.1:PORT/?token=… — what a person opens. */
  readonly url: string
  readonly port: number
  readonly token: string
  /** Closes every socket and the server; the backend is the caller's to close. */
  close(): Promise<void>
}

const FORBIDDEN_TOKEN = 'Forbidden: open the URL that `npm run serve` printed; it carries the access token.'
const FORBIDDEN_HOST = 'Forbidden: this server answers only to 127.0.0.1 and localhost.'

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const log =
    options.log ??
    ((message: string, error?: unknown) => {
      console.error(message, error)
    })
  const token = options.token ?? newToken()
  // It travels in a URL and a cookie, so it is limited to characters both carry as they are.
  if (!/^[A-Za-z0-9_-]{16,200}$/.test(token)) {
    throw new Error('The browser host token must be 16–200 characters of A–Z, a–z, 0–9, _ and -.')
  }
  const root = await realpath(options.rendererDir).catch(() => null)
  const indexPath = root === null ? null : join(root, 'index.html')
  if (
    root === null ||
    indexPath === null ||
    !(await access(indexPath).then(
      () => true,
      () => false
    ))
  ) {
    throw new Error(
      `No built renderer at ${options.rendererDir} (index.html missing): run \`npm run build\` first.`
    )
  }

  const api = createApiSocketServer({
    backend: options.backend,
    dispatcher: createApiDispatcher(options.backend, { log }),
    maxBufferedBytes: options.maxBufferedBytes
  })
  let port = 0

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isAllowedHost(req.headers.host, port)) {
      sendText(res, 403, FORBIDDEN_HOST)
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Method not allowed.', { Allow: 'GET, HEAD' })
      return
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (!hasValidToken(req, url, token)) {
      sendText(res, 403, FORBIDDEN_TOKEN)
      return
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      // The cookie lets assets and the WebSocket upgrade carry the token without it in every URL.
      const headers: Record<string, string> = { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' }
      const given = url.searchParams.get(TOKEN_QUERY_PARAM)
      await sendFile(
        req.method,
        res,
        indexPath,
        given === null ? headers : { ...headers, 'Set-Cookie': tokenCookie(token) }
      )
      return
    }
    if (url.pathname.startsWith(DOWNLOAD_PATH)) {
      await sendDownload(req, res, options.downloads?.takeDownload(url.pathname.slice(DOWNLOAD_PATH.length)))
      return
    }
    if (url.pathname === WS_API_PATH) {
      sendText(res, 426, 'This path speaks WebSocket only.', { Upgrade: 'websocket' })
      return
    }
    const file = await resolveStaticFile(root, url.pathname)
    if (file === null) {
      sendText(res, 404, 'Not found.')
      return
    }
    await sendFile(req.method, res, file, { ...SECURITY_HEADERS, 'Cache-Control': 'private, no-cache' })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log('crawlboard: browser host request failed:', error)
      if (!res.headersSent) sendText(res, 500, 'Internal error.')
      else res.destroy()
    })
  })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    if (!isAllowedHost(req.headers.host, port)) {
      refuseUpgrade(socket, 403, FORBIDDEN_HOST)
      return
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname !== WS_API_PATH) {
      refuseUpgrade(socket, 404, `Not found: the API socket is at ${WS_API_PATH}.`)
      return
    }
    if (!hasValidToken(req, url, token)) {
      refuseUpgrade(socket, 403, FORBIDDEN_TOKEN)
      return
    }
    if (!isAllowedOrigin(req.headers.origin, req.headers.host)) {
      refuseUpgrade(socket, 403, 'Forbidden: WebSocket connections are accepted from this origin only.')
      return
    }
    api.handleUpgrade(req, socket, head)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ port: options.port ?? 0, host: '127.0.0.1' }, () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port

  let closing: Promise<void> | null = null
  return {
    url: `http://127.0.0.1:${port}/?${TOKEN_QUERY_PARAM}=${token}`,
    port,
    token,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => {
          server.close(() => {
            resolve()
          })
        })
        await api.close()
        server.closeAllConnections()
        await stopped
      })()
      return closing
    }
  }
}

/**
 * Streams an export. Only GET takes the one-time token (a HEAD would use it up). A failure after the
 * headers are out ends the response abruptly, so the browser reports the download as failed rather
 * than saving half a file as if it were whole.
 */
async function sendDownload(
  req: IncomingMessage,
  res: ServerResponse,
  download: Download | null | undefined
): Promise<void> {
  if (req.method !== 'GET') {
    sendText(res, 405, 'Downloads are fetched with GET.', { Allow: 'GET' })
    return
  }
  if (!download) {
    sendText(res, 404, 'This download has expired or was already used: export again from Crawlboard.')
    return
  }
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': download.contentType,
    'Content-Disposition': contentDisposition(download.filename),
    'Cache-Control': 'no-store'
  })
  await download.write(res)
  res.end()
}

/** RFC 6266: an ASCII fallback name plus the exact name in RFC 8187 encoding. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`
}

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  extra: Record<string, string> = {}
): void {
  const body = `${text}\n`
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...extra,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store'
  })
  res.end(body)
}
