import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import {
  APP_JS,
  connect,
  cookie,
  get,
  host,
  INDEX,
  SECRET,
  useBrowserHost
} from '../helpers/browser-host-harness.ts'

/**
 * The browser host's door: a loopback URL with a token, static files from the build and nothing
 * outside it, the token cookie, forged Host and Origin headers refused, and the WebSocket upgrade.
 * The API over the socket is in ws-api.test.ts.
 */

useBrowserHost()

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
