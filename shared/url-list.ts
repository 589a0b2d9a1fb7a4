/**
 * Parses the URL list a person pastes or loads (text or CSV) into the URLs a run fetches, and
 * reports every line it cannot use with its line number and a reason a person can act on.
 *
 * Rules, per line (1-based numbers count every line, so they match the person's editor):
 * - A BOM at the very start is ignored; LF and CRLF both end lines; surrounding whitespace is trimmed.
 * - Blank lines and lines starting with `#` are skipped (counted in `skipped`).
 * - A `#` preceded by a space or tab starts a trailing comment, which is dropped. A `#` touching the
 *   URL (`/page#top`) is a fragment and stays.
 * - CSV: a line containing a tab is split on tabs, otherwise one containing a comma is split on
 *   commas (double-quoted fields with `""` escapes are honoured). The first field that looks like a
 *   URL (`scheme://…`) is taken; when none does, the first non-empty field is checked so the reason
 *   says what is wrong with it. So an unquoted URL containing a comma is cut at the comma: quote it
 *   or encode the comma as %2C.
 * - The first content line is a header row, and skipped, when it contains no `.`, `:` or `/` and
 *   either has several fields (`URL,Status,Title`) or is a lone column name (`url`, `link`, …):
 *   anything that might be a mistyped URL is still reported.
 * - Only http and https; valid URLs are normalised with `new URL(s).href` (lower-case scheme and
 *   host, default port dropped, path `/` added), and duplicates after normalising are collapsed
 *   and counted.
 * - maxUrls: the line whose URL would exceed the limit is reported once, as one invalid entry that
 *   also counts the lines after it, and parsing stops there (nothing past it is read or counted).
 *
 * Linear in the input: no backtracking regexes, one Set for dedupe; a million lines parse in about a
 * second.
 */

export interface InvalidLine {
  readonly line: number
  readonly text: string
  readonly reason: string
}

export interface ParsedUrlList {
  readonly urls: string[]
  readonly invalid: InvalidLine[]
  readonly duplicates: number
  /** Blank lines, comment lines and a header row. */
  readonly skipped: number
}

export interface ParseUrlListOptions {
  /** Most URLs to accept (default unlimited). */
  readonly maxUrls?: number
}

export const MAX_URL_LENGTH = 8_192
/** Longest line text kept in an InvalidLine, and longest input quoted in a reason. */
const MAX_TEXT = 1_000
const MAX_QUOTED = 200

const TAB = 9
const SPACE = 32
const QUOTE = 34
const HASH = 35

export function parseUrlList(text: string, opts: ParseUrlListOptions = {}): ParsedUrlList {
  const maxUrls = opts.maxUrls ?? Infinity
  const urls: string[] = []
  const seen = new Set<string>()
  const invalid: InvalidLine[] = []
  const lines = new UrlLineParser()
  let duplicates = 0
  let start = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    const raw = text.slice(start, end)
    const verdict = lines.next(raw)
    start = end + 1
    if (verdict === null) continue
    if (typeof verdict !== 'string') {
      invalid.push(verdict)
      continue
    }
    if (urls.length < maxUrls) {
      // One hash lookup instead of has() + add(): a size that did not grow means a duplicate.
      const before = seen.size
      seen.add(verdict)
      if (seen.size === before) duplicates++
      else urls.push(verdict)
      continue
    }
    if (seen.has(verdict)) {
      duplicates++
      continue
    }
    // A new URL past the limit: report it once, with how much was left unread, and stop.
    const rest = countLines(text, start)
    invalid.push({
      line: lines.lineNo,
      text: clip((lines.lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw).trim(), MAX_TEXT),
      reason: `URL limit of ${maxUrls} reached: this line and the ${rest} after it were not read`
    })
    break
  }
  return { urls, invalid, duplicates, skipped: lines.skipped }
}

/**
 * The per-line rules above, one line at a time, for input read as a stream (a file or standard
 * input of any length): `next` takes each line (without its LF) and says what it is: the
 * normalised URL, an invalid line with its number and reason, or null for a skipped line.
 * Deduplication is the caller's (a list in memory uses a Set; a streamed one its run store).
 */
export class UrlLineParser {
  /** Lines seen so far: the 1-based number of the last one. */
  lineNo = 0
  /** Blank lines, comment lines and a header row. */
  skipped = 0
  #sawContent = false

  next(raw: string): string | InvalidLine | null {
    this.lineNo++
    // trim() also removes the CR of CRLF; a BOM only counts at the very start.
    const trimmed = (this.lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw).trim()
    if (trimmed === '' || trimmed.charCodeAt(0) === HASH) {
      this.skipped++
      return null
    }
    const content = stripTrailingComment(trimmed)
    if (!this.#sawContent) {
      this.#sawContent = true
      if (isHeaderRow(content)) {
        this.skipped++
        return null
      }
    }
    const candidate = content.includes('\t')
      ? pickField(content, '\t')
      : content.includes(',')
        ? pickField(content, ',')
        : content
    const checked = candidate === '' ? { reason: 'no URL in any field' } : checkUrl(candidate)
    if (typeof checked === 'string') return checked
    return { line: this.lineNo, text: clip(trimmed, MAX_TEXT), reason: checked.reason }
  }
}

/** "line 7: unsupported scheme "ftp:"" */
export function formatInvalidLine(l: InvalidLine): string {
  return `line ${l.line}: ${l.reason}`
}

/** Concatenates already-normalised URL lists (e.g. from parseUrlList), keeping first occurrences. */
export function mergeUrlLists(...lists: readonly (readonly string[])[]): {
  urls: string[]
  duplicates: number
} {
  const seen = new Set<string>()
  const urls: string[] = []
  let duplicates = 0
  for (const list of lists) {
    for (const url of list) {
      if (seen.has(url)) duplicates++
      else {
        seen.add(url)
        urls.push(url)
      }
    }
  }
  return { urls, duplicates }
}

/**
 * Checks one candidate: the normalised href, or why it cannot be fetched. Exported for single-URL
 * inputs (the seed URL field) so they give the same reasons as the list.
 */
export function checkUrl(candidate: string): string | { readonly reason: string } {
  if (candidate === '') return { reason: 'empty URL' }
  if (candidate.length > MAX_URL_LENGTH) return { reason: `URL longer than ${MAX_URL_LENGTH} characters` }
  // canParse first: a thrown TypeError costs ~7 µs, so a million bad lines would take seconds.
  if (!URL.canParse(candidate)) return { reason: diagnoseUnparsable(candidate) }
  const url = new URL(candidate)
  const href = url.href
  // href has a lower-case scheme, and http(s) cannot parse without a host; the prefix test spares
  // the protocol/hostname getters (each builds a string) on the hot path.
  if (!href.startsWith('http://') && !href.startsWith('https://')) {
    // "example.com:8080/x" parses with the scheme "example.com:"; say what is really missing.
    if (looksLikeBareHost(candidate)) return { reason: MISSING_SCHEME }
    return { reason: `unsupported scheme ${JSON.stringify(url.protocol)}` }
  }
  if (href.length > MAX_URL_LENGTH) return { reason: `URL longer than ${MAX_URL_LENGTH} characters` }
  return href
}

const MISSING_SCHEME = 'missing scheme (http:// or https://)'

function diagnoseUnparsable(s: string): string {
  const scheme = leadingScheme(s)
  if (scheme !== null) {
    const lower = scheme.toLowerCase()
    if (lower !== 'http' && lower !== 'https') {
      if (looksLikeBareHost(s)) return MISSING_SCHEME
      return `unsupported scheme ${JSON.stringify(`${lower}:`)}`
    }
    if (authorityHost(s.slice(scheme.length + 1)) === '') return 'missing host'
  } else if (looksLikeBareHost(s)) {
    return MISSING_SCHEME
  }
  return `not a URL: ${JSON.stringify(clip(s, MAX_QUOTED))}`
}

/** The scheme before the first `:` (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )), or null. */
function leadingScheme(s: string): string | null {
  const colon = s.indexOf(':')
  if (colon <= 0 || colon > 32) return null
  for (let i = 0; i < colon; i++) {
    const c = s.charCodeAt(i)
    const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
    if (i === 0 ? !alpha : !(alpha || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return null
  }
  return s.slice(0, colon)
}

/** A field that looks like an absolute URL: `scheme://`. */
function looksLikeUrl(s: string): boolean {
  const scheme = leadingScheme(s)
  return scheme !== null && s.startsWith('//', scheme.length + 1)
}

/**
 * The host of what follows `scheme:` (slashes, optional userinfo, optional port stripped), as WHATWG
 * parsing would see it for http(s); '' when there is none.
 */
function authorityHost(rest: string): string {
  let i = 0
  while (i < rest.length && (rest.charCodeAt(i) === 47 || rest.charCodeAt(i) === 92)) i++
  let end = i
  while (end < rest.length) {
    const c = rest.charCodeAt(end)
    if (c === 47 || c === 92 || c === 63 || c === HASH) break
    end++
  }
  let authority = rest.slice(i, end)
  const at = authority.lastIndexOf('@')
  if (at >= 0) authority = authority.slice(at + 1)
  if (authority.startsWith('[')) return authority
  const colon = authority.lastIndexOf(':')
  return colon >= 0 ? authority.slice(0, colon) : authority
}

/** `example.com/x`, `www.example.com:8080`, `localhost:3000`: a host without a scheme. */
function looksLikeBareHost(s: string): boolean {
  if (s.includes('//')) return false
  let end = 0
  while (end < s.length) {
    const c = s.charCodeAt(end)
    if (c === 47 || c === 63 || c === HASH) break
    end++
  }
  const hostPort = s.slice(0, end)
  const colon = hostPort.lastIndexOf(':')
  const host = colon >= 0 ? hostPort.slice(0, colon) : hostPort
  if (colon >= 0 && !isDigits(hostPort.slice(colon + 1))) return false
  if (host === '' || host.charCodeAt(0) === 46 || host.charCodeAt(host.length - 1) === 46) return false
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i)
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46
    if (!ok) return false
  }
  return host.includes('.') || host.toLowerCase() === 'localhost'
}

function isDigits(s: string): boolean {
  if (s === '') return false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

/** Drops a `#` comment that follows whitespace. */
function stripTrailingComment(s: string): string {
  let i = s.indexOf('#', 1)
  while (i > 0) {
    const prev = s.charCodeAt(i - 1)
    if (prev === SPACE || prev === TAB) return s.slice(0, i).trimEnd()
    i = s.indexOf('#', i + 1)
  }
  return s
}

/** Names a one-column list's header row may have. */
const HEADER_WORDS = new Set(['url', 'urls', 'uri', 'link', 'links', 'address', 'href', 'location'])

function isHeaderRow(s: string): boolean {
  if (s.includes('.') || s.includes(':') || s.includes('/')) return false
  return s.includes(',') || s.includes('\t') || HEADER_WORDS.has(s.toLowerCase())
}

/** The first field that looks like a URL, else the first non-empty field (for its reason). */
function pickField(line: string, delim: string): string {
  const n = line.length
  let firstNonEmpty = ''
  let i = 0
  while (i <= n) {
    while (i < n && line.charCodeAt(i) === SPACE) i++
    let field: string
    if (line.charCodeAt(i) === QUOTE) {
      // Quoted field: "" is a literal quote; text after the closing quote up to the delimiter is dropped.
      let buf = ''
      let j = i + 1
      for (;;) {
        const q = line.indexOf('"', j)
        if (q < 0) {
          buf += line.slice(j)
          j = n
          break
        }
        buf += line.slice(j, q)
        if (line.charCodeAt(q + 1) === QUOTE) {
          buf += '"'
          j = q + 2
          continue
        }
        j = q + 1
        break
      }
      field = buf
      const d = line.indexOf(delim, j)
      i = d < 0 ? n + 1 : d + 1
    } else {
      const d = line.indexOf(delim, i)
      field = line.slice(i, d < 0 ? n : d)
      i = d < 0 ? n + 1 : d + 1
    }
    field = field.trim()
    if (looksLikeUrl(field)) return field
    if (firstNonEmpty === '' && field !== '') firstNonEmpty = field
  }
  return firstNonEmpty
}

/** Lines from `from` to the end, counted the way the main loop counts them. */
function countLines(text: string, from: number): number {
  let count = 0
  let p = from
  while (p < text.length) {
    count++
    const e = text.indexOf('\n', p)
    if (e < 0) break
    p = e + 1
  }
  return count
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s
}
