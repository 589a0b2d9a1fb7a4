import iconv from 'iconv-lite'

/**
 * Pages whose title is encoded in a legacy charset, so the engine's title extraction can be checked
 * against a known answer. Keys are the names used in `/charset/:name` and valid WHATWG encoding
 * labels, so `new TextDecoder(name).decode(body)` must give back the title exactly.
 */
export const DEMO_CHARSET_TITLES: Readonly<Record<string, string>> = {
  'utf-8': 'UTF-8: Grüße, 日本語, Привет, 🌍',
  // Browsers (and TextDecoder) decode iso-8859-1 as windows-1252; this title stays within Latin-1.
  'iso-8859-1': 'Crème brûlée à la façade, déjà vu',
  'windows-1252': 'Prix : 5 € — «déjà vu» ‘ok’',
  'windows-1251': 'Привет, мир — тест',
  'koi8-r': 'Съешь же ещё этих мягких французских булок',
  shift_jis: '日本語のタイトル',
  'euc-jp': 'こんにちは、世界のページ',
  gbk: '中文标题测试',
  big5: '繁體中文標題',
  'euc-kr': '한국어 제목 테스트',
  'iso-8859-2': 'Zażółć gęślą jaźń'
}

export const DEMO_CHARSET_VIAS = ['header', 'meta', 'http-equiv'] as const
export type DemoCharsetVia = (typeof DEMO_CHARSET_VIAS)[number]

export interface EncodedPage {
  readonly body: Buffer
  readonly contentType: string
}

const cache = new Map<string, EncodedPage>()

/** The encoded page for a charset and declaration style, or undefined for an unknown charset. */
export function charsetPage(name: string, via: DemoCharsetVia): EncodedPage | undefined {
  const title = DEMO_CHARSET_TITLES[name]
  if (title === undefined) return undefined
  const key = `${name}|${via}`
  const cached = cache.get(key)
  if (cached) return cached
  const declaration =
    via === 'meta'
      ? `<meta charset="${name}">`
      : via === 'http-equiv'
        ? `<meta http-equiv="content-type" content="text/html; charset=${name}">`
        : ''
  const html =
    `<!doctype html>\n<html><head>${declaration}\n<title>${title}</title></head>\n` +
    `<body><h1>${title}</h1>\n<p>This page is encoded as ${name}; the charset is declared via ${via}.</p>\n` +
    `</body></html>\n`
  const page: EncodedPage = {
    body: iconv.encode(html, name),
    contentType: via === 'header' ? `text/html; charset=${name}` : 'text/html'
  }
  cache.set(key, page)
  return page
}
