import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import {
  charsetFromContentType,
  charsetFromMeta,
  collapseWhitespace,
  decodeHtml,
  extractTitle,
  isHtmlContentType,
  titleOf
} from '../../../electron/core/engine/title.ts'

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8')
const enc = (text: string, charset: string): Uint8Array => iconv.encode(text, charset)
const page = (title: string, head = ''): string =>
  `<!doctype html><html><head>${head}<title>${title}</title></head><body>x</body></html>`

describe('charset detection order: BOM > header > meta > UTF-8 > windows-1252', () => {
  it('a BOM beats the header and the meta', () => {
    const body = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      utf8(page('Grüße ✓', '<meta charset="koi8-r">'))
    ])
    expect(titleOf(body, 'text/html; charset=windows-1252')).toBe('Grüße ✓')
  })

  it('UTF-16 BOMs (both byte orders)', () => {
    const html = page('Привет 日本')
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(html, 'utf16le')])
    const be = Buffer.from(le)
    be.swap16()
    be[0] = 0xfe
    be[1] = 0xff
    expect(titleOf(le, 'text/html')).toBe('Привет 日本')
    expect(titleOf(be, 'text/html')).toBe('Привет 日本')
  })

  it('the Content-Type charset beats a <meta charset>', () => {
    const body = enc(page('Привет, мир', '<meta charset="windows-1251">'), 'koi8-r')
    expect(titleOf(body, 'text/html; charset=koi8-r')).toBe('Привет, мир')
  })

  it('a quoted header charset, any case', () => {
    expect(titleOf(enc(page('Zażółć'), 'iso-8859-2'), 'text/html; Charset="ISO-8859-2"')).toBe('Zażółć')
  })

  it('<meta charset> when the header has none', () => {
    expect(
      titleOf(enc(page('日本語のタイトル', '<meta charset="shift_jis">'), 'shift_jis'), 'text/html')
    ).toBe('日本語のタイトル')
  })

  it('<meta http-equiv="content-type" content="…; charset=…">', () => {
    const head = '<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">'
    expect(titleOf(enc(page('한국어 제목', head), 'euc-kr'), null)).toBe('한국어 제목')
  })

  it('an unknown header charset falls through to the meta', () => {
    expect(titleOf(enc(page('Съешь', '<meta charset="koi8-r">'), 'koi8-r'), 'text/html; charset=bogus')).toBe(
      'Съешь'
    )
  })

  it('a meta past the first 1024 bytes is not seen', () => {
    const late = `<!doctype html><html><head><!-- ${'x'.repeat(1100)} --><meta charset="koi8-r"><title>ё</title></head></html>`
    // Without a usable declaration the UTF-8 bytes decode as UTF-8.
    expect(titleOf(utf8(late), 'text/html')).toBe('ё')
    expect(charsetFromMeta(utf8(late))).toBeNull()
  })

  it('no declaration: valid UTF-8 is UTF-8', () => {
    expect(titleOf(utf8(page('Crème brûlée 🌍')), 'text/html')).toBe('Crème brûlée 🌍')
  })

  it('no declaration and invalid UTF-8: windows-1252', () => {
    expect(titleOf(enc(page('Crème brûlée — 5 €'), 'windows-1252'), null)).toBe('Crème brûlée — 5 €')
  })

  it('iso-8859-1 is decoded as windows-1252, as browsers do', () => {
    const bytes = Buffer.from(page('\u0080 x'), 'latin1') // byte 0x80
    expect(titleOf(bytes, 'text/html; charset=iso-8859-1')).toBe('€ x')
  })

  it('charsetFromContentType / charsetFromMeta read the labels', () => {
    expect(charsetFromContentType('text/html; charset=UTF-8')).toBe('UTF-8')
    expect(charsetFromContentType('text/html;charset="gbk"; q=1')).toBe('gbk')
    expect(charsetFromContentType('text/html')).toBeNull()
    expect(charsetFromContentType(null)).toBeNull()
    expect(charsetFromMeta(utf8('<meta charset=big5>'))).toBe('big5')
    expect(charsetFromMeta(utf8("<META CHARSET='Shift_JIS'>"))).toBe('Shift_JIS')
    expect(charsetFromMeta(utf8('<title>charset</title>'))).toBeNull()
  })

  it('decodeHtml strips the BOM', () => {
    expect(decodeHtml(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), null)).toBe('a')
  })
})

describe('title text', () => {
  it('decodes named and numeric character references', () => {
    expect(extractTitle(page('Fish &amp; Chips &lt;3 caf&#233; &#x4E2D; &quot;q&quot; &copy;'))).toBe(
      'Fish & Chips <3 café 中 "q" ©'
    )
  })

  it('strips and collapses ASCII whitespace; a no-break space is kept', () => {
    expect(extractTitle(page('\n   a \t\r\n  b\f c   '))).toBe('a b c')
    expect(extractTitle(page('x&nbsp;y &nbsp; z'))).toBe('x\u00a0y \u00a0 z')
    expect(collapseWhitespace('  one\n\ntwo  ')).toBe('one two')
    expect(collapseWhitespace('\u00a0kept\u00a0')).toBe('\u00a0kept\u00a0')
  })

  it('the first title wins', () => {
    expect(extractTitle('<head><title>first</title><title>second</title></head>')).toBe('first')
  })

  it('a title after </head> is ignored', () => {
    expect(
      extractTitle('<html><head><meta charset="utf-8"></head><body><title>late</title></body></html>')
    ).toBeNull()
  })

  it('no title, an empty title, or a whitespace-only title is null', () => {
    expect(extractTitle('<html><head></head><body><h1>no title</h1></body></html>')).toBeNull()
    expect(extractTitle(page(''))).toBeNull()
    expect(extractTitle(page(' \n\t '))).toBeNull()
    expect(titleOf(new Uint8Array(0), 'text/html')).toBeNull()
  })

  it('markup-looking text in a title is text, and a commented-out title is not a title', () => {
    expect(extractTitle(page('<b>bold</b> &lt;i&gt;'))).toBe('<b>bold</b> <i>')
    expect(extractTitle('<head><!-- <title>no</title> --><title>yes</title></head>')).toBe('yes')
  })

  it('an unclosed title still yields its text', () => {
    expect(extractTitle('<html><head><title>cut off')).toBe('cut off')
  })

  it('long titles are cut to 1000 characters', () => {
    expect(extractTitle(page('t'.repeat(5_000)))?.length).toBe(1_000)
  })

  it('only HTML content types are parsed', () => {
    expect(isHtmlContentType('text/html; charset=utf-8')).toBe(true)
    expect(isHtmlContentType('application/xhtml+xml')).toBe(true)
    expect(isHtmlContentType(null)).toBe(true)
    expect(isHtmlContentType('text/plain')).toBe(false)
    expect(isHtmlContentType('application/json')).toBe(false)
    expect(titleOf(utf8(page('json?')), 'application/json')).toBeNull()
  })
})
