import { open } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import zlib from 'node:zlib'
import { Parser } from 'htmlparser2'
import { normalizeUrl } from './normalize-url.ts'

/**
 * Sitemaps as a URL source (https://www.sitemaps.org/protocol.html): an XML <urlset> of pages, an
 * XML <sitemapindex> of further sitemaps, or a plain-text file of one URL per line; any of them
 * may be gzipped (recognised by the gzip magic bytes 1f 8b, whatever the name or Content-Type says).
 *
 * The protocol's limits are enforced because a sitemap comes from a server we don't control:
 * 50,000 URLs and 50 MB (52,428,800 bytes) uncompressed per file, and URLs under 2,048 characters.
 * Decompression stops at the byte cap, so a gzip bomb costs at most 50 MB. Every entry we cannot
 * use is reported with its number and why; the rest of the file is still read.
 *
 * Lenient where real sitemaps are sloppy and it costs nothing: any namespace or prefix (elements are
 * matched by local name and position: <loc> directly in <url> directly in <urlset>, so extension
 * elements like <image:loc> are ignored), a UTF-8 BOM, CDATA, whitespace around <loc>. Strict where
 * the protocol is: a <loc> must be an absolute http(s) URL (relative ones are not resolved).
 * Duplicate URLs within a file are kept once.
 */

export const SITEMAP_MAX_BYTES = 52_428_800
export const SITEMAP_MAX_URLS = 50_000
/** sitemaps.org: "must be less than 2,048 characters". */
export const SITEMAP_MAX_URL_LENGTH = 2_047
/** Errors listed one by one; past this they are counted in a last line. */
const MAX_ERRORS = 100
const MAX_QUOTED = 100

export interface SitemapEntry {
  readonly url: string
  /** As written, when it is a W3C Datetime (YYYY, YYYY-MM-DD, or with time and zone); else null. */
  readonly lastmod: string | null
}

export interface SitemapParseResult {
  /** urlset: the URLs are pages. index: the URLs are more sitemaps. */
  readonly kind: 'urlset' | 'index'
  readonly format: 'xml' | 'text'
  readonly entries: readonly SitemapEntry[]
  /** entries' URLs, normalised. */
  readonly urls: readonly string[]
  readonly errors: readonly string[]
}

export interface SitemapOptions {
  /** Where the sitemap came from (an http(s) or file: URL), named in messages about the whole file. */
  readonly sitemapUrl: string
  readonly maxBytes?: number
  readonly maxUrls?: number
}

/** W3C Datetime (https://www.w3.org/TR/NOTE-datetime), the profile sitemaps.org names for lastmod. */
const W3C_DATETIME =
  /^\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?)?)?$/

function quote(text: string): string {
  return JSON.stringify(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text)
}

/** Collects accepted URLs and numbered errors, with the protocol's count limit. */
class Collector {
  readonly entries: SitemapEntry[] = []
  readonly errors: string[] = []
  readonly #seen = new Set<string>()
  readonly #maxUrls: number
  #hiddenErrors = 0
  #overflow = 0

  constructor(maxUrls: number) {
    this.#maxUrls = maxUrls
  }

  error(message: string): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push(message)
    else this.#hiddenErrors++
  }

  /** `where` is "entry 3" or "line 7": what a person looks for in the file. */
  add(where: string, loc: string | null, lastmod: string | null): void {
    if (loc === null || loc === '') {
      this.error(`${where}: no <loc>.`)
      return
    }
    const url = checkLoc(loc)
    if (!url.ok) {
      this.error(`${where}: ${url.reason}`)
      return
    }
    if (this.#seen.has(url.url)) return
    if (this.entries.length >= this.#maxUrls) {
      this.#overflow++
      return
    }
    let date = lastmod
    if (date !== null && !W3C_DATETIME.test(date)) {
      this.error(`${where}: <lastmod> ${quote(date)} is not a W3C Datetime (e.g. 2024-05-01); ignored.`)
      date = null
    }
    this.#seen.add(url.url)
    this.entries.push({ url: url.url, lastmod: date })
  }

  result(kind: SitemapParseResult['kind'], format: SitemapParseResult['format']): SitemapParseResult {
    if (this.#overflow > 0) {
      this.error(
        `More than ${this.#maxUrls.toLocaleString('en')} URLs (the sitemaps.org limit per file): ` +
          `${this.#overflow.toLocaleString('en')} after them were ignored; split the sitemap and list the parts in an index.`
      )
    }
    const errors =
      this.#hiddenErrors > 0 ? [...this.errors, `… and ${this.#hiddenErrors} more errors.`] : this.errors
    return { kind, format, entries: this.entries, urls: this.entries.map((e) => e.url), errors }
  }
}

function checkLoc(loc: string): { ok: true; url: string } | { ok: false; reason: string } {
  if (loc.length > SITEMAP_MAX_URL_LENGTH) {
    return { ok: false, reason: 'URL is 2,048 characters or longer; sitemaps.org allows less than 2,048.' }
  }
  // No base: sitemaps.org requires absolute URLs ("must begin with the protocol").
  const absolute = URL.parse(loc)
  if (absolute === null) return { ok: false, reason: `${quote(loc)} is not an absolute URL.` }
  const normal = normalizeUrl(loc, absolute)
  return normal.ok ? normal : { ok: false, reason: `${normal.reason}.` }
}

/** A sitemap (gzipped or not, XML or text) as fetched or read, all bytes at once. */
export function parseSitemap(bytes: Uint8Array, opts: SitemapOptions): SitemapParseResult {
  const maxBytes = opts.maxBytes ?? SITEMAP_MAX_BYTES
  const out = new Collector(opts.maxUrls ?? SITEMAP_MAX_URLS)
  const plain = decompress(bytes, maxBytes, opts.sitemapUrl, out)
  if (plain === null) return out.result('urlset', 'xml')
  // TextDecoder drops a UTF-8 BOM; sitemaps.org requires UTF-8, so no other charset is tried.
  const text = new TextDecoder('utf-8').decode(plain)
  const start = text.search(/\S/)
  if (start === -1) {
    out.error(`${opts.sitemapUrl} is empty.`)
    return out.result('urlset', 'text')
  }
  if (text[start] === '<') return parseXml(text, opts.sitemapUrl, out)
  parseText(text, out)
  return out.result('urlset', 'text')
}

function tooBig(sitemapUrl: string, maxBytes: number, how: string): string {
  return (
    `${sitemapUrl} is larger than ${maxBytes.toLocaleString('en')} bytes${how} (sitemaps.org allows 50 MB ` +
    'uncompressed): not read; split it into several sitemaps listed in an index.'
  )
}

function decompress(
  bytes: Uint8Array,
  maxBytes: number,
  sitemapUrl: string,
  out: Collector
): Uint8Array | null {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    if (bytes.length <= maxBytes) return bytes
    out.error(tooBig(sitemapUrl, maxBytes, ''))
    return null
  }
  try {
    // maxOutputLength makes zlib stop producing output at the cap: a bomb never gets further.
    return zlib.gunzipSync(bytes, { maxOutputLength: maxBytes })
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      out.error(tooBig(sitemapUrl, maxBytes, ' once gunzipped'))
      return null
    }
    if (code === 'Z_BUF_ERROR') {
      // The stream ends early (a download cut at the byte cap): read what did arrive, and say so.
      try {
        const partial = zlib.gunzipSync(bytes, {
          maxOutputLength: maxBytes,
          finishFlush: zlib.constants.Z_SYNC_FLUSH
        })
        out.error(`${sitemapUrl}: the gzip data is truncated; only the URLs before the cut were read.`)
        return partial
      } catch (retryError) {
        out.error(`${sitemapUrl} is not valid gzip: ${errorText(retryError)}.`)
        return null
      }
    }
    out.error(`${sitemapUrl} is not valid gzip: ${errorText(error)}.`)
    return null
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function localName(name: string): string {
  const colon = name.indexOf(':')
  return (colon === -1 ? name : name.slice(colon + 1)).toLowerCase()
}

function parseXml(text: string, sitemapUrl: string, out: Collector): SitemapParseResult {
  // Mutated by the parser's callbacks; one object keeps the narrowing honest (as in title.ts).
  const scan = {
    depth: 0,
    kind: null as SitemapParseResult['kind'] | null,
    entryTag: '',
    entryNumber: 0,
    entry: null as { loc: string | null; lastmod: string | null } | null,
    field: null as 'loc' | 'lastmod' | null,
    text: ''
  }
  const parser = new Parser(
    {
      onopentag(name) {
        scan.depth++
        const local = localName(name)
        if (scan.depth === 1) {
          if (local === 'urlset' || local === 'sitemapindex') {
            scan.kind = local === 'urlset' ? 'urlset' : 'index'
            scan.entryTag = local === 'urlset' ? 'url' : 'sitemap'
          } else {
            const feed =
              local === 'rss' || local === 'feed' ? ' (RSS and Atom feeds are not read as sitemaps)' : ''
            out.error(
              `${sitemapUrl} is not a sitemap: its root element is <${name}>, not <urlset> or <sitemapindex>${feed}.`
            )
            parser.pause()
          }
        } else if (scan.depth === 2 && local === scan.entryTag) {
          scan.entryNumber++
          scan.entry = { loc: null, lastmod: null }
        } else if (scan.depth === 3 && scan.entry !== null && (local === 'loc' || local === 'lastmod')) {
          scan.field = local
          scan.text = ''
        }
      },
      ontext(data) {
        // Bounded: anything past the URL limit is refused anyway, so stop growing the string there.
        if (scan.field !== null && scan.text.length <= SITEMAP_MAX_URL_LENGTH + 64) scan.text += data
      },
      onclosetag() {
        if (scan.depth === 3 && scan.field !== null && scan.entry !== null) {
          // A repeated <loc> in one entry: the first one stands.
          scan.entry[scan.field] ??= scan.text.trim()
          scan.field = null
        } else if (scan.depth === 2 && scan.entry !== null) {
          out.add(`entry ${scan.entryNumber}`, scan.entry.loc, scan.entry.lastmod)
          scan.entry = null
        }
        scan.depth--
      }
    },
    { xmlMode: true, decodeEntities: true }
  )
  parser.write(text)
  parser.end()
  if (scan.kind === null) {
    if (out.errors.length === 0) out.error(`${sitemapUrl} is not a sitemap: no XML root element.`)
    return out.result('urlset', 'xml')
  }
  return out.result(scan.kind, 'xml')
}

/** sitemaps.org text format: one URL per line, nothing else; blank lines are tolerated. */
function parseText(text: string, out: Collector): void {
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? ''
    if (line !== '') out.add(`line ${i + 1}`, line, null)
  }
}

const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied'
}

/**
 * A sitemap file on disk (the runner's `--sitemap FILE`). Throws when the file cannot be read
 * (missing, a folder, no permission): that is the person's input to fix, not sitemap content.
 */
export async function readSitemapFile(
  path: string,
  opts: Omit<SitemapOptions, 'sitemapUrl'> = {}
): Promise<SitemapParseResult> {
  const maxBytes = opts.maxBytes ?? SITEMAP_MAX_BYTES
  const sitemapUrl = pathToFileURL(path).href
  let bytes: Uint8Array | null = null
  try {
    const handle = await open(path, 'r')
    try {
      // Over the cap, gzipped or not, the file cannot be a valid sitemap: refuse it unread.
      if ((await handle.stat()).size <= maxBytes) bytes = await handle.readFile()
    } finally {
      await handle.close()
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code
    const why = typeof code === 'string' ? (READ_ERRORS[code] ?? code) : String(error)
    throw new Error(`Cannot read sitemap file ${path}: ${why}.`, { cause: error })
  }
  if (bytes === null) {
    const out = new Collector(0)
    out.error(tooBig(sitemapUrl, maxBytes, ''))
    return out.result('urlset', 'xml')
  }
  return parseSitemap(bytes, { ...opts, sitemapUrl })
}
