import { describe, expect, it } from 'vitest'
import {
  checkUrl,
  formatInvalidLine,
  MAX_URL_LENGTH,
  mergeUrlLists,
  parseUrlList,
  type ParsedUrlList
} from '../../shared/url-list.ts'

/** The parsed list as compact lines: "line N: reason" for invalid ones. */
function summarise(p: ParsedUrlList): {
  urls: string[]
  invalid: string[]
  duplicates: number
  skipped: number
} {
  return {
    urls: p.urls,
    invalid: p.invalid.map(formatInvalidLine),
    duplicates: p.duplicates,
    skipped: p.skipped
  }
}

describe('parseUrlList: one rule per case', () => {
  it.each([
    { rule: 'empty input', text: '', urls: [], invalid: [], duplicates: 0, skipped: 0 },
    {
      rule: 'one URL per line, normalised',
      text: 'HTTP://Example.COM\nhttps://example.org:443/a/../b?q=1#frag',
      urls: ['http://example.com/', 'https://example.org/b?q=1#frag'],
      invalid: [],
      duplicates: 0,
      skipped: 0
    },
    {
      rule: 'blank and comment lines skipped, line numbers still count them',
      text: '# my list\n\n   \nhttp://a.test/\n  # indented comment\nftp://b.test/',
      urls: ['http://a.test/'],
      invalid: ['line 6: unsupported scheme "ftp:"'],
      duplicates: 0,
      skipped: 4
    },
    {
      rule: 'trailing comment after whitespace stripped; a touching # is a fragment',
      text: 'http://a.test/x # the home page\nhttp://a.test/y#top\nhttp://a.test/z\t#tabbed',
      urls: ['http://a.test/x', 'http://a.test/y#top', 'http://a.test/z'],
      invalid: [],
      duplicates: 0,
      skipped: 0
    },
    {
      rule: 'surrounding whitespace trimmed',
      text: '   http://a.test/   \n\t\thttp://b.test/\t',
      urls: ['http://a.test/', 'http://b.test/'],
      invalid: [],
      duplicates: 0,
      skipped: 0
    },
    {
      rule: 'BOM at the start ignored, CRLF ok',
      text: '\uFEFFhttp://a.test/\r\nhttp://b.test/\r\n\r\n',
      urls: ['http://a.test/', 'http://b.test/'],
      invalid: [],
      duplicates: 0,
      skipped: 1
    },
    {
      rule: 'duplicates after normalising collapsed and counted',
      text: 'http://a.test\nHTTP://A.TEST/\nhttp://a.test:80/\nhttp://b.test/\nhttp://a.test/',
      urls: ['http://a.test/', 'http://b.test/'],
      invalid: [],
      duplicates: 3,
      skipped: 0
    },
    {
      rule: 'only http and https',
      text: 'ftp://a.test/\nmailto:me@a.test\njavascript:alert(1)\nfile:///etc/passwd\nhttps://ok.test/',
      urls: ['https://ok.test/'],
      invalid: [
        'line 1: unsupported scheme "ftp:"',
        'line 2: unsupported scheme "mailto:"',
        'line 3: unsupported scheme "javascript:"',
        'line 4: unsupported scheme "file:"'
      ],
      duplicates: 0,
      skipped: 0
    },
    {
      rule: 'not a URL',
      text: 'http://ok.test/\n\nhtp//x\nhttp://exa mple.com/\nhttp://[::1/',
      urls: ['http://ok.test/'],
      invalid: [
        'line 3: not a URL: "htp//x"',
        'line 4: not a URL: "http://exa mple.com/"',
        'line 5: not a URL: "http://[::1/"'
      ],
      duplicates: 0,
      skipped: 1
    },
    {
      rule: 'missing host',
      text: 'http://\nhttps:///\nhttp://:8080/x\nhttp://user@/\nhttp:',
      urls: [],
      invalid: [
        'line 1: missing host',
        'line 2: missing host',
        'line 3: missing host',
        'line 4: missing host',
        'line 5: missing host'
      ],
      duplicates: 0,
      skipped: 0
    },
    {
      rule: 'missing scheme said plainly',
      text: 'example.com/page\nwww.example.com:8080\nlocalhost:3000/x',
      urls: [],
      invalid: [
        'line 1: missing scheme (http:// or https://)',
        'line 2: missing scheme (http:// or https://)',
        'line 3: missing scheme (http:// or https://)'
      ],
      duplicates: 0,
      skipped: 0
    },
    {
      rule: 'CSV: the first field that looks like a URL',
      text: 'id,url,title\n1,https://a.test/,Home\n2,"https://b.test/a,b",Quoted with comma\n3,,\n4,example.com,x',
      urls: ['https://a.test/', 'https://b.test/a,b'],
      invalid: ['line 4: not a URL: "3"', 'line 5: not a URL: "4"'],
      duplicates: 0,
      skipped: 1
    },
    {
      rule: 'TSV: split on tabs only',
      text: 'https://a.test/x,y\tstatus 200\nname\thttps://b.test/',
      urls: ['https://a.test/x,y', 'https://b.test/'],
      invalid: [],
      duplicates: 0,
      skipped: 0
    },
    {
      rule: 'CSV: quoted fields with "" escapes and spaces around',
      text: '"say ""hi""" , "https://a.test/q?x=""y"""',
      urls: ['https://a.test/q?x=%22y%22'],
      invalid: [],
      duplicates: 0,
      skipped: 0
    },
    {
      rule: 'CSV: a line of empty fields has no URL',
      text: 'http://a.test/\n,,,',
      urls: ['http://a.test/'],
      invalid: ['line 2: no URL in any field'],
      duplicates: 0,
      skipped: 0
    },
    {
      rule: 'header row: first content line with no . : / that is a column name or has fields',
      text: 'URL\nhttp://a.test/\nurl',
      urls: ['http://a.test/'],
      invalid: ['line 3: not a URL: "url"'],
      duplicates: 0,
      skipped: 1
    },
    {
      rule: 'a lone first word that is not a column name is reported, not skipped',
      text: 'hello\nhttp://a.test/',
      urls: ['http://a.test/'],
      invalid: ['line 1: not a URL: "hello"'],
      duplicates: 0,
      skipped: 0
    },
    {
      rule: 'URL longer than the limit',
      text: `http://a.test/${'x'.repeat(MAX_URL_LENGTH)}\nhttp://b.test/${'y'.repeat(MAX_URL_LENGTH - 20)}`,
      urls: [`http://b.test/${'y'.repeat(MAX_URL_LENGTH - 20)}`],
      invalid: [`line 1: URL longer than ${MAX_URL_LENGTH} characters`],
      duplicates: 0,
      skipped: 0
    },
    {
      rule: 'URL longer than the limit once normalised (percent-encoding grows it)',
      text: `http://a.test/${' '.repeat(MAX_URL_LENGTH - 20)}x`,
      urls: [],
      invalid: [`line 1: URL longer than ${MAX_URL_LENGTH} characters`],
      duplicates: 0,
      skipped: 0
    }
  ])('$rule', ({ text, urls, invalid, duplicates, skipped }) => {
    expect(summarise(parseUrlList(text))).toEqual({ urls, invalid, duplicates, skipped })
  })
})

describe('parseUrlList: maxUrls', () => {
  it.each([
    {
      name: 'the line past the limit is reported once, counting the rest',
      text: 'http://a.test/\nhttp://b.test/\nhttp://a.test/\nhttp://c.test/\n\nhttp://d.test/\n',
      maxUrls: 2,
      urls: ['http://a.test/', 'http://b.test/'],
      invalid: ['line 4: URL limit of 2 reached: this line and the 2 after it were not read'],
      duplicates: 1
    },
    {
      name: 'exactly at the limit: nothing reported',
      text: 'http://a.test/\nhttp://b.test/\nhttp://b.test/',
      maxUrls: 2,
      urls: ['http://a.test/', 'http://b.test/'],
      invalid: [],
      duplicates: 1
    },
    {
      name: 'invalid lines before the limit still reported',
      text: 'ftp://x.test/\nhttp://a.test/\nhttp://b.test/',
      maxUrls: 1,
      urls: ['http://a.test/'],
      invalid: [
        'line 1: unsupported scheme "ftp:"',
        'line 3: URL limit of 1 reached: this line and the 0 after it were not read'
      ],
      duplicates: 0
    }
  ])('$name', ({ text, maxUrls, urls, invalid, duplicates }) => {
    const p = summarise(parseUrlList(text, { maxUrls }))
    expect([p.urls, p.invalid, p.duplicates]).toEqual([urls, invalid, duplicates])
  })
})

describe('parseUrlList: invalid line details', () => {
  it('keeps the trimmed text and the 1-based line', () => {
    const p = parseUrlList('\n  gopher://x.test/  # old\n')
    expect(p.invalid).toEqual([
      { line: 2, text: 'gopher://x.test/  # old', reason: 'unsupported scheme "gopher:"' }
    ])
  })

  it('clips very long texts and quotes', () => {
    const long = 'x'.repeat(5_000)
    const [l] = parseUrlList(long).invalid
    expect(l!.text.length).toBeLessThanOrEqual(1_001)
    expect(l!.reason.length).toBeLessThan(260)
  })

  it('quotes safely', () => {
    expect(parseUrlList('a"b\\c').invalid[0]!.reason).toBe('not a URL: "a\\"b\\\\c"')
  })
})

describe('checkUrl and mergeUrlLists', () => {
  it.each([
    { input: 'https://EXAMPLE.com', expected: 'https://example.com/' },
    { input: '', expected: { reason: 'empty URL' } },
    { input: 'ws://a.test/', expected: { reason: 'unsupported scheme "ws:"' } }
  ])('checkUrl($input)', ({ input, expected }) => {
    expect(checkUrl(input)).toEqual(expected)
  })

  it('merges lists keeping first occurrences', () => {
    expect(mergeUrlLists(['http://a/', 'http://b/'], ['http://b/', 'http://c/'], [])).toEqual({
      urls: ['http://a/', 'http://b/', 'http://c/'],
      duplicates: 1
    })
  })
})

describe('parseUrlList at scale', () => {
  // Speed is measured by `npm run bench`, not asserted here: this checks a big list is accounted
  // for line by line (every line a URL, an invalid line, a duplicate or skipped).
  it('accounts for every line of a 200,000-line list', () => {
    const lines: string[] = []
    for (let i = 0; i < 200_000; i++) {
      if (i % 100 === 0) lines.push('# section')
      else if (i % 97 === 0) lines.push('not a url')
      else if (i % 10 === 0) lines.push(`https://host${i % 50}.example.com/page/${i - 1}`)
      else lines.push(`https://host${i % 50}.example.com/page/${i}?ref=list`)
    }
    const p = parseUrlList(lines.join('\r\n'))
    expect(p.urls.length + p.invalid.length + p.duplicates + p.skipped).toBe(200_000)
    expect(p.skipped).toBe(2_000)
    expect(p.invalid.every((l) => l.text === 'not a url')).toBe(true)
  })
})
