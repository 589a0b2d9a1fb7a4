import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { TOKEN_COOKIE, TOKEN_QUERY_PARAM } from './protocol.ts'

/**
 * Who may talk to the browser host. It listens on 127.0.0.1 only, but any web page the user visits
 * can also reach 127.0.0.1, so:
 * - every request carries the random token (from the printed URL, then a cookie), compared in
 *   constant time;
 * - the Host header must name 127.0.0.1 or localhost at our port, which defeats DNS rebinding (a
 *   hostile name re-pointed at 127.0.0.1 still sends its own name as Host);
 * - a WebSocket upgrade from a browser must come from our own origin (browsers always send Origin
 *   on WebSocket handshakes and do not apply CORS to them). Non-browser clients send none and are
 *   let through on the token alone: no web page can omit the header.
 */

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

/** Constant-time: both sides hashed first, so neither the length nor a prefix leaks. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

/** True when the query's token or the cookie matches. */
export function hasValidToken(req: IncomingMessage, url: URL, expected: string): boolean {
  const candidates = [url.searchParams.get(TOKEN_QUERY_PARAM), readCookie(req.headers.cookie, TOKEN_COOKIE)]
  let ok = false
  // Every candidate is compared (no early exit), keeping the time independent of which one matched.
  for (const candidate of candidates) if (candidate !== null && tokensEqual(candidate, expected)) ok = true
  return ok
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return null
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false
  const h = host.toLowerCase()
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`
}

/** Absent (a non-browser client) or exactly this server's origin as the browser addressed it. */
export function isAllowedOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true
  return host !== undefined && origin.toLowerCase() === `http://${host.toLowerCase()}`
}

/** The same policy the Electron build injects (electron.vite.config.ts), plus what only a header can say. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'"
].join('; ')

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin'
}

/** Answers an upgrade request that will not become a WebSocket, and drops the socket. */
export function refuseUpgrade(socket: Duplex, status: 400 | 403 | 404, text: string): void {
  const reason = status === 403 ? 'Forbidden' : status === 404 ? 'Not Found' : 'Bad Request'
  const body = `${text}\n`
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
      body
  )
}
