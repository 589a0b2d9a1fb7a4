/**
 * URL normalisation for spider mode: one string per resource, used both as the URL to fetch and as
 * the frontier's dedupe key. Only normalisations that cannot change what a server returns are done
 * unconditionally; dropping query parameters is opt-in because a server may depend on any of them.
 *
 * The WHATWG URL parser (https://url.spec.whatwg.org/) does most of the work, exactly as a browser
 * resolving the same href would:
 * - strips leading/trailing C0 controls and spaces, removes tabs and newlines anywhere;
 * - resolves the reference against the base (RFC 3986 §5.2), removing `.` and `..` segments (§5.2.4);
 * - lower-cases scheme and host (RFC 3986 §6.2.2.1), converts IDN hosts to punycode (UTS #46),
 *   canonicalises IPv4 (`0x7f.1` → `127.0.0.1`) and IPv6 literals;
 * - drops the scheme's default port (RFC 3986 §6.2.3: `:80` for http, `:443` for https);
 * - percent-encodes what must be encoded (spaces, non-ASCII) and leaves existing escapes as written.
 *
 * Deliberately not done: RFC 3986 §6.2.2 also allows upper-casing escape hex digits and decoding
 * escaped unreserved characters (`%7e` → `~`). Browsers don't, so a page's own links arrive in one
 * form and the gain is small; sending exactly what a browser would is the safer default.
 */

export type NormalizeResult =
  { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string }

export interface NormalizeOptions {
  /**
   * Query parameters to remove, by name (exact, case-sensitive: query names are, RFC 3986 §6.2.2.1
   * only folds scheme and host) or by pattern tested against the decoded name, e.g. `/^utm_/`.
   */
  readonly stripQueryParams?: readonly (string | RegExp)[]
}

const FETCHABLE = new Set(['http:', 'https:'])
/** Longest input quoted back in a reason: hrefs come from arbitrary pages. */
const MAX_QUOTED = 100

function quote(text: string): string {
  return JSON.stringify(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text)
}

/**
 * Resolves `raw` (an href, a sitemap <loc>, a seed) against `base` (the page's URL, or its
 * <base href>) and returns its normal form, or why it cannot be fetched.
 */
export function normalizeUrl(raw: string, base: URL | string, opts: NormalizeOptions = {}): NormalizeResult {
  // The fragment never reaches the server (RFC 3986 §3.5): `/a#x` and `/a#y` are one resource.
  // The URL parser starts the fragment at the first `#`, so cutting the input there is the same
  // as clearing url.hash after parsing, without a second serialisation (this runs per link).
  const hash = raw.indexOf('#')
  const input = hash === -1 ? raw : raw.slice(0, hash)
  let url: URL
  try {
    url = new URL(input, base)
  } catch {
    return { ok: false, reason: `${quote(raw)} is not a valid URL` }
  }
  if (!FETCHABLE.has(url.protocol)) {
    return { ok: false, reason: `${url.protocol} links are not fetched (only http and https)` }
  }
  const strip = opts.stripQueryParams
  if (strip !== undefined && strip.length > 0 && url.search !== '') {
    url.search = stripParams(url.search.slice(1), strip)
  }
  const href = url.href
  // An empty query (`/a?`) is legal and distinct in RFC 3986, but no server we know of treats it
  // differently from none. url.search reads '' for it too, so look at the href.
  return { ok: true, url: href.endsWith('?') ? href.slice(0, -1) : href }
}

/**
 * Removes the chosen parameters and keeps every other pair byte for byte: URLSearchParams would
 * re-encode them (`%20` → `+`, `~` → `%7E`), and the server may not read those forms the same way.
 */
function stripParams(query: string, strip: readonly (string | RegExp)[]): string {
  const kept: string[] = []
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=')
    const name = decodeName(eq === -1 ? pair : pair.slice(0, eq))
    if (!strip.some((s) => matches(s, name))) kept.push(pair)
  }
  return kept.join('&')
}

function matches(rule: string | RegExp, name: string): boolean {
  if (typeof rule === 'string') return rule === name
  // A /g or /y pattern remembers where it last matched; start every test from the beginning.
  rule.lastIndex = 0
  return rule.test(name)
}

/** Names are matched decoded, as application/x-www-form-urlencoded says (`+` is a space). */
function decodeName(name: string): string {
  const spaced = name.replaceAll('+', ' ')
  try {
    return decodeURIComponent(spaced)
  } catch {
    return spaced
  }
}
