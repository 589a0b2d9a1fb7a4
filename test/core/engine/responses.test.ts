import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DEMO_BOM_TITLE,
  DEMO_CHARSET_TITLES,
  DEMO_CHARSET_VIAS,
  DEMO_ENTITIES_TITLE,
  compressedPageTitle,
  startDemoTarget,
  type DemoTarget
} from '../../../electron/core/demo/demo-target.ts'
import { compressedPage } from '../../../electron/core/demo/demo-pages.ts'
import { runUrls, startServer, type TestServer } from '../../helpers/engine-harness.ts'

/** What comes back from a response: resets, redirects, byte caps, decoding, charsets and titles. */

const MIB = 1024 * 1024
let target: DemoTarget

beforeAll(async () => {
  target = await startDemoTarget()
})

afterAll(async () => {
  await target.close()
})

describe('connection reset', () => {
  it('a reset before any response is RESET, with no status', async () => {
    const { rec, summary } = await runUrls([target.url('/reset')])
    expect(rec.result(0)).toMatchObject({ ok: false, status: null })
    expect(rec.result(0).error).toMatchObject({ code: 'RESET', retryable: true })
    expect(summary.byError).toEqual({ RESET: 1 })
  })

  it('a connection cut in the middle of the body is RESET in the body phase', async () => {
    const { rec } = await runUrls([target.url('/reset-after-headers')])
    expect(rec.result(0).error).toMatchObject({ code: 'RESET', phase: 'body' })
    expect(rec.result(0).status).toBe(200)
  })
})

describe('connection failures', () => {
  it('nothing listening is CONNECT_REFUSED; https to a plain http server is TLS', async () => {
    // A port that was just free: listen, note it, close.
    const probe = await startServer(() => undefined)
    const closedPort = probe.port
    await probe.close()
    const { rec, summary } = await runUrls([
      `http://127.0.0.1:${closedPort}/`,
      target.url('/healthz').replace('http:', 'https:')
    ])
    expect(rec.result(0).error).toMatchObject({ code: 'CONNECT_REFUSED', phase: 'connect', retryable: true })
    expect(rec.result(1).error).toMatchObject({ code: 'TLS', phase: 'tls', retryable: false })
    expect(summary.byStatus).toEqual({ none: 2 })
  })
})

describe('redirects', () => {
  it('follows a chain, recording every hop with its status and location', async () => {
    const { rec } = await runUrls([target.url('/redirect/3'), target.url('/redirect/2?code=301')])
    const r = rec.result(0)
    expect(r.ok).toBe(true)
    expect(r.status).toBe(200)
    expect(r.finalUrl).toBe(target.url('/redirect/0'))
    expect(r.title).toBe('Redirect chain end')
    expect(r.redirects.map((h) => [h.url, h.status, h.location])).toEqual([
      [target.url('/redirect/3'), 302, target.url('/redirect/2')],
      [target.url('/redirect/2'), 302, target.url('/redirect/1')],
      [target.url('/redirect/1'), 302, target.url('/redirect/0')]
    ])
    // Each hop took real time on the wire, and the request's total covers the whole chain.
    for (const hop of r.redirects) expect(hop.durationMs).toBeGreaterThan(0)
    expect(r.redirects.reduce((n, h) => n + h.durationMs, 0)).toBeLessThanOrEqual(r.timings.total)

    const moved = rec.result(1)
    expect(moved.finalUrl).toBe(target.url('/redirect/0?code=301'))
    expect(moved.redirects.map((h) => h.status)).toEqual([301, 301])
  })

  it('a loop is REDIRECT_LOOP', async () => {
    const { rec } = await runUrls([target.url('/redirect-loop/a')])
    const r = rec.result(0)
    expect(r.ok).toBe(false)
    expect(r.error).toMatchObject({ code: 'REDIRECT_LOOP', phase: 'redirect', retryable: false })
    expect(r.redirects.map((h) => h.location)).toEqual([
      target.url('/redirect-loop/b'),
      target.url('/redirect-loop/a')
    ])
  })

  it('more hops than maxRedirects is TOO_MANY_REDIRECTS; exactly maxRedirects is fine', async () => {
    const { rec } = await runUrls([target.url('/redirect/5'), target.url('/redirect/4')], { maxRedirects: 4 })
    expect(rec.result(0).error).toMatchObject({ code: 'TOO_MANY_REDIRECTS', phase: 'redirect' })
    expect(rec.result(1)).toMatchObject({ ok: true, status: 200, finalUrl: target.url('/redirect/0') })
    expect(rec.result(1).redirects).toHaveLength(4)
  })

  it('maxRedirects 0 reports the redirect itself', async () => {
    const { rec } = await runUrls([target.url('/redirect/1')], { maxRedirects: 0 })
    expect(rec.result(0)).toMatchObject({ status: 302, finalUrl: target.url('/redirect/1'), redirects: [] })
  })
})

describe('byte caps', () => {
  let chunked: TestServer
  let chunkedWritten = 0
  beforeAll(async () => {
    // Streams up to 64 MiB without a Content-Length, as fast as the client reads it.
    chunked = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      const block = Buffer.alloc(64 * 1024, 'x')
      const pump = (): void => {
        while (chunkedWritten < 64 * MIB && !res.destroyed) {
          chunkedWritten += block.length
          if (!res.write(block)) {
            res.once('drain', pump)
            return
          }
        }
        res.end()
      }
      pump()
    })
  })
  afterAll(async () => {
    await chunked.close()
  })

  it('a declared Content-Length over maxBodyBytes fails at once, without reading the body', async () => {
    const started = performance.now()
    const { rec } = await runUrls([target.url(`/huge?bytes=${512 * MIB}`)], { maxBodyBytes: MIB })
    const r = rec.result(0)
    expect(r.error).toMatchObject({ code: 'BODY_TOO_LARGE', phase: 'body', retryable: false })
    expect(r.error?.message).toContain(`Content-Length ${512 * MIB}`)
    expect(r.status).toBe(200)
    expect(performance.now() - started).toBeLessThan(2_000)
  })

  it('a body within maxBodyBytes is read in full', async () => {
    const { rec } = await runUrls([target.url(`/huge?bytes=${MIB}`)], { maxBodyBytes: MIB })
    expect(rec.result(0)).toMatchObject({ ok: true, bytes: MIB })
  })

  it('a chunked body without Content-Length is cut off at the cap', async () => {
    const started = performance.now()
    const { rec } = await runUrls([chunked.url('/')], { maxBodyBytes: MIB })
    expect(rec.result(0).error).toMatchObject({ code: 'BODY_TOO_LARGE', phase: 'body' })
    expect(performance.now() - started).toBeLessThan(2_000)
    // The client stopped reading and closed: the server did not get to send everything.
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(chunked.sockets.size).toBe(0)
    expect(chunkedWritten).toBeLessThan(32 * MIB)
  })

  it('a gzip bomb stops at the decoded cap without inflating it all', async () => {
    const before = process.memoryUsage()
    let peak = 0
    const sampler = setInterval(() => {
      const m = process.memoryUsage()
      peak = Math.max(peak, m.arrayBuffers - before.arrayBuffers, m.heapUsed - before.heapUsed)
    }, 2)
    const started = performance.now()
    try {
      const { rec } = await runUrls([target.url('/gzip-bomb?mb=64'), target.url('/gzip-bomb?mb=1024')], {
        maxBodyBytes: MIB
      })
      for (const id of [0, 1]) {
        const r = rec.result(id)
        expect(r.error).toMatchObject({ code: 'BODY_TOO_LARGE', phase: 'body' })
        expect(r.error?.message).toContain('Decoded body')
      }
    } finally {
      clearInterval(sampler)
    }
    // Inflating 1 GiB would take seconds; stopping at 1 MiB takes milliseconds.
    expect(performance.now() - started).toBeLessThan(3_000)
    expect(peak).toBeLessThan(48 * MIB)
  })

  it('gzip, br and deflate bodies are decoded: right title, decoded byte count', async () => {
    const encodings = ['gzip', 'br', 'deflate'] as const
    const decoded = {
      gzip: gunzipSync(compressedPage('gzip')).length,
      br: brotliDecompressSync(compressedPage('br')).length,
      deflate: inflateSync(compressedPage('deflate')).length
    }
    const { rec } = await runUrls(encodings.map((e) => target.url(`/${e}`)))
    encodings.forEach((encoding, id) => {
      const r = rec.result(id)
      expect(r.ok).toBe(true)
      expect(r.title).toBe(compressedPageTitle(encoding))
      expect(r.bytes).toBe(decoded[encoding])
      // Compression did something: the decoded size is well above the wire size.
      expect(r.bytes).toBeGreaterThan(compressedPage(encoding).length * 2)
      expect(r.headers['content-encoding']).toBe(encoding)
    })
  })
})

describe('charsets and titles', () => {
  const cases = Object.entries(DEMO_CHARSET_TITLES).flatMap(([charset, title]) =>
    DEMO_CHARSET_VIAS.map((via) => ({ charset, via, title }))
  )

  it(`every demo charset gives the exact title via ${DEMO_CHARSET_VIAS.join(', ')}`, async () => {
    const { rec } = await runUrls(cases.map((c) => target.url(`/charset/${c.charset}?via=${c.via}`)))
    const got = cases.map((c, id) => ({ ...c, title: rec.result(id).title }))
    expect(got).toEqual(cases)
    expect(cases.length).toBe(Object.keys(DEMO_CHARSET_TITLES).length * 3)
  })

  it('entities are decoded and ASCII whitespace collapsed (a no-break space stays)', async () => {
    const { rec } = await runUrls([target.url('/entities')])
    expect(rec.result(0).title).toBe(DEMO_ENTITIES_TITLE)
    expect(rec.result(0).title).toContain('\u00a0')
  })

  it('a BOM decides the charset; a page without a title has a null title', async () => {
    const { rec } = await runUrls([target.url('/bom'), target.url('/no-title'), target.url('/healthz')])
    expect(rec.result(0).title).toBe(DEMO_BOM_TITLE)
    expect(rec.result(1)).toMatchObject({ ok: true, title: null })
    // Plain text is not parsed for a title.
    expect(rec.result(2)).toMatchObject({ ok: true, title: null, contentType: 'text/plain; charset=utf-8' })
  })
})
