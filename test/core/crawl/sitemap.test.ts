import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import {
  parseSitemap,
  readSitemapFile,
  SITEMAP_MAX_URLS,
  type SitemapParseResult
} from '../../../electron/core/crawl/sitemap.ts'

const SITEMAP_URL = 'https://example.com/sitemap.xml'
const NS = 'http://www.sitemaps.org/schemas/sitemap/0.9'
const bytes = (text: string) => new TextEncoder().encode(text)
const parse = (text: string | Uint8Array, opts: { maxBytes?: number; maxUrls?: number } = {}) =>
  parseSitemap(typeof text === 'string' ? bytes(text) : text, { sitemapUrl: SITEMAP_URL, ...opts })

const urlset = (entries: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="${NS}">${entries}</urlset>`
const url = (loc: string, extra = '') => `<url><loc>${loc}</loc>${extra}</url>`

describe('parseSitemap: urlset', () => {
  it('reads locs and lastmods, normalised, in order', () => {
    const result = parse(
      urlset(
        url(
          'https://example.com/',
          '<lastmod>2024-05-01</lastmod><changefreq>daily</changefreq><priority>0.8</priority>'
        ) +
          url('https://EXAMPLE.com:443/a#frag', '<lastmod>2024-05-01T10:20:30+02:00</lastmod>') +
          url('https://example.com/b?x=1')
      )
    )
    expect(result).toEqual<SitemapParseResult>({
      kind: 'urlset',
      format: 'xml',
      entries: [
        { url: 'https://example.com/', lastmod: '2024-05-01' },
        { url: 'https://example.com/a', lastmod: '2024-05-01T10:20:30+02:00' },
        { url: 'https://example.com/b?x=1', lastmod: null }
      ],
      urls: ['https://example.com/', 'https://example.com/a', 'https://example.com/b?x=1'],
      errors: []
    })
  })

  it.each([
    ['entities', url('https://example.com/?a=1&amp;b=2&apos;&#x41;'), 'https://example.com/?a=1&b=2%27A'],
    ['CDATA', url('<![CDATA[https://example.com/?a=1&b=<2>]]>'), 'https://example.com/?a=1&b=%3C2%3E'],
    ['whitespace around the loc', url('\n    https://example.com/spaced\n  '), 'https://example.com/spaced'],
    ['non-ASCII', url('https://münchen.de/straße'), 'https://xn--mnchen-3ya.de/stra%C3%9Fe'],
    [
      'a sibling before the loc',
      '<url><lastmod>2024</lastmod><loc>https://example.com/x</loc></url>',
      'https://example.com/x'
    ]
  ])('%s', (_name, entries, expected) => {
    expect(parse(urlset(entries)).urls).toEqual([expected])
  })

  it('ignores extension elements: image, video, news, alternates', () => {
    const result = parse(`<urlset xmlns="${NS}" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"
      xmlns:video="http://www.google.com/schemas/sitemap-video/1.1" xmlns:xhtml="http://www.w3.org/1999/xhtml">
      <url>
        <loc>https://example.com/page</loc>
        <image:image><image:loc>https://example.com/photo.jpg</image:loc></image:image>
        <video:video><video:content_loc>https://example.com/v.mp4</video:content_loc></video:video>
        <xhtml:link rel="alternate" hreflang="de" href="https://example.com/de/page"/>
      </url></urlset>`)
    expect(result.urls).toEqual(['https://example.com/page'])
    expect(result.errors).toEqual([])
  })

  it('accepts a prefixed sitemap namespace, no namespace, and a BOM', () => {
    const prefixed = `\uFEFF<?xml version="1.0"?><sm:urlset xmlns:sm="${NS}"><sm:url><sm:loc>https://example.com/p</sm:loc></sm:url></sm:urlset>`
    expect(parse(prefixed).urls).toEqual(['https://example.com/p'])
    expect(parse('<urlset><url><loc>https://example.com/q</loc></url></urlset>').urls).toEqual([
      'https://example.com/q'
    ])
    expect(parse(bytes(`\uFEFF${urlset(url('https://example.com/bom'))}`)).urls).toEqual([
      'https://example.com/bom'
    ])
  })

  it('reports every unusable entry by number and keeps the rest', () => {
    const result = parse(
      urlset(
        url('https://example.com/ok') +
          url('/relative/path') +
          url('//example.com/protocol-relative') +
          url('ftp://example.com/file') +
          '<url><lastmod>2024-01-01</lastmod></url>' +
          url('') +
          url(`https://example.com/${'x'.repeat(2_100)}`) +
          url('https://exa mple.com/') +
          url('https://example.com/bad-date', '<lastmod>yesterday</lastmod>') +
          url('https://example.com/ok')
      )
    )
    expect(result.urls).toEqual(['https://example.com/ok', 'https://example.com/bad-date'])
    expect(result.entries[1]).toEqual({ url: 'https://example.com/bad-date', lastmod: null })
    expect(result.errors).toEqual([
      'entry 2: "/relative/path" is not an absolute URL.',
      'entry 3: "//example.com/protocol-relative" is not an absolute URL.',
      'entry 4: ftp: links are not fetched (only http and https).',
      'entry 5: no <loc>.',
      'entry 6: no <loc>.',
      'entry 7: URL is 2,048 characters or longer; sitemaps.org allows less than 2,048.',
      'entry 8: "https://exa mple.com/" is not an absolute URL.',
      'entry 9: <lastmod> "yesterday" is not a W3C Datetime (e.g. 2024-05-01); ignored.'
    ])
  })

  it('survives malformed XML: unclosed elements, stray tags, junk after the root', () => {
    const result = parse(
      `<urlset xmlns="${NS}"><url><loc>https://example.com/a</url>` +
        `</bogus><url><loc>https://example.com/b</loc></url><url><loc>https://example.com/c`
    )
    expect(result.kind).toBe('urlset')
    expect(result.urls).toEqual(['https://example.com/a', 'https://example.com/b', 'https://example.com/c'])
  })

  it.each([
    [
      'an HTML page',
      '<!doctype html><html><body>Not found</body></html>',
      '<html>, not <urlset> or <sitemapindex>.'
    ],
    [
      'an RSS feed',
      '<rss version="2.0"><channel></channel></rss>',
      '(RSS and Atom feeds are not read as sitemaps).'
    ],
    ['text before any element', '<?xml version="1.0"?><!-- nothing -->', 'no XML root element.']
  ])('refuses %s, saying what it is', (_name, text, tail) => {
    const result = parse(text)
    expect(result.urls).toEqual([])
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(
      new RegExp(`^${SITEMAP_URL} is not a sitemap: .*${tail.replace(/[.()<>]/g, '\\$&')}$`)
    )
  })

  it('counts duplicates once', () => {
    expect(parse(urlset(url('https://example.com/a') + url('https://example.com/a#x'))).urls).toEqual([
      'https://example.com/a'
    ])
  })
})

describe('parseSitemap: sitemap index', () => {
  it('lists the child sitemaps with their lastmod', () => {
    const result = parse(`<?xml version="1.0" encoding="UTF-8"?>
      <sitemapindex xmlns="${NS}">
        <sitemap><loc>https://example.com/sitemap-posts.xml.gz</loc><lastmod>2024-05-01T00:00:00Z</lastmod></sitemap>
        <sitemap><loc>https://example.com/sitemap-pages.xml</loc></sitemap>
        <sitemap><loc>sitemap-relative.xml</loc></sitemap>
        <url><loc>https://example.com/not-in-an-index</loc></url>
      </sitemapindex>`)
    expect(result.kind).toBe('index')
    expect(result.entries).toEqual([
      { url: 'https://example.com/sitemap-posts.xml.gz', lastmod: '2024-05-01T00:00:00Z' },
      { url: 'https://example.com/sitemap-pages.xml', lastmod: null }
    ])
    expect(result.errors).toEqual(['entry 3: "sitemap-relative.xml" is not an absolute URL.'])
  })
})

describe('parseSitemap: plain text', () => {
  it('reads one URL per line, CRLF or LF, skipping blank lines, numbering lines as an editor does', () => {
    const result = parse(
      '\uFEFFhttps://example.com/a\r\n\r\n  https://example.com/b  \nnot a url\nmailto:x@y.z\n'
    )
    expect(result).toMatchObject({ kind: 'urlset', format: 'text' })
    expect(result.urls).toEqual(['https://example.com/a', 'https://example.com/b'])
    expect(result.errors).toEqual([
      'line 4: "not a url" is not an absolute URL.',
      'line 5: mailto: links are not fetched (only http and https).'
    ])
  })

  it('an empty file is an error', () => {
    expect(parse('  \n\n').errors).toEqual([`${SITEMAP_URL} is empty.`])
  })
})

describe('parseSitemap: gzip and limits', () => {
  it('detects gzip by its magic bytes, whatever the name', () => {
    const xml = urlset(url('https://example.com/gz') + url('https://example.com/gz2'))
    const result = parseSitemap(gzipSync(bytes(xml)), { sitemapUrl: 'https://example.com/sitemap.xml' })
    expect(result.urls).toEqual(['https://example.com/gz', 'https://example.com/gz2'])
    expect(parse(gzipSync(bytes('https://example.com/t\n'))).urls).toEqual(['https://example.com/t'])
  })

  it('reads a truncated gzip up to the cut, and says it was truncated', () => {
    const many = Array.from({ length: 2_000 }, (_, i) => url(`https://example.com/p${i}`)).join('')
    const gz = gzipSync(bytes(urlset(many)))
    const result = parse(gz.subarray(0, Math.floor(gz.length / 2)))
    expect(result.urls.length).toBeGreaterThan(100)
    expect(result.urls.length).toBeLessThan(2_000)
    expect(result.urls[0]).toBe('https://example.com/p0')
    expect(result.errors[0]).toBe(
      `${SITEMAP_URL}: the gzip data is truncated; only the URLs before the cut were read.`
    )
  })

  it('reports corrupt gzip', () => {
    const result = parse(new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9]))
    expect(result.urls).toEqual([])
    expect(result.errors[0]).toMatch(/^https:\/\/example\.com\/sitemap\.xml is not valid gzip: /)
  })

  it('stops a gzip bomb at the 50 MB cap: 1 GB of zeros in 1 MB', () => {
    // A hundred gzip members of 10 MB each; a gunzip without a cap would allocate a gigabyte.
    const member = gzipSync(Buffer.alloc(10 * 1024 * 1024), { level: 9 })
    const bomb = Buffer.concat(Array<Buffer>(100).fill(member))
    expect(bomb.length).toBeLessThan(1024 * 1024)
    const rssBefore = process.memoryUsage().rss
    const started = performance.now()
    const result = parse(bomb)
    expect(performance.now() - started).toBeLessThan(5_000)
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(400 * 1024 * 1024)
    expect(result.urls).toEqual([])
    expect(result.errors).toEqual([
      `${SITEMAP_URL} is larger than 52,428,800 bytes once gunzipped (sitemaps.org allows 50 MB uncompressed): not read; split it into several sitemaps listed in an index.`
    ])
  })

  it('a bomb cut short is stopped at the cap all the same', () => {
    const member = gzipSync(Buffer.alloc(10 * 1024 * 1024), { level: 9 })
    const bomb = Buffer.concat(Array<Buffer>(10).fill(member))
    const result = parse(bomb.subarray(0, bomb.length - 100))
    expect(result.urls).toEqual([])
    expect(result.errors).toEqual([
      `${SITEMAP_URL} is larger than 52,428,800 bytes once gunzipped (sitemaps.org allows 50 MB uncompressed): not read; split it into several sitemaps listed in an index.`
    ])
  })

  it('refuses an uncompressed body over the byte cap', () => {
    const result = parse(urlset(url('https://example.com/a')), { maxBytes: 50 })
    expect(result.urls).toEqual([])
    expect(result.errors[0]).toContain('is larger than 50 bytes (sitemaps.org allows 50 MB uncompressed)')
  })

  it(`keeps the first ${SITEMAP_MAX_URLS.toLocaleString('en')} URLs and reports how many more were ignored`, () => {
    const lines = Array.from({ length: SITEMAP_MAX_URLS + 7 }, (_, i) => `https://example.com/p${i}`)
    const result = parse(lines.join('\n'))
    expect(result.urls).toHaveLength(SITEMAP_MAX_URLS)
    expect(result.urls.at(-1)).toBe(`https://example.com/p${SITEMAP_MAX_URLS - 1}`)
    expect(result.errors).toEqual([
      'More than 50,000 URLs (the sitemaps.org limit per file): 7 after them were ignored; split the sitemap and list the parts in an index.'
    ])
  })

  it('lists at most 100 errors, then counts the rest', () => {
    const result = parse(Array.from({ length: 250 }, (_, i) => `bad${i}`).join('\n'))
    expect(result.errors).toHaveLength(101)
    expect(result.errors[100]).toBe('… and 150 more errors.')
  })
})

describe('readSitemapFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crawlboard-sitemap-'))
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('reads a plain and a gzipped file', async () => {
    const plain = join(dir, 'sitemap.xml')
    const gz = join(dir, 'sitemap.xml.gz')
    writeFileSync(plain, urlset(url('https://example.com/file')))
    writeFileSync(gz, gzipSync(bytes(urlset(url('https://example.com/file-gz')))))
    expect((await readSitemapFile(plain)).urls).toEqual(['https://example.com/file'])
    expect((await readSitemapFile(gz)).urls).toEqual(['https://example.com/file-gz'])
  })

  it('names the file URL in file-level errors', async () => {
    const html = join(dir, 'page.html')
    writeFileSync(html, '<html></html>')
    const result = await readSitemapFile(html)
    expect(result.errors[0]).toContain(`${pathToFileURL(html).href} is not a sitemap`)
  })

  it('refuses a file over the cap without reading it', async () => {
    const big = join(dir, 'big.xml')
    writeFileSync(big, 'x'.repeat(2_000))
    const result = await readSitemapFile(big, { maxBytes: 1_000 })
    expect(result.urls).toEqual([])
    expect(result.errors[0]).toContain('is larger than 1,000 bytes')
  })

  it('throws a clear error when the file cannot be read', async () => {
    await expect(readSitemapFile(join(dir, 'missing.xml'))).rejects.toThrow(
      `Cannot read sitemap file ${join(dir, 'missing.xml')}: no such file.`
    )
    const folder = join(dir, 'folder.xml')
    mkdirSync(folder)
    await expect(readSitemapFile(folder)).rejects.toThrow(
      `Cannot read sitemap file ${folder}: it is a folder.`
    )
  })
})
