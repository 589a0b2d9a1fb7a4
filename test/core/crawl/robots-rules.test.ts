import { describe, expect, it } from 'vitest'
import {
  decodeRobots,
  productToken,
  robotsFailure,
  robotsOrigin,
  robotsTxtUrl,
  RobotsRules,
  unreachableRetryDelayMs
} from '../../../electron/core/crawl/robots.ts'

const UA = 'Crawlboard/0.1 (+https://crawlboard.dev/bot)'
const ORIGIN = 'https://shop.example'

/** "allowed" or the blocking line, for compact tables. */
function verdict(text: string, path: string, userAgent = UA): string {
  const result = new RobotsRules(ORIGIN, text).check(`${ORIGIN}${path}`, userAgent)
  return result.allowed ? 'allowed' : `${result.line}: ${result.rule}`
}

describe('robotsTxtUrl and robotsOrigin', () => {
  it.each([
    ['https://Shop.Example/a/b?c=1#d', 'https://shop.example/robots.txt'],
    ['http://shop.example:80/x', 'http://shop.example/robots.txt'],
    ['https://shop.example:443/x', 'https://shop.example/robots.txt'],
    ['https://shop.example:8443/x', 'https://shop.example:8443/robots.txt'],
    ['http://127.0.0.1:3000/deep/page.html', 'http://127.0.0.1:3000/robots.txt'],
    ['http://[::1]:8080/', 'http://[::1]:8080/robots.txt'],
    ['https://bücher.example/', 'https://xn--bcher-kva.example/robots.txt']
  ])('%s → %s', (url, expected) => {
    expect(robotsTxtUrl(url)).toBe(expected)
  })

  it('http and https of one host are different origins (RFC 9309 §2.1)', () => {
    expect(robotsOrigin('http://a.example/x')).not.toBe(robotsOrigin('https://a.example/x'))
  })

  it.each(['ftp://a.example/x', 'mailto:a@b.example', 'not a url'])('refuses %s', (url) => {
    expect(() => robotsTxtUrl(url)).toThrow(TypeError)
  })
})

describe('productToken (RFC 9309 §2.2.1)', () => {
  it.each([
    [UA, 'crawlboard'],
    ['Crawlboard', 'crawlboard'],
    ['  CrawlBoard-News/2.0', 'crawlboard-news'],
    ['my_bot (compatible)', 'my_bot'],
    ['/1.0', '*']
  ])('%j → %j', (userAgent, expected) => {
    expect(productToken(userAgent)).toBe(expected)
  })
})

describe('matching', () => {
  const wildcards = [
    'User-agent: *',
    'Disallow: /*.pdf$',
    'Disallow: /search*q=',
    'Disallow: /tmp/',
    'Allow: /tmp/$',
    'Disallow: /exact$'
  ].join('\n')

  it.each([
    ['/docs/report.pdf', '2: Disallow: /*.pdf$'],
    ['/docs/report.pdf?download=1', 'allowed'],
    ['/docs/report.pdfx', 'allowed'],
    ['/search?q=shoes', '3: Disallow: /search*q='],
    ['/search/advanced?lang=en&q=1', '3: Disallow: /search*q='],
    ['/search?lang=en', 'allowed'],
    ['/tmp/', 'allowed'],
    ['/tmp/file', '4: Disallow: /tmp/'],
    ['/exact', '6: Disallow: /exact$'],
    ['/exact/more', 'allowed'],
    ['/robots.txt', 'allowed']
  ])('wildcards and $: %s → %s', (path, expected) => {
    expect(verdict(wildcards, path)).toBe(expected)
  })

  const precedence = [
    'User-agent: *',
    'Disallow: /shop',
    'Allow: /shop/public',
    'Disallow: /shop/public/secret',
    'Allow: /page',
    'Disallow: /page',
    'Disallow: /p*ge'
  ].join('\n')

  it.each([
    ['/shop/cart', '2: Disallow: /shop'],
    ['/shop/public/list', 'allowed'],
    ['/shop/public/secret/x', '4: Disallow: /shop/public/secret'],
    // Equal length: Allow wins the tie (RFC 9309 §2.2.2), whatever the order in the file.
    ['/page', 'allowed'],
    ['/pxge', '7: Disallow: /p*ge']
  ])('longest match wins, Allow wins ties: %s → %s', (path, expected) => {
    expect(verdict(precedence, path)).toBe(expected)
  })

  const groups = [
    'User-agent: *',
    'Disallow: /',
    '',
    'User-agent: OtherBot',
    'User-agent: CRAWLBOARD',
    'Disallow: /private/',
    '',
    'User-agent: googlebot',
    'Disallow: /g/',
    '',
    'user-agent: crawlboard',
    'Disallow: /drafts/'
  ].join('\n')

  it.each([
    [UA, '/public', 'allowed'],
    [UA, '/private/a', '6: Disallow: /private/'],
    // The second crawlboard group is merged with the first (RFC 9309 §2.2.1).
    [UA, '/drafts/a', '12: Disallow: /drafts/'],
    [UA, '/g/a', 'allowed'],
    ['otherbot/3', '/private/a', '6: Disallow: /private/'],
    ['otherbot/3', '/drafts/a', 'allowed'],
    ['Unlisted/1.0', '/public', '2: Disallow: /']
  ])('group selection: %s %s → %s', (userAgent, path, expected) => {
    expect(verdict(groups, path, userAgent)).toBe(expected)
  })

  it('counts groups for the hosts view', () => {
    expect(new RobotsRules(ORIGIN, groups).groups).toBe(4)
    expect(new RobotsRules(ORIGIN, '').groups).toBe(0)
  })

  it('an empty group for our agent allows everything, instead of falling back to *', () => {
    const text = 'User-agent: *\nDisallow: /\n\nUser-agent: crawlboard\nDisallow:\n'
    expect(verdict(text, '/anything')).toBe('allowed')
    expect(verdict(text, '/anything', 'SomeoneElse')).toBe('2: Disallow: /')
  })

  it('matches percent-encoded and non-ASCII paths alike', () => {
    const text = 'User-agent: *\nDisallow: /café\nDisallow: /a%3cb\n'
    expect(verdict(text, '/caf%C3%A9/menu')).toBe('2: Disallow: /café')
    expect(verdict(text, '/a%3Cb')).toBe('3: Disallow: /a%3cb')
  })

  it('refuses a URL of another origin', () => {
    expect(() => new RobotsRules(ORIGIN, '').check('https://other.example/x', UA)).toThrow(/not on/)
    expect(() => new RobotsRules(ORIGIN, '').check(new URL('https://other.example/x'), UA)).toThrow(/not on/)
  })

  it('judges a URL object as it judges its text', () => {
    const rules = new RobotsRules(ORIGIN, 'User-agent: *\nAllow: /private/ok\nDisallow: /private\n')
    for (const path of ['/', '/private', '/private/ok', '/private/x?y=1', '/robots.txt', '/caf%C3%A9']) {
      const url = `${ORIGIN}${path}`
      expect(rules.check(new URL(url), UA), path).toEqual(rules.check(url, UA))
    }
    expect(rules.check(new URL(`${ORIGIN}/private/x`), UA).allowed).toBe(false)
  })
})

describe('file quirks', () => {
  it('BOM and CRLF line ends', () => {
    const text = '\uFEFFUser-agent: crawlboard\r\nDisallow: /a\r\n\r\nUser-agent: *\r\nDisallow: /\r\n'
    expect(verdict(text, '/a/b')).toBe('2: Disallow: /a')
    expect(verdict(text, '/b')).toBe('allowed')
    expect(verdict(text, '/b', 'Other')).toBe('5: Disallow: /')
  })

  it('old Mac CR line ends', () => {
    expect(verdict('User-agent: *\rDisallow: /x\r', '/x')).toBe('2: Disallow: /x')
  })

  it('junk lines, comments and unknown keys are skipped; the rules around them count', () => {
    const bytes = Buffer.concat([
      Buffer.from('User-agent: *   # everyone\n'),
      Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x0a]),
      Buffer.from('this line has no colon\nNoindex: /x\nDisallow: /admin # staff only\n'),
      Buffer.from([0xc3, 0x28, 0x3a, 0x2f, 0x0a]),
      Buffer.from('Allow: /admin/help\n')
    ])
    const text = decodeRobots(bytes, false)
    expect(verdict(text, '/admin/users')).toBe('5: Disallow: /admin # staff only')
    expect(verdict(text, '/admin/help')).toBe('allowed')
    expect(verdict(text, '/public')).toBe('allowed')
  })

  it('decodeRobots drops the BOM, and the partial last line of a cut file', () => {
    const bytes = Buffer.from('\uFEFFUser-agent: *\nDisallow: /a\nAllow: /catalog/public')
    expect(decodeRobots(bytes, false)).toBe('User-agent: *\nDisallow: /a\nAllow: /catalog/public')
    expect(decodeRobots(bytes, true)).toBe('User-agent: *\nDisallow: /a\n')
    expect(decodeRobots(Buffer.from('Disallow: /x'), true)).toBe('')
  })
})

describe('Crawl-delay and Sitemap', () => {
  const text = [
    'Sitemap: https://shop.example/sitemap.xml',
    'User-agent: *',
    'Crawl-delay: 10',
    'Disallow: /cgi-bin/',
    '',
    'User-agent: crawlboard',
    'Crawl-delay: 2.5',
    '',
    'User-agent: slowbot',
    'Crawl-delay: soon',
    '',
    'User-agent: negative',
    'Crawl-delay: -3',
    'Sitemap: /relative-sitemap.xml',
    'Sitemap: https://cdn.example/sitemap-index.xml.gz',
    'Sitemap: https://shop.example/sitemap.xml',
    'Sitemap: ftp://shop.example/sitemap.xml'
  ].join('\n')
  const rules = new RobotsRules(ORIGIN, text)

  it.each([
    [UA, 2_500],
    ['Unlisted', 10_000],
    ['slowbot', null],
    ['negative', null]
  ])('Crawl-delay for %s: %j ms', (userAgent, expected) => {
    expect(rules.crawlDelayMs(userAgent)).toBe(expected)
  })

  it('lists absolute http(s) sitemaps once, whichever group they sit in', () => {
    expect(rules.sitemaps()).toEqual([
      'https://shop.example/sitemap.xml',
      'https://shop.example/relative-sitemap.xml',
      'https://cdn.example/sitemap-index.xml.gz'
    ])
  })
})

describe('robotsFailure', () => {
  it('turns a blocking verdict into a ROBOTS_DISALLOWED failure naming the line', () => {
    const blocked = new RobotsRules(ORIGIN, 'User-agent: *\nDisallow: /private\n').check(
      `${ORIGIN}/private/x`,
      UA
    )
    expect(blocked.allowed).toBe(false)
    if (blocked.allowed) return
    expect(robotsFailure(blocked)).toEqual({
      code: 'ROBOTS_DISALLOWED',
      phase: 'policy',
      retryable: false,
      message:
        'robots.txt of https://shop.example disallows this URL for crawlboard: "Disallow: /private" (line 2).'
    })
  })
})

describe('unreachableRetryDelayMs', () => {
  it.each([
    [1, 60_000],
    [2, 120_000],
    [3, 240_000],
    [6, 1_920_000],
    [7, 3_600_000],
    [50, 3_600_000]
  ])('after %i failures: %i ms', (failures, expected) => {
    expect(unreachableRetryDelayMs(failures, 60_000, 3_600_000)).toBe(expected)
  })
})
