import { describe, expect, it } from 'vitest'
import {
  compilePatterns,
  createScope,
  ScopeConfigError,
  siteKey,
  type ScopeOptions
} from '../../../electron/core/crawl/scope.ts'

const scope = (opts: Partial<ScopeOptions>) =>
  createScope({ mode: 'host', seeds: ['https://www.example.com/'], include: [], exclude: [], ...opts })

/** The verdict as one comparable word: 'in' or the refusal code. */
const verdict = (s: ReturnType<typeof scope>, url: string) => {
  const v = s.check(url)
  return v.inScope ? 'in' : v.code
}

describe('scope: host', () => {
  const s = scope({ mode: 'host', seeds: ['https://www.example.com/start', 'http://127.0.0.1:8080/'] })
  it.each([
    ['https://www.example.com/any/path?q=1', 'in'],
    ['http://www.example.com/', 'in'],
    ['https://www.example.com:443/x', 'in'],
    ['https://www.example.com./x', 'in'],
    ['https://www.example.com:8443/', 'OTHER_HOST'],
    ['https://example.com/', 'OTHER_HOST'],
    ['https://shop.example.com/', 'OTHER_HOST'],
    ['https://www.example.com.evil.net/', 'OTHER_HOST'],
    ['http://127.0.0.1:8080/page', 'in'],
    ['http://127.0.0.1:8081/page', 'OTHER_HOST'],
    ['http://127.0.0.1/page', 'OTHER_HOST'],
    ['ftp://www.example.com/', 'INVALID_URL'],
    ['not a url', 'INVALID_URL']
  ])('%s → %s', (url, expected) => {
    expect(verdict(s, url)).toBe(expected)
  })

  it('the reason names the host', () => {
    expect(s.check('https://other.org/')).toEqual({
      inScope: false,
      code: 'OTHER_HOST',
      reason: 'other.org is not a seed host'
    })
  })
})

describe('scope: site (registrable domain, private suffixes count as public)', () => {
  const s = scope({
    mode: 'site',
    seeds: [
      'https://www.example.co.uk/',
      'https://alice.github.io/blog/',
      'http://localhost:5173/',
      'http://[::1]:3000/',
      'http://10.0.0.7/',
      'https://münchen.de/'
    ]
  })
  it.each([
    ['https://shop.example.co.uk/cart', 'in'],
    ['http://example.co.uk/', 'in'],
    ['https://a.b.c.example.co.uk:8443/', 'in'],
    ['https://example.com/', 'OTHER_SITE'],
    ['https://other.co.uk/', 'OTHER_SITE'],
    ['https://co.uk/', 'OTHER_SITE'],
    ['https://alice.github.io/other/', 'in'],
    ['https://www.alice.github.io/', 'in'],
    ['https://bob.github.io/', 'OTHER_SITE'],
    ['https://github.io/', 'OTHER_SITE'],
    ['http://localhost:9999/', 'in'],
    ['http://localhost/', 'in'],
    ['http://127.0.0.1:5173/', 'OTHER_SITE'],
    ['http://[::1]/x', 'in'],
    ['http://[::2]:3000/', 'OTHER_SITE'],
    ['http://10.0.0.7:81/', 'in'],
    ['http://10.0.0.8/', 'OTHER_SITE'],
    ['https://www.xn--mnchen-3ya.de/', 'in']
  ])('%s → %s', (url, expected) => {
    expect(verdict(s, url)).toBe(expected)
  })

  it.each([
    ['www.example.co.uk', 'example.co.uk'],
    ['foo.blogspot.com', 'foo.blogspot.com'],
    ['alice.github.io', 'alice.github.io'],
    ['example.com.', 'example.com'],
    ['127.0.0.1', '127.0.0.1'],
    ['[::1]', '[::1]'],
    ['localhost', 'localhost'],
    ['intranet', 'intranet']
  ])('siteKey(%s) = %s', (host, key) => {
    expect(siteKey(host)).toBe(key)
  })
})

describe('scope: patterns', () => {
  it.each([
    // [include, exclude, url, expected]
    [[], [], 'https://www.example.com/x', 'in'],
    [['/docs/'], [], 'https://www.example.com/docs/a', 'in'],
    [['/docs/'], [], 'https://www.example.com/blog/a', 'NOT_INCLUDED'],
    [['/docs/', '/api/'], [], 'https://www.example.com/api/v1', 'in'],
    [[], ['\\.pdf$'], 'https://www.example.com/a.pdf', 'EXCLUDED'],
    [[], ['\\.pdf$'], 'https://www.example.com/a.pdf?x', 'in'],
    [['/docs/'], ['/docs/old/'], 'https://www.example.com/docs/old/a', 'EXCLUDED'],
    [['/docs/'], ['/docs/old/'], 'https://www.example.com/docs/new/a', 'in'],
    [['^https://www\\.example\\.com/$'], [], 'https://www.example.com/', 'in'],
    [['/Docs/'], [], 'https://www.example.com/docs/', 'NOT_INCLUDED'],
    [['/(?i:Docs)/'], [], 'https://www.example.com/docs/', 'in'],
    [[], ['[?&]sort='], 'https://www.example.com/list?page=2&sort=asc', 'EXCLUDED']
  ])('include %j exclude %j: %s → %s', (include, exclude, url, expected) => {
    expect(verdict(scope({ include, exclude }), url)).toBe(expected)
  })

  it('the mode is checked before the patterns: an include cannot pull in another host', () => {
    expect(verdict(scope({ include: ['.*'] }), 'https://other.org/')).toBe('OTHER_HOST')
  })

  it("mode 'any' lets every http(s) URL through the mode check", () => {
    const s = scope({ mode: 'any', seeds: [], exclude: ['facebook\\.com'] })
    expect(verdict(s, 'https://anything.example.net/')).toBe('in')
    expect(verdict(s, 'https://www.facebook.com/share')).toBe('EXCLUDED')
  })

  it('the exclusion reason quotes the pattern as written', () => {
    expect(scope({ exclude: ['/a/b'] }).check('https://www.example.com/a/b')).toMatchObject({
      reason: 'matches exclude pattern "/a/b"'
    })
  })
})

describe('compilePatterns', () => {
  it('compiles valid sources and names every invalid one', () => {
    const { patterns, errors } = compilePatterns(['/ok/', 'a(', '[z-a]', '', '\\d+'], 'Include pattern')
    expect(patterns.map((p) => p.source)).toEqual(['/ok/', '\\d+'])
    expect(errors).toEqual([
      {
        source: 'a(',
        message: 'Include pattern "a(" is not a valid regular expression: Unterminated group.'
      },
      {
        source: '[z-a]',
        message:
          'Include pattern "[z-a]" is not a valid regular expression: Range out of order in character class.'
      },
      { source: '', message: 'Include pattern is empty: it would match every URL; remove it.' }
    ])
  })

  it.each([
    // [source, compiled as]
    ['.*foo', '^.*foo'],
    ['.+foo', '^.+foo'],
    ['.*?foo', '^.*?foo'],
    ['.*a|b', '.*a|b'],
    ['(.*a|b)', '(.*a|b)'],
    ['^.*foo', '^.*foo'],
    ['foo.*', 'foo.*']
  ])('%s is compiled as %s', (source, compiled) => {
    const [pattern] = compilePatterns([source]).patterns
    expect(pattern?.regex.source).toBe(compiled)
    expect(pattern?.source).toBe(source)
  })

  it('anchoring a leading .* gives the same verdicts', () => {
    const urls = ['https://a.example/foo', 'https://a.example/x/foo?y', 'https://a.example/bar', 'foo']
    for (const source of ['.*foo', '.+foo', '.*?fo+']) {
      const [pattern] = compilePatterns([source]).patterns
      expect(urls.map((u) => pattern?.regex.test(u))).toEqual(urls.map((u) => new RegExp(source).test(u)))
    }
  })

  it('warns about nested repeats (exponential backtracking) but still compiles them', () => {
    const sources = [
      '(a+)+$',
      '(\\w*/)*x',
      '((ab)*c)+',
      '(?:x|y+){2,}',
      '[(a+)]+',
      '(a{2})+',
      '\\(a+\\)+',
      '(a|b)*c+'
    ]
    const { patterns, warnings } = compilePatterns(sources, 'Exclude pattern')
    expect(patterns).toHaveLength(sources.length)
    expect(warnings.map((w) => w.source)).toEqual(['(a+)+$', '(\\w*/)*x', '((ab)*c)+', '(?:x|y+){2,}'])
    expect(warnings[0]?.message).toBe(
      'Exclude pattern "(a+)+$" repeats a group that itself repeats, like (a+)+: it can take minutes on some URLs; rewrite it without the outer repeat.'
    )
  })

  it('createScope refuses invalid patterns and seeds, listing each problem', () => {
    let thrown: unknown
    try {
      createScope({
        mode: 'host',
        seeds: ['mailto:a@b.c', 'https://ok.example/'],
        include: ['('],
        exclude: ['*']
      })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ScopeConfigError)
    expect((thrown as ScopeConfigError).problems).toEqual([
      'Include pattern "(" is not a valid regular expression: Unterminated group.',
      'Exclude pattern "*" is not a valid regular expression: Nothing to repeat.',
      'Seed "mailto:a@b.c" is not an http(s) URL.'
    ])
  })

  it('host and site scopes need a seed', () => {
    expect(() => createScope({ mode: 'site', seeds: [], include: [], exclude: [] })).toThrow(
      'Scope "site" needs at least one seed URL.'
    )
  })
})

describe('scope: length cap in front of the patterns', () => {
  it('refuses a URL over the cap without running the patterns', () => {
    const s = scope({ include: ['x'], maxUrlLength: 100 })
    const long = `https://www.example.com/${'x'.repeat(100)}`
    expect(s.check(long)).toEqual({
      inScope: false,
      code: 'URL_TOO_LONG',
      reason: `URL is ${long.length} characters, over the scope limit of 100`
    })
    expect(verdict(s, `https://www.example.com/${'x'.repeat(60)}`)).toBe('in')
  })

  it('the default cap is 2,048 characters', () => {
    const s = scope({})
    const at = (n: number) => `https://www.example.com/${'x'.repeat(n - 'https://www.example.com/'.length)}`
    expect(verdict(s, at(2_048))).toBe('in')
    expect(verdict(s, at(2_049))).toBe('URL_TOO_LONG')
  })

  it('a leading .* costs no extra degree: 2,000 near-misses of .*a.*b$ stay fast', () => {
    // Unanchored, `.*a.*b$` tries every start position: ~n³/6 steps, about 9 s for one URL of
    // 2,000 `a`s. Compiled as `^.*a.*b$` it gives the same verdicts at ~n² each.
    const s = scope({ mode: 'any', seeds: [], exclude: ['.*a.*b$'] })
    const near = `https://www.example.com/?${'a'.repeat(2_000)}`
    const started = performance.now()
    for (let i = 0; i < 5; i++) expect(verdict(s, near)).toBe('in')
    expect(verdict(s, `${near}b`)).toBe('EXCLUDED')
    expect(performance.now() - started).toBeLessThan(2_000)
  })
})
