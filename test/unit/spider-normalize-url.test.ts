import { describe, expect, it } from 'vitest'
import { normalizeUrl } from '../../electron/main/spider/normalize-url.ts'

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
