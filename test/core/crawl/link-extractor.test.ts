import { describe, expect, it } from 'vitest'
import {
  extractLinks,
  LinkExtractor,
  type ExtractedLinks
} from '../../../electron/core/crawl/link-extractor.ts'
import { NormalizeMemo } from '../../../electron/core/crawl/normalize-url.ts'

const PAGE = 'https://example.com/blog/post.html'
const urls = (r: ExtractedLinks) => r.links.map((l) => l.url)

/** A blog page as a CMS might render it: head links, nav, article, footer, a script with fake tags. */
const BLOG = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>A post &amp; more</title>
  <link rel="stylesheet" href="/assets/site.css">
  <link rel="alternate stylesheet" href="/assets/contrast.css" title="High contrast">
  <link rel="alternate" hreflang="de" href="https://example.com/de/blog/post.html">
  <link rel="alternate" type="application/rss+xml" href="/feed.xml">
  <link rel="next" href="post-2.html">
  <link rel="prev" href="post-0.html">
  <link rel="icon" href="/favicon.ico">
  <link rel="canonical" href="https://example.com/blog/post.html">
  <script>document.write('<a href="/from-script">x</a>')</script>
  <style>a[href="/from-style"] { color: red }</style>
</head>
<body>
  <nav class="top">
    <a href="/">Home</a>
    <a href="/blog/">Blog</a>
    <a href="../about">About</a>
    <a href="#main" class="skip">Skip to content</a>
  </nav>
  <main id="main">
    <article>
      <p>Read the <a href="part-two.html#intro">second part</a> or
      <a href="https://other.example.org/ref?a=1&amp;b=2" rel="external nofollow noopener">a reference</a>.</p>
      <p><a href="mailto:editor@example.com">Write to us</a>, <a href="tel:+1555">call</a>,
      <a href="javascript:void(0)" onclick="share()">share</a>.</p>
      <img src="/img/photo.jpg" alt="A photo">
      <map name="m"><area shape="rect" coords="0,0,10,10" href="/map/north" alt="North"></map>
      <iframe src="/embed/video"></iframe>
      <!-- <a href="/commented-out">old</a> -->
    </article>
  </main>
  <footer><a href="/">Home</a> · <a href="/privacy" rel="nofollow">Privacy</a></footer>
</body>
</html>`

describe('LinkExtractor on a realistic page', () => {
  const result = extractLinks(BLOG, PAGE)

  it('finds a, area and page-like link elements, resolved and normalised, in document order', () => {
    expect(urls(result)).toEqual([
      'https://example.com/de/blog/post.html',
      'https://example.com/feed.xml',
      'https://example.com/blog/post-2.html',
      'https://example.com/blog/post-0.html',
      'https://example.com/',
      'https://example.com/blog/',
      'https://example.com/about',
      'https://example.com/blog/part-two.html',
      'https://other.example.org/ref?a=1&b=2',
      'https://example.com/map/north',
      'https://example.com/privacy'
    ])
  })

  it('skips stylesheets, icons, canonical, script and style text, comments, images and frames', () => {
    const all = urls(result).join(' ')
    for (const absent of [
      '.css',
      'favicon',
      'from-script',
      'from-style',
      'commented-out',
      'photo.jpg',
      'embed'
    ]) {
      expect(all).not.toContain(absent)
    }
  })

  it('records rel=nofollow per link, and counts what it ignored', () => {
    expect(result.links.filter((l) => l.nofollow).map((l) => l.url)).toEqual([
      'https://other.example.org/ref?a=1&b=2',
      'https://example.com/privacy'
    ])
    // #main, mailto:, tel:, javascript:
    expect(result.ignored).toBe(4)
    expect(result.dropped).toBe(0)
    expect(result.baseHref).toBeNull()
    expect(result.metaRobots).toEqual({ noindex: false, nofollow: false })
  })

  it('includes iframe and frame sources when asked', () => {
    const withFrames = extractLinks(`${BLOG}<frameset><frame src="/frame/a"></frameset>`, PAGE, {
      includeFrames: true
    })
    expect(urls(withFrames)).toContain('https://example.com/embed/video')
    expect(urls(withFrames)).toContain('https://example.com/frame/a')
  })

  it('gives the same result whatever the chunk boundaries', () => {
    for (const size of [1, 7, 64, 1_000]) {
      const extractor = new LinkExtractor(PAGE)
      for (let i = 0; i < BLOG.length; i += size) extractor.write(BLOG.slice(i, i + size))
      expect(extractor.end()).toEqual(result)
    }
  })
})

describe('<base href>', () => {
  it.each([
    // [markup, expected links, expected baseHref]
    [
      '<base href="https://cdn.example.net/x/"><a href="a">',
      ['https://cdn.example.net/x/a'],
      'https://cdn.example.net/x/'
    ],
    ['<base href="/root/"><a href="a">', ['https://example.com/root/a'], 'https://example.com/root/'],
    ['<base href="../"><a href="a">', ['https://example.com/a'], 'https://example.com/'],
    ['<base href="sub/"><a href="../a">', ['https://example.com/blog/a'], 'https://example.com/blog/sub/'],
    ['<a href="a"><base href="/late/">', ['https://example.com/late/a'], 'https://example.com/late/'],
    [
      '<base target="_blank"><base href="/second/"><a href="a">',
      ['https://example.com/second/a'],
      'https://example.com/second/'
    ],
    [
      '<base href="/first/"><base href="/second/"><a href="a">',
      ['https://example.com/first/a'],
      'https://example.com/first/'
    ],
    ['<BASE HREF="/UP/"><A HREF="a">', ['https://example.com/UP/a'], 'https://example.com/UP/'],
    [
      '<base href="  /spaced/ "><a href="a">',
      ['https://example.com/spaced/a'],
      'https://example.com/spaced/'
    ],
    ['<base href="http://[bad"><a href="a">', ['https://example.com/blog/a'], null],
    ['<base href=""><a href="a">', ['https://example.com/blog/a'], 'https://example.com/blog/post.html'],
    ['<base href="/b/"><a href="#x"><a href="">', [], 'https://example.com/b/']
  ])('%s', (markup, expected, baseHref) => {
    const result = extractLinks(markup, PAGE)
    expect(urls(result)).toEqual(expected)
    expect(result.baseHref).toBe(baseHref)
  })
})

describe('href forms', () => {
  it.each([
    ['<a href="/a?x=1&amp;y=2">', 'https://example.com/a?x=1&y=2'],
    ['<a href="/a?x=1&y=2">', 'https://example.com/a?x=1&y=2'],
    ['<a href="/caf&eacute;">', 'https://example.com/caf%C3%A9'],
    ['<a href="/&#x41;&#66;">', 'https://example.com/AB'],
    ['<a href="\n   /spaced  \t">', 'https://example.com/spaced'],
    ["<a href='/single'>", 'https://example.com/single'],
    ['<a href=/unquoted>', 'https://example.com/unquoted'],
    ['<A HREF="/UPPER">', 'https://example.com/UPPER'],
    ['<a class=x HREF="/mixed" Rel="NoFollow">', 'https://example.com/mixed'],
    ['<a href="/first" href="/second">', 'https://example.com/first'],
    ['<a href="//cdn.example.net/x">', 'https://cdn.example.net/x'],
    ['<a href="HTTP://EXAMPLE.COM:443/p">', 'http://example.com:443/p'],
    ['<a href="https://EXAMPLE.com:443/p#frag">', 'https://example.com/p'],
    ['<a href="https://münchen.de/">', 'https://xn--mnchen-3ya.de/'],
    ['<a href="http://[::1]:8080/x">', 'http://[::1]:8080/x']
  ])('%s → %s', (markup, expected) => {
    expect(urls(extractLinks(markup, PAGE))).toEqual([expected])
  })

  it.each([
    ['<a href="#top">'],
    ['<a href="">'],
    ['<a href="   ">'],
    ['<a href="mailto:a@b.c">'],
    ['<a href="javascript:alert(1)">'],
    ['<a href="data:text/html,x">'],
    ['<a href="ftp://x/y">'],
    ['<a href="http://exa mple.com/">'],
    ['<a name="anchor">'],
    ['<a>no href</a>']
  ])('%s gives no link', (markup) => {
    expect(extractLinks(markup, PAGE).links).toEqual([])
  })
})

describe('malformed markup', () => {
  it.each([
    ['unclosed tags', '<div><p><a href="/one">one<a href="/two">two', ['/one', '/two']],
    ['a tag cut at the end', '<a href="/ok">ok</a><a href="/cut', ['/ok']],
    ['stray closing tags', '</div></a><a href="/x"></span>', ['/x']],
    ['attributes without spaces', '<a href="/a"class="b"rel="nofollow">', ['/a']],
    ['a < in text', '<p>1 < 2 and <a href="/lt">3</a></p>', ['/lt']],
    ['an unterminated comment swallows the rest', '<a href="/before"><!-- <a href="/inside">', ['/before']],
    ['a tag inside an attribute value', '<a title="<a href=/fake>" href="/real">', ['/real']],
    ['svg anchors', '<svg><a href="/svg-link"><text>x</text></a></svg>', ['/svg-link']],
    [
      'textarea text is not markup',
      '<textarea><a href="/in-textarea"></textarea><a href="/after">',
      ['/after']
    ],
    ['nul and control bytes', '<a href="/a\u0000b">', ['/a%00b']]
  ])('%s', (_name, markup, expected) => {
    expect(urls(extractLinks(markup, PAGE))).toEqual(expected.map((p) => `https://example.com${p}`))
  })
})

describe('nofollow and meta robots', () => {
  it('meta robots nofollow makes every link nofollow, even links before it', () => {
    const result = extractLinks(
      '<a href="/before"><meta name="robots" content="noindex, nofollow"><a href="/after">',
      PAGE
    )
    expect(result.links.map((l) => l.nofollow)).toEqual([true, true])
    expect(result.metaRobots).toEqual({ noindex: true, nofollow: true })
  })

  it.each([
    ['<meta name="robots" content="none">', { noindex: true, nofollow: true }],
    ['<META NAME="ROBOTS" CONTENT="NOINDEX">', { noindex: true, nofollow: false }],
    ['<meta name=" robots " content="index,follow">', { noindex: false, nofollow: false }],
    ['<meta name="googlebot" content="nofollow">', { noindex: false, nofollow: false }],
    ['<meta name="robots" content="max-snippet:-1, nofollow">', { noindex: false, nofollow: true }],
    ['<meta name="description" content="nofollow noindex">', { noindex: false, nofollow: false }],
    [
      '<meta name="robots" content="noindex"><meta name="robots" content="nofollow">',
      { noindex: true, nofollow: true }
    ]
  ])('%s → %j', (markup, robots) => {
    expect(extractLinks(`${markup}<a href="/x">`, PAGE).metaRobots).toEqual(robots)
  })

  it('a URL linked both ways is followed; nofollow only when every link to it says so', () => {
    const result = extractLinks(
      '<a href="/both" rel="nofollow"><a href="/both"><a href="/only" rel="nofollow"><a href="/only#x" rel="nofollow">',
      PAGE
    )
    expect(result.links).toEqual([
      { url: 'https://example.com/both', nofollow: false },
      { url: 'https://example.com/only', nofollow: true }
    ])
  })

  it('rel tokens are split on any ASCII whitespace', () => {
    const result = extractLinks('<a href="/a" rel="noopener\tNOFOLLOW\nnoreferrer">', PAGE)
    expect(result.links).toEqual([{ url: 'https://example.com/a', nofollow: true }])
  })
})

describe('limits and options', () => {
  it('keeps at most maxLinks distinct hrefs and counts the rest', () => {
    const markup = Array.from({ length: 120 }, (_, i) => `<a href="/p${i % 100}">`).join('')
    const result = extractLinks(markup, PAGE, { maxLinks: 30 })
    expect(result.links).toHaveLength(30)
    expect(result.links.at(-1)?.url).toBe('https://example.com/p29')
    // 70 distinct hrefs over the cap; the 20 repeats of /p0…/p19 were kept already.
    expect(result.dropped).toBe(70)
  })

  it('spellings that normalise to one URL are one link', () => {
    const result = extractLinks(
      '<a href="/a"><a href="/a#x"><a href="../a"><a href="HTTPS://EXAMPLE.COM/a">',
      PAGE
    )
    expect(urls(result)).toEqual(['https://example.com/a'])
  })

  it('strips the chosen query parameters', () => {
    const result = extractLinks('<a href="/a?utm_source=x&id=1"><a href="/a?id=1">', PAGE, {
      stripQueryParams: [/^utm_/]
    })
    expect(urls(result)).toEqual(['https://example.com/a?id=1'])
  })

  it("a run memo shared by pages changes no page's links, <base href> included", () => {
    const strip = [/^utm_/]
    const memo = new NormalizeMemo({ stripQueryParams: strip })
    const pages: [string, string][] = [
      [PAGE, BLOG],
      ['https://example.com/docs/a/b.html', BLOG],
      ['https://example.com/x/', `<base href="/elsewhere/deep/">${BLOG}<a href="/p?utm_source=z&k=1">`],
      ['https://other.example/', BLOG]
    ]
    for (let round = 0; round < 2; round++) {
      for (const [url, html] of pages) {
        expect(extractLinks(html, url, { stripQueryParams: strip, memo })).toEqual(
          extractLinks(html, url, { stripQueryParams: strip })
        )
      }
    }
  })

  it('refuses a memo built for other options', () => {
    const memo = new NormalizeMemo({ stripQueryParams: [/^utm_/] })
    expect(() => new LinkExtractor(PAGE, { memo })).toThrow('memo was built for other normalisation options')
  })

  it('refuses writes after end', () => {
    const extractor = new LinkExtractor(PAGE)
    extractor.end()
    expect(() => {
      extractor.write('<a href="/x">')
    }).toThrow('LinkExtractor.write after end')
    expect(() => extractor.end()).toThrow('LinkExtractor.end called twice')
  })

  it('reads a 20 MB body fed in 60 KB chunks, keeping only the distinct hrefs', () => {
    const extractor = new LinkExtractor(PAGE)
    const filler = `<p>${'lorem ipsum '.repeat(5_000)}</p>`
    let written = 0
    let i = 0
    while (written < 20 * 1024 * 1024) {
      extractor.write(`${filler}<a href="/n${i++ % 50}">`)
      written += filler.length
    }
    const result = extractor.end()
    expect(result.links).toHaveLength(50)
  })
})
