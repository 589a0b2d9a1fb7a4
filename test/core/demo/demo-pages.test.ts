import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DEMO_BOM_TITLE,
  DEMO_CHARSET_TITLES,
  DEMO_CHARSET_VIAS,
  DEMO_ENTITIES_TITLE,
  DEMO_ENTITIES_TITLE_RAW,
  DEMO_SITE_PAGES,
  DEMO_URL_MIX,
  compressedPageTitle,
  demoPageTitle,
  generateDemoUrls,
  startDemoTarget,
  type DemoTarget
} from '../../../electron/core/demo/demo-target.ts'
import { fetchReply, header, titleOf, type Reply, type ReplyOptions } from '../../helpers/http-reply.ts'

/**
 * What the demo target's pages hold, read over loopback: big and compressed bodies, charsets and
 * the titles they decode to, the deterministic /page/:n pages and the generated URL lists.
 */

let target: DemoTarget
const agent = new Agent({ connections: 64 })
const get = (path: string, opts: ReplyOptions = {}): Promise<Reply> =>
  fetchReply(agent, target.url(path), opts)

beforeAll(async () => {
  target = await startDemoTarget()
})

afterAll(async () => {
  await target.close()
  await agent.close()
})

describe('big and compressed bodies', () => {
  it('streams /huge with its content-length', async () => {
    const head = await get('/huge', { method: 'HEAD' })
    expect(Number(header(head, 'content-length'))).toBe(50 * 1024 * 1024)
    const reply = await get('/huge?bytes=3000001')
    expect(Number(header(reply, 'content-length'))).toBe(3_000_001)
    expect(reply.body.length).toBe(3_000_001)
    expect((await get('/huge?bytes=3000000000')).status).toBe(400)
  })

  it('stops streaming when the client goes away', async () => {
    const res = await request(target.url('/huge?bytes=2000000000'), { dispatcher: agent })
    for await (const chunk of res.body) {
      expect((chunk as Buffer).length).toBeGreaterThan(0)
      break
    }
    expect((await get('/healthz')).status).toBe(200)
  })

  it('serves a gzip bomb that inflates past the requested MiB', async () => {
    const reply = await get('/gzip-bomb?mb=8')
    expect(header(reply, 'content-encoding')).toBe('gzip')
    expect(header(reply, 'content-type')).toMatch(/^text\/html/)
    expect(reply.body.length).toBeLessThan(16 * 1024)
    expect(() => gunzipSync(reply.body, { maxOutputLength: 4 * 1024 * 1024 })).toThrow(RangeError)
    const inflated = gunzipSync(reply.body, { maxOutputLength: 9 * 1024 * 1024 })
    expect(inflated.length).toBe(8 * 1024 * 1024)
    expect(inflated.every((byte) => byte === 0)).toBe(true)
  })

  it('serves gzip, br and deflate pages', async () => {
    const decoders = { gzip: gunzipSync, br: brotliDecompressSync, deflate: inflateSync } as const
    for (const encoding of ['gzip', 'br', 'deflate'] as const) {
      const reply = await get(`/${encoding}`)
      expect(header(reply, 'content-encoding')).toBe(encoding)
      const html = decoders[encoding](reply.body).toString()
      expect(titleOf(html)).toBe(compressedPageTitle(encoding))
    }
  })
})

describe('charsets and titles', () => {
  it('decodes every charset page to its known title, for every declaration style', async () => {
    for (const [name, title] of Object.entries(DEMO_CHARSET_TITLES)) {
      for (const via of DEMO_CHARSET_VIAS) {
        const reply = await get(`/charset/${name}?via=${via}`)
        expect(reply.status).toBe(200)
        const contentType = header(reply, 'content-type')
        const html = new TextDecoder(name).decode(reply.body)
        expect(titleOf(html), `${name} via ${via}`).toBe(title)
        if (via === 'header') expect(contentType).toBe(`text/html; charset=${name}`)
        else expect(contentType).toBe('text/html')
        if (via === 'meta') expect(html).toContain(`<meta charset="${name}">`)
        if (via === 'http-equiv') expect(html).toContain(`content="text/html; charset=${name}"`)
        // Non-UTF-8 pages must really be in the legacy encoding.
        if (name !== 'utf-8') expect(reply.body.toString('utf8')).not.toContain(title)
      }
    }
    expect((await get('/charset/klingon')).status).toBe(404)
  })

  it('serves entities, no-title and BOM pages', async () => {
    const entities = (await get('/entities')).body.toString()
    expect(titleOf(entities)).toBe(DEMO_ENTITIES_TITLE_RAW)
    const decoded = DEMO_ENTITIES_TITLE_RAW.replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&#233;/g, 'é')
      .replace(/&#x4E2D;/g, '中')
      .replace(/&nbsp;/g, '\u00a0')
      .replace(/[\t\n\f\r ]+/g, ' ')
      .trim()
    expect(decoded).toBe(DEMO_ENTITIES_TITLE)
    expect(titleOf((await get('/no-title')).body.toString())).toBeUndefined()
    const bom = await get('/bom')
    expect([...bom.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(header(bom, 'content-type')).toBe('text/html')
    expect(titleOf(new TextDecoder('utf-8').decode(bom.body))).toBe(DEMO_BOM_TITLE)
  })
})

describe('synthetic site and URL lists', () => {
  it('serves deterministic /page/:n pages linking to other pages', async () => {
    const a = await get('/page/17')
    const b = await get('/page/17')
    expect(a.body.equals(b.body)).toBe(true)
    for (const n of [0, 17, 999, 123456]) {
      const html = (await get(`/page/${n}`)).body.toString()
      expect(html.length).toBeGreaterThanOrEqual(5_000)
      expect(html.length).toBeLessThanOrEqual(31_000)
      expect(titleOf(html)).toBe(demoPageTitle(n))
      const links = [...html.matchAll(/href="\/page\/(\d+)"/g)].map((m) => Number(m[1]))
      expect(links.length).toBeGreaterThanOrEqual(5)
      for (const link of links) expect(link).toBeLessThan(DEMO_SITE_PAGES)
    }
  })

  it('serves /urls.txt from generateDemoUrls', async () => {
    const reply = await get('/urls.txt?count=50&seed=7')
    expect(header(reply, 'content-type')).toMatch(/^text\/plain/)
    expect(reply.body.toString().trim().split('\n')).toEqual(
      generateDemoUrls(target.origin, { count: 50, seed: 7 })
    )
  })

  it('generates deterministic, unique URL lists', () => {
    const origin = 'http://127.0.0.1:1234'
    const a = generateDemoUrls(origin, { count: 2000, seed: 3 })
    expect(generateDemoUrls(origin, { count: 2000, seed: 3 })).toEqual(a)
    expect(generateDemoUrls(origin, { count: 2000, seed: 4 })).not.toEqual(a)
    expect(a).toHaveLength(2000)
    expect(new Set(a).size).toBe(2000)
    for (const url of a) expect(new URL(url).origin).toBe(origin)
    expect(generateDemoUrls(origin)).toHaveLength(500)
    expect(generateDemoUrls(origin, { count: 0 })).toEqual([])
    expect(generateDemoUrls(`${origin}/`, { count: 5 })[0]).toMatch(/^http:\/\/127\.0\.0\.1:1234\/[a-z]/)
    // Flaky keys differ by seed, so a list from another seed starts with fresh counters.
    const flakyKeys = (seed: number) =>
      generateDemoUrls(origin, { count: 500, seed }).filter((u) => u.includes('/flaky/'))
    expect(flakyKeys(1).some((u) => flakyKeys(2).includes(u))).toBe(false)
  })

  it('follows the advertised mix', () => {
    const urls = generateDemoUrls('http://h', { count: 2000, seed: 11 })
    const classify = (raw: string): string => {
      const url = new URL(raw)
      const [, first = '', second = ''] = url.pathname.split('/')
      if (first === 'latency') return 'fast'
      if (first === 'status') return Number(second) >= 500 ? 'server-error' : 'client-error'
      if (first === 'stall-headers') return 'stall'
      if (first === 'reset-after-headers') return 'reset'
      if (['gzip', 'br', 'deflate'].includes(first)) return 'compressed'
      return first
    }
    const counts = new Map<string, number>()
    for (const url of urls) counts.set(classify(url), (counts.get(classify(url)) ?? 0) + 1)
    for (const { id, share } of DEMO_URL_MIX) {
      if (id === 'gzip-bomb') continue
      expect(Math.abs((counts.get(id) ?? 0) / urls.length - share), id).toBeLessThan(0.01)
    }
    expect(counts.get('gzip-bomb')).toBe(1)
    expect([...counts.keys()].every((id) => DEMO_URL_MIX.some((m) => m.id === id))).toBe(true)
    expect(DEMO_URL_MIX.reduce((sum, m) => sum + m.share, 0)).toBeCloseTo(1, 5)
    expect(generateDemoUrls('http://h', { count: 50 }).some((u) => u.includes('gzip-bomb'))).toBe(false)
  })
})
