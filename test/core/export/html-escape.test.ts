import { describe, expect, it } from 'vitest'
import {
  escapeHtml,
  joinHtml,
  markup,
  SafeHtml,
  safeHttpHref
} from '../../../electron/core/export/html-escape.ts'

describe('escapeHtml', () => {
  it.each([
    ['plain text', 'plain text'],
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"><img src=x onerror=alert(1)>', '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'],
    ["it's & more", 'it&#39;s &amp; more'],
    ['&amp; stays literal', '&amp;amp; stays literal'],
    ['tab\tnew\nline\rcr', 'tab\tnew\nline\rcr'],
    ['nul\u0000bell\u0007esc\u001bdel\u007fc1\u0085', 'nul\uFFFDbell\uFFFDesc\uFFFDdel\uFFFDc1\uFFFD'],
    ['lone \uD800 high, lone \uDC00 low', 'lone \uFFFD high, lone \uFFFD low'],
    ['pair 😀 kept', 'pair 😀 kept'],
    ['ünïcödé — “quotes”', 'ünïcödé — “quotes”']
  ])('%j → %j', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected)
  })
})

describe('markup`…`', () => {
  it('escapes interpolated strings, in text and in quoted attributes', () => {
    const title = '<b onclick="x()">hi</b>'
    expect(markup`<p title="${title}">${title}</p>`.html).toBe(
      '<p title="&lt;b onclick=&quot;x()&quot;&gt;hi&lt;/b&gt;">&lt;b onclick=&quot;x()&quot;&gt;hi&lt;/b&gt;</p>'
    )
  })

  it('keeps SafeHtml, writes numbers, joins arrays, drops null/undefined/booleans', () => {
    const inner = markup`<i>${'<x>'}</i>`
    const out = markup`${inner}|${42}|${[markup`<a>`, '<b>', 1]}|${null}${undefined}${false}${true}|${0}`
    expect(out.html).toBe('<i>&lt;x&gt;</i>|42|<a>&lt;b&gt;1||0')
  })

  it('does not trust an object that only looks like SafeHtml', () => {
    const fake = { html: '<script>' } as unknown as string
    expect(markup`${fake}`.html).not.toContain('<script>')
  })

  it('joins fragments with an escaped separator', () => {
    expect(joinHtml([markup`<li>a</li>`, 'b<'], '<br>').html).toBe('<li>a</li>&lt;br&gt;b&lt;')
    expect(new SafeHtml('<hr>').toString()).toBe('<hr>')
  })
})

describe('safeHttpHref', () => {
  it.each([
    ['https://example.com/a?b=1&c=2', 'https://example.com/a?b=1&c=2'],
    ['http://example.com', 'http://example.com/'],
    ['HTTPS://EXAMPLE.com/X', 'https://example.com/X'],
    ['https://exämple.test/p', 'https://xn--exmple-cua.test/p'],
    ['javascript:alert(1)', null],
    ['JavaScript:alert(1)', null],
    ['  javascript:alert(1)', null],
    ['java\tscript:alert(1)', null],
    ['data:text/html,<script>alert(1)</script>', null],
    ['vbscript:msgbox', null],
    ['file:///etc/passwd', null],
    ['ftp://example.com/', null],
    ['/relative/path', null],
    ['not a url', null],
    ['', null]
  ])('%j → %j', (input, expected) => {
    expect(safeHttpHref(input)).toBe(expected)
  })
})
