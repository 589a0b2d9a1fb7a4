import { describe, expect, it } from 'vitest'
import { NormalizeMemo, normalizeUrl, UrlBase } from '../../../electron/core/crawl/normalize-url.ts'

const PAGE = 'https://example.com/docs/guide/page.html?x=1'

describe('normalizeUrl: resolving against the page', () => {
  it.each([
    // [href, expected]
    ['other.html', 'https://example.com/docs/guide/other.html'],
    ['./other.html', 'https://example.com/docs/guide/other.html'],
    ['../api/', 'https://example.com/docs/api/'],
    ['../../', 'https://example.com/'],
    ['../../../../too-far', 'https://example.com/too-far'],
    ['/root', 'https://example.com/root'],
    ['?y=2', 'https://example.com/docs/guide/page.html?y=2'],
    ['#top', 'https://example.com/docs/guide/page.html?x=1'],
    ['', 'https://example.com/docs/guide/page.html?x=1'],
    ['//cdn.example.net/x', 'https://cdn.example.net/x'],
    ['//CDN.Example.NET:443/x', 'https://cdn.example.net/x'],
    ['http://other.org', 'http://other.org/'],
    ['/a/./b/../c', 'https://example.com/a/c'],
    ['/a/%2e%2E/b', 'https://example.com/b'],
    ['  /spaced  ', 'https://example.com/spaced'],
    ['\n\t/tabbed\n', 'https://example.com/tabbed'],
    ['/in\tside/new\nline', 'https://example.com/inside/newline'],
    ['/with space', 'https://example.com/with%20space'],
    ['/ümlaut?q=ä', 'https://example.com/%C3%BCmlaut?q=%C3%A4'],
    ['/already%20encoded', 'https://example.com/already%20encoded'],
    ['/keeps%7ecase%2F', 'https://example.com/keeps%7ecase%2F'],
    ['\\backslash\\path', 'https://example.com/backslash/path'],
    ['https:relative', 'https://example.com/docs/guide/relative']
  ])('%j → %s', (href, expected) => {
    expect(normalizeUrl(href, PAGE)).toEqual({ ok: true, url: expected })
  })

  it('accepts the base as a URL object, with the same result', () => {
    expect(normalizeUrl('../x', new URL(PAGE))).toEqual(normalizeUrl('../x', PAGE))
  })
})

describe('normalizeUrl: the normal form (dedupe key)', () => {
  it.each([
    ['HTTP://EXAMPLE.COM/Path', 'http://example.com/Path'],
    ['HtTpS://Example.Com', 'https://example.com/'],
    ['http://example.com:80/a', 'http://example.com/a'],
    ['https://example.com:443/a', 'https://example.com/a'],
    ['http://example.com:443/a', 'http://example.com:443/a'],
    ['https://example.com:80/a', 'https://example.com:80/a'],
    ['http://example.com:8080/a', 'http://example.com:8080/a'],
    ['http://example.com:0080/a', 'http://example.com/a'],
    ['http://example.com/a#frag', 'http://example.com/a'],
    ['http://example.com/a?b=1#frag', 'http://example.com/a?b=1'],
    ['http://example.com/a?', 'http://example.com/a'],
    ['http://example.com/a?#x', 'http://example.com/a'],
    ['http://example.com/a?b=c d', 'http://example.com/a?b=c%20d'],
    ['http://münchen.de/', 'http://xn--mnchen-3ya.de/'],
    ['http://MÜNCHEN.de/', 'http://xn--mnchen-3ya.de/'],
    ['http://xn--mnchen-3ya.de/', 'http://xn--mnchen-3ya.de/'],
    ['http://例え.テスト/', 'http://xn--r8jz45g.xn--zckzah/'],
    ['http://[::1]/', 'http://[::1]/'],
    ['http://[::1]:80/', 'http://[::1]/'],
    ['http://[2001:DB8:0:0:0:0:0:1]:8080/x', 'http://[2001:db8::1]:8080/x'],
    ['http://127.0.0.1:3000/', 'http://127.0.0.1:3000/'],
    ['http://0x7f.1/', 'http://127.0.0.1/'],
    ['http://example.com', 'http://example.com/'],
    ['http://user:pw@example.com/', 'http://user:pw@example.com/']
  ])('%s → %s', (raw, expected) => {
    expect(normalizeUrl(raw, PAGE)).toEqual({ ok: true, url: expected })
  })

  it('equivalent spellings of one page share one key', () => {
    const spellings = [
      'HTTPS://EXAMPLE.COM:443/docs/./guide/../guide/page.html?x=1#intro',
      'https://example.com/docs/guide/page.html?x=1',
      '//example.com/docs/guide/page.html?x=1#',
      'page.html?x=1#section-2',
      '  page.html?x=1  '
    ]
    const keys = new Set(spellings.map((s) => normalizeUrl(s, PAGE)).map((r) => (r.ok ? r.url : r.reason)))
    expect([...keys]).toEqual(['https://example.com/docs/guide/page.html?x=1'])
  })
})

describe('normalizeUrl: refused', () => {
  it.each([
    ['mailto:someone@example.com', 'mailto:'],
    ['MAILTO:someone@example.com', 'mailto:'],
    ['javascript:void(0)', 'javascript:'],
    [' JavaScript:alert(1)', 'javascript:'],
    ['tel:+4912345', 'tel:'],
    ['data:text/html,<p>x</p>', 'data:'],
    ['ftp://files.example.com/a', 'ftp:'],
    ['file:///etc/passwd', 'file:'],
    ['ws://example.com/socket', 'ws:'],
    ['about:blank', 'about:']
  ])('%s (scheme %s)', (raw, scheme) => {
    const result = normalizeUrl(raw, PAGE)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toContain(`${scheme} links are not fetched`)
  })

  it.each([
    ['http://exa mple.com/'],
    ['http://example.com:99999/'],
    ['http://[::1/'],
    ['http://'],
    ['https://:443/'],
    ['http://a@b@/']
  ])('%s is not a valid URL', (raw) => {
    const result = normalizeUrl(raw, PAGE)
    expect(result).toEqual({ ok: false, reason: `${JSON.stringify(raw)} is not a valid URL` })
  })

  it('a relative href against an unusable base is invalid, not thrown', () => {
    expect(normalizeUrl('x', 'not a url').ok).toBe(false)
  })

  it('quotes at most 100 characters of a long invalid input', () => {
    const raw = `http://bad host/${'x'.repeat(5_000)}`
    const result = normalizeUrl(raw, PAGE)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason.length).toBeLessThan(140)
  })
})

describe('normalizeUrl: stripping query parameters', () => {
  const strip = { stripQueryParams: [/^utm_/, 'sessionid', 'fbclid'] }

  it.each([
    ['/p?utm_source=x&utm_medium=y', 'https://example.com/p'],
    ['/p?id=7&utm_source=x', 'https://example.com/p?id=7'],
    ['/p?utm_source=x&id=7&sessionid=abc&b=2', 'https://example.com/p?id=7&b=2'],
    ['/p?sessionid', 'https://example.com/p'],
    ['/p?SessionId=abc', 'https://example.com/p?SessionId=abc'],
    ['/p?utm%5Fsource=x&a=1', 'https://example.com/p?a=1'],
    ['/p?q=a%20b&utm_x=1&r=c+d&s=%7e', 'https://example.com/p?q=a%20b&r=c+d&s=%7e'],
    ['/p?a=1&&b=2&fbclid=Z', 'https://example.com/p?a=1&&b=2'],
    ['/p?id=7#utm_source=x', 'https://example.com/p?id=7'],
    ['/p?%zz=1&utm_a=2', 'https://example.com/p?%zz=1']
  ])('%s → %s', (href, expected) => {
    expect(normalizeUrl(href, PAGE, strip)).toEqual({ ok: true, url: expected })
  })

  it('without the option the query is left as it is', () => {
    expect(normalizeUrl('/p?utm_source=x&a=1', PAGE)).toEqual({
      ok: true,
      url: 'https://example.com/p?utm_source=x&a=1'
    })
  })

  it('a global-flag pattern matches every time (its lastIndex is not carried over)', () => {
    const opts = { stripQueryParams: [/^utm_/g] }
    const results = ['/p?utm_a=1', '/p?utm_b=1', '/p?utm_c=1'].map((h) => normalizeUrl(h, PAGE, opts))
    expect(results).toEqual(Array(3).fill({ ok: true, url: 'https://example.com/p' }))
  })
})

describe('normalizeUrl: a prepared UrlBase resolves exactly as the plain base', () => {
  // The shortcuts (no base for `scheme://…`, the short root for `/…`) must never change a result:
  // every href form here is compared against resolving with the base given as text.
  const bases = [
    PAGE,
    'http://127.0.0.1:40123/site/p/12?q=1#frag',
    'https://user:pw@example.com/a/b',
    'https://user@example.com/a/b',
    'http://[::1]:8080/x/y/',
    'https://xn--mnchen-3ya.example/stra%C3%9Fe/',
    'HTTPS://Example.COM:443/Mixed/Case',
    'file:///home/user/page.html',
    'not a url'
  ]
  const hrefs = [
    '',
    'x',
    '../up/../../../way',
    './',
    '/',
    '/root/path?q=1#f',
    '//other.example/net/path',
    '/\\evil.example/x',
    '/\t/tabbed',
    '/in\nside',
    ' /leading-space',
    '\\backslash',
    '?only=query',
    'http:same-scheme-relative',
    'https:other-scheme-relative',
    'http://example.com/abs',
    'HTTP://EXAMPLE.COM:80/abs#x',
    'https://user:pw@example.com/creds',
    'ht\ttp://tab-in-scheme.example/',
    'http:/\t/split.example/',
    'http://[::1/',
    'http://',
    'mailto:a@b.example',
    'javascript:void(0)',
    'ftp://files.example/f',
    'file://host/share',
    'a+b.c-d://custom/scheme',
    '1http://not-a-scheme/'
  ]
  it.each(bases)('against %j', (base) => {
    const prepared = new UrlBase(base)
    const parsed = URL.parse(base)
    for (const href of hrefs) {
      const plain = normalizeUrl(href, base)
      expect(normalizeUrl(href, prepared), JSON.stringify(href)).toEqual(plain)
      if (parsed !== null) expect(normalizeUrl(href, parsed), JSON.stringify(href)).toEqual(plain)
    }
  })
})

describe('NormalizeMemo: remembered hrefs resolve as fresh ones', () => {
  // Pages of one origin at different paths, then another origin: a remembered `/x` or `http://…`
  // must give what normalizeUrl gives on the page asking now, and a page-relative href is never
  // answered from another page.
  const pages = [
    'https://example.com/docs/guide/page.html?x=1',
    'https://example.com/blog/2024/post/',
    'https://example.com/',
    'http://example.com/docs/',
    'https://example.com:8443/docs/',
    'https://user:pw@example.com/docs/',
    'https://other.example/a/b/c'
  ]
  const hrefs = [
    '/',
    '/about#team',
    '//cdn.example/lib.js',
    '/p?utm_source=x&id=3',
    'https://example.com/abs?utm_medium=y',
    'HTTP://EXAMPLE.COM:80/Abs',
    'relative/page',
    '../up',
    '?q=1',
    'http:same-scheme',
    'mailto:x@example.com',
    'http://[::1/'
  ]
  const opts = { stripQueryParams: [/^utm_/] }

  it("gives normalizeUrl's result for every href on every page, twice over", () => {
    const memo = new NormalizeMemo(opts)
    for (let round = 0; round < 2; round++) {
      for (const page of pages) {
        const base = new UrlBase(page)
        for (const href of hrefs) {
          expect(memo.normalize(href, base), `${href} on ${page}`).toEqual(normalizeUrl(href, page, opts))
        }
      }
    }
    // Only the absolute and root-relative hrefs were kept, once per origin root (or once when absolute).
    expect(memo.size).toBeGreaterThan(0)
    expect(memo.size).toBeLessThan(pages.length * hrefs.length)
  })

  it('holds at most maxEntries, then only answers, with the same results', () => {
    const memo = new NormalizeMemo({}, 10)
    const base = new UrlBase('https://example.com/dir/page')
    for (let i = 0; i < 100; i++) {
      const href = `/p/${i % 37}`
      expect(memo.normalize(href, base)).toEqual({ ok: true, url: `https://example.com/p/${i % 37}` })
      expect(memo.size).toBeLessThanOrEqual(10)
    }
  })
})

describe('normalizeUrl: plainly written /paths and same-origin URLs are taken as written, as the parser would', () => {
  // Compared with the parser on random hrefs over every character that could make a difference:
  // the ones it encodes, drops or reads specially, dots and `%2e` for dot segments, `?` for queries.
  const alphabet = [
    ...Array.from('aZ09-._~!$&()*+,;=:@%/?'),
    ...Array.from('2eE'),
    '/.',
    '/..',
    '%2e',
    '%2E',
    '\\',
    ' ',
    '\t',
    '\n',
    '#',
    "'",
    '"',
    '<',
    '>',
    '`',
    '{',
    '}',
    '|',
    '^',
    '[',
    ']',
    'é',
    '\u0000',
    '\u007f'
  ]
  let seed = 42
  const random = () => {
    // mulberry32: the same hrefs every run.
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const hrefs = Array.from({ length: 20_000 }, () => {
    let href = '/'
    const length = 1 + Math.floor(random() * 10)
    for (let i = 0; i < length; i++) href += alphabet[Math.floor(random() * alphabet.length)] ?? ''
    return href
  })

  it.each(['http://example.com/a/b?q', 'https://[::1]:8443/x', 'http://xn--mnchen-3ya.example/'])(
    'against %s',
    (page) => {
      const base = new UrlBase(page)
      const strip = { stripQueryParams: [/^utm_/, 'id'] }
      let plain = 0
      const origin = new URL(page).origin
      // Root-relative, and absolute on this origin: as the parser writes it, and spelled otherwise.
      const forms = (href: string) => [href, `${origin}${href}`, `${origin.toUpperCase()}${href}`]
      for (const href of hrefs.flatMap(forms)) {
        if (base.plain(href.split('#')[0] ?? '') !== null) plain++
        expect(normalizeUrl(href, base), JSON.stringify(href)).toEqual(normalizeUrl(href, page))
        expect(normalizeUrl(href, base, strip), JSON.stringify(href)).toEqual(normalizeUrl(href, page, strip))
      }
      // The shortcut was really taken, often.
      expect(plain).toBeGreaterThan(2_000)
    }
  )
})
