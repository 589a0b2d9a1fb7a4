import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import { hashString, mulberry32, pick, randInt, type Rng } from './demo-random.ts'

/** HTML bodies served by the demo target. Built once (or per n, cached) so requests stay cheap. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export function simplePage(title: string, text = ''): string {
  const t = escapeHtml(title)
  const p = text ? `<p>${escapeHtml(text)}</p>\n` : ''
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${t}</title></head>\n<body><h1>${t}</h1>\n${p}</body></html>\n`
}

/** Raw title of `/entities`: named and numeric references and runs of ASCII whitespace. */
export const DEMO_ENTITIES_TITLE_RAW =
  '\n    Fish &amp; Chips &lt;3\n\n   caf&#233;   &#x4E2D;&nbsp;text\t end  '
/** What a browser shows: references decoded, ASCII whitespace stripped and collapsed (NBSP stays). */
export const DEMO_ENTITIES_TITLE = 'Fish & Chips <3 café 中\u00a0text end'
export const DEMO_BOM_TITLE = 'Byte order mark: ünïcödé ✓'

export const entitiesPage = (): string =>
  `<!doctype html>\n<html><head><meta charset="utf-8"><title>${DEMO_ENTITIES_TITLE_RAW}</title></head>\n<body><p>Entities in the title.</p></body></html>\n`

export const noTitlePage = (): string =>
  '<!doctype html>\n<html><head><meta charset="utf-8"></head>\n<body><h1>A page without a title</h1></body></html>\n'

/** UTF-8 with a BOM and no charset anywhere: only the BOM says how to decode it. */
export function bomPage(): Buffer {
  const html = `<!doctype html>\n<html><head><title>${DEMO_BOM_TITLE}</title></head>\n<body><p>${DEMO_BOM_TITLE}</p></body></html>\n`
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(html, 'utf8')])
}

const ENDPOINTS: readonly (readonly [string, string])[] = [
  ['/healthz', 'liveness: 200 "ok"'],
  ['/delay/250', 'wait :ms (0-120000) then 200'],
  [
    '/latency?dist=lognormal&median=80&p99=900&seed=1',
    'seeded delay; also dist=uniform&min=&max=, dist=fixed&ms='
  ],
  [
    '/api/7',
    'JSON after a seeded delay (?median=20&p99=200&seed=); on a rate-limited host, 429s past its rate'
  ],
  ['/status/404', 'any status 200-599; ?delay=ms'],
  [
    '/retry-after/429?seconds=2',
    '429/503 + Retry-After; ?date=N for the HTTP-date form; ?key=K&times=T recovers'
  ],
  [
    '/flaky/demo?failures=2&status=503',
    'first N requests per key fail (mode=reset drops the socket), then 200'
  ],
  ['/reset', 'connection reset without a response'],
  ['/reset-after-headers', 'headers, part of the body, then the socket closes'],
  ['/stall-headers?ms=5000', 'no response for ms (default: never)'],
  ['/trickle?chunks=20&interval=500&size=16', 'a body chunk every interval ms'],
  ['/huge?bytes=52428800', 'a streamed body of N bytes (max 2 GiB)'],
  ['/gzip-bomb?mb=1024', 'gzip body that inflates to N MiB of zeros'],
  ['/gzip', 'gzip-encoded page (also /br, /deflate)'],
  ['/redirect/3?code=302', 'a chain of n redirects'],
  ['/redirect-loop', 'a/b redirect loop'],
  ['/redirect-to?url=/page/1', 'one redirect to url'],
  ['/charset/shift_jis?via=meta', 'legacy charset titles; via=header|meta|http-equiv'],
  ['/entities', 'title with character references and whitespace runs (also /no-title, /bom)'],
  ['/page/1', 'a synthetic page linking to other /page/N pages'],
  ['/site/', 'the spider demo site: a page tree with nofollow links, a private section, PDFs, traps'],
  ['/robots.txt', "the site's robots.txt: disallowed section, * and $ rules, Crawl-delay for one agent"],
  ['/site/sitemap.xml', 'sitemap index: sitemap-1.xml and sitemap-2.xml.gz (orphans, a stale entry)'],
  ['/site/calendar', 'spider trap: next month forever (also /site/a/, a folder that nests itself)'],
  ['/urls.txt?count=500&seed=1', 'a demo URL list for the engine']
]

export function indexPage(): string {
  const items = ENDPOINTS.map(
    ([path, what]) =>
      `<li><a href="${escapeHtml(path)}"><code>${escapeHtml(path)}</code></a> — ${escapeHtml(what)}</li>`
  ).join('\n')
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>Crawlboard demo target</title></head>\n<body><h1>Crawlboard demo target</h1>\n<p>Every endpoint answers GET and HEAD; behaviour comes from the path and query.</p>\n<ul>\n${items}\n</ul>\n</body></html>\n`
}

/** Compressed pages are built once: the point is to exercise the client's decoders, not ours. */
export type DemoEncoding = 'gzip' | 'br' | 'deflate'
const compressedCache = new Map<DemoEncoding, Buffer>()

export function compressedPageTitle(encoding: DemoEncoding): string {
  return `Compressed page (${encoding})`
}

export function compressedPage(encoding: DemoEncoding): Buffer {
  const cached = compressedCache.get(encoding)
  if (cached) return cached
  const filler = 'This text repeats so that compression has something to do. '.repeat(120)
  const html = Buffer.from(simplePage(compressedPageTitle(encoding), filler))
  // HTTP "deflate" means the zlib wrapper (RFC 1950), which is what deflateSync produces.
  const body =
    encoding === 'gzip' ? gzipSync(html) : encoding === 'br' ? brotliCompressSync(html) : deflateSync(html)
  compressedCache.set(encoding, body)
  return body
}

/** The synthetic site: links from /page/n stay inside /page/0 … /page/(DEMO_SITE_PAGES - 1). */
export const DEMO_SITE_PAGES = 1000

const WORDS = (
  'latency throughput widget gateway cluster quarterly report region archive catalog index release ' +
  'pipeline dashboard metrics storage network partner customer invoice support service update status ' +
  'review summary policy roadmap feature backlog incident postmortem capacity forecast budget market ' +
  'analysis portal mirror cache origin edge shard replica queue worker schedule batch stream export'
).split(' ')

const TOPICS = [
  'Quarterly widget report',
  'Gateway latency review',
  'Release notes',
  'Partner directory',
  'Incident postmortem',
  'Capacity forecast',
  'Support knowledge base',
  'Market analysis',
  'Archive catalog',
  'Engineering roadmap'
]

export function demoPageTitle(n: number): string {
  return `Page ${n}: ${pick(mulberry32(hashString(`title:${n}`)), TOPICS)}`
}

function sentence(rng: Rng): string {
  const words: string[] = []
  const length = randInt(rng, 6, 16)
  for (let i = 0; i < length; i++) words.push(pick(rng, WORDS))
  const text = words.join(' ')
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}

function pageLink(rng: Rng): string {
  const target = randInt(rng, 0, DEMO_SITE_PAGES - 1)
  return `<a href="/page/${target}">${escapeHtml(demoPageTitle(target))}</a>`
}

/** Deterministic by n, 5–30 KB, with 6–14 links to other site pages. */
function buildSitePage(n: number): Buffer {
  const rng = mulberry32(hashString(`page:${n}`))
  const title = escapeHtml(demoPageTitle(n))
  const targetBytes = randInt(rng, 5_000, 30_000)
  const nav = Array.from({ length: randInt(rng, 3, 5) }, () => `<li>${pageLink(rng)}</li>`).join('')
  const parts: string[] = [
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n<title>${title}</title>\n`,
    `<meta name="description" content="${escapeHtml(sentence(rng))}">\n`,
    '<style>body{font:16px/1.5 system-ui;margin:2rem auto;max-width:46rem}nav ul{display:flex;gap:1rem}</style>\n',
    `</head>\n<body>\n<nav><ul>${nav}</ul></nav>\n<main><article>\n<h1>${title}</h1>\n`
  ]
  let size = parts.join('').length
  let inlineLinks = randInt(rng, 1, 4)
  while (size < targetBytes - 600) {
    const sentences = Array.from({ length: randInt(rng, 3, 8) }, () => sentence(rng))
    if (inlineLinks > 0 && rng() < 0.3) {
      sentences.push(`See also ${pageLink(rng)}.`)
      inlineLinks--
    }
    const paragraph = rng() < 0.15 ? `<h2>${escapeHtml(sentence(rng))}</h2>\n` : ''
    const chunk = `${paragraph}<p>${sentences.join(' ')}</p>\n`
    parts.push(chunk)
    size += chunk.length
  }
  const related = Array.from({ length: randInt(rng, 2, 5) }, () => `<li>${pageLink(rng)}</li>`).join('')
  parts.push(`</article></main>\n<footer><h2>Related</h2><ul>${related}</ul></footer>\n</body></html>\n`)
  return Buffer.from(parts.join(''), 'utf8')
}

// Large enough to hold the whole linked site (~18 MB), so a spider run never rebuilds a page.
const SITE_CACHE_LIMIT = DEMO_SITE_PAGES + 24
const siteCache = new Map<number, Buffer>()

export function sitePage(n: number): Buffer {
  let body = siteCache.get(n)
  if (!body) {
    body = buildSitePage(n)
    if (siteCache.size >= SITE_CACHE_LIMIT) {
      const oldest = siteCache.keys().next()
      if (!oldest.done) siteCache.delete(oldest.value)
    }
    siteCache.set(n, body)
  }
  return body
}
