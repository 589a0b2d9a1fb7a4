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
 * `scheme://…`: the URL parser takes the authority straight after the scheme and never looks at
 * the base (scheme state, then the authority states), so such a href is parsed without one. Only
 * when it is written exactly so: leading spaces, or a tab or newline inside the prefix, go the
 * general way.
 */
const WITH_AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//
const SLASH = 0x2f
/**
 * `/` and then only characters the parser copies unchanged into an http(s) path and query: none it
 * percent-encodes (space, quotes, `<>`, `` ` ``, `{}`, `^`, `|`, non-ASCII, controls), removes (tab,
 * newline), or reads as a separator (`\`, `#`); and not `//` (another host).
 */
const PLAIN_ROOT_RELATIVE = /^\/(?!\/)[A-Za-z0-9\-._~!$&()*+,;=:@%/?]*$/
/** A segment that may be `.` or `..` (`%2e` counts as a dot): those are resolved, so not plain. */
const DOT_SEGMENT_START = /\/(?:\.|%2e)/i

/**
 * A base URL prepared once for resolving many hrefs against it: a page has tens to thousands of
 * links, and `new URL(href, base)` parses the base again on every call. Besides the base's href it
 * keeps its root (`scheme://host:port/`): a href starting with `/` (path-absolute, or
 * protocol-relative) takes only the base's scheme, credentials, host and port (the parser's
 * relative-slash state), so resolving it against the short root gives the same URL for less work.
 * A base with credentials, or one that is not http(s), keeps the full href for those too.
 */
export class UrlBase {
  /** What a href is resolved against: the base's href, or the text given when it does not parse. */
  readonly href: string
  /** `scheme://host[:port]/`, or null when the base is unusable for the shortcuts. */
  readonly #root: string | null
  /** Whether the base parses (a `scheme://` href is then resolved without it). */
  readonly #valid: boolean

  constructor(base: URL | string) {
    const url = typeof base === 'string' ? URL.parse(base) : base
    this.href = url === null ? (base as string) : url.href
    this.#valid = url !== null
    this.#root =
      url !== null && FETCHABLE.has(url.protocol) && url.username === '' && url.password === ''
        ? `${url.protocol}//${url.host}/`
        : null
  }

  /**
   * Which resolutions of `raw` against this base are alike, for NormalizeMemo: '' when the base
   * does not matter (`scheme://…`), the root when only it does (`/…`), null otherwise.
   */
  memoScope(raw: string): string | null {
    if (this.#root !== null && raw.charCodeAt(0) === SLASH) return this.#root
    if (this.#valid && WITH_AUTHORITY.test(raw)) return ''
    return null
  }

  /**
   * The normal form of `input` (no fragment) when it is written so plainly that the URL parser
   * would take it as it is: a root-relative `/path`, or an absolute URL starting with this base's
   * root exactly as the parser writes it (`http://host:port/`; any other spelling is parsed).
   * Null when it is not that plain.
   */
  plain(input: string): string | null {
    const root = this.#root
    if (root === null) return null
    let path: string
    if (input.charCodeAt(0) === SLASH) path = input
    else if (input.startsWith(root)) path = input.slice(root.length - 1)
    else return null
    if (!PLAIN_ROOT_RELATIVE.test(path) || DOT_SEGMENT_START.test(path)) return null
    return `${root}${path.slice(1)}`
  }

  /** The base to parse `input` against (undefined: none needed). */
  for(input: string): string | undefined {
    if (this.#root !== null && input.charCodeAt(0) === SLASH) return this.#root
    if (this.#valid && WITH_AUTHORITY.test(input)) return undefined
    return this.href
  }
}

/**
 * Resolves `raw` (an href, a sitemap <loc>, a seed) against `base` (the page's URL, or its
 * <base href>) and returns its normal form, or why it cannot be fetched. Pass a UrlBase when
 * resolving many against one base.
 */
export function normalizeUrl(
  raw: string,
  base: URL | string | UrlBase,
  opts: NormalizeOptions = {}
): NormalizeResult {
  // The fragment never reaches the server (RFC 3986 §3.5): `/a#x` and `/a#y` are one resource.
  // The URL parser starts the fragment at the first `#`, so cutting the input there is the same
  // as clearing url.hash after parsing, without a second serialisation (this runs per link).
  const hash = raw.indexOf('#')
  const input = hash === -1 ? raw : raw.slice(0, hash)
  const strip = opts.stripQueryParams
  const stripping = strip !== undefined && strip.length > 0
  // A URL object is a valid base already; a string is passed on as given (the parser judges it).
  let against: string | undefined
  if (base instanceof UrlBase) {
    // Most links on a site are `/path` or this origin's URLs written plainly: no parse for those.
    const plain = stripping && input.includes('?') ? null : base.plain(input)
    if (plain !== null) return { ok: true, url: plain.endsWith('?') ? plain.slice(0, -1) : plain }
    against = base.for(input)
  } else if (typeof base === 'string') against = base
  else against = WITH_AUTHORITY.test(input) ? undefined : base.href
  const url = URL.parse(input, against)
  if (url === null) return { ok: false, reason: `${quote(raw)} is not a valid URL` }
  if (!FETCHABLE.has(url.protocol)) {
    return { ok: false, reason: `${url.protocol} links are not fetched (only http and https)` }
  }
  if (stripping && url.search !== '') {
    url.search = stripParams(url.search.slice(1), strip)
  }
  const href = url.href
  // An empty query (`/a?`) is legal and distinct in RFC 3986, but no server we know of treats it
  // differently from none. url.search reads '' for it too, so look at the href.
  return { ok: true, url: href.endsWith('?') ? href.slice(0, -1) : href }
}

/**
 * A run's memo of normalised hrefs that resolve alike from every page of an origin: absolute
 * (`scheme://…`) and root-relative (`/…`) ones, which is what site-wide navigation, breadcrumbs and
 * footers are written as, so the same few hundred hrefs come back on every page. A hit costs a map
 * lookup instead of a URL parse. Bounded, first come: once `maxEntries` hrefs are kept it only
 * answers. Site-wide links are on the first pages too, so they are in by then; starting afresh
 * instead would churn long-lived garbage (measured: 60–150 MB more peak RSS on a 50,000-page crawl).
 * Results depend on the options, so one memo serves one set of them.
 */
export class NormalizeMemo {
  readonly #opts: NormalizeOptions
  readonly #maxEntries: number
  /** memoScope (the base's root, or '' for absolute hrefs) → raw href → result. */
  readonly #byScope = new Map<string, Map<string, NormalizeResult>>()
  #entries = 0

  constructor(opts: NormalizeOptions = {}, maxEntries = 10_000) {
    this.#opts = opts
    this.#maxEntries = maxEntries
  }

  get options(): NormalizeOptions {
    return this.#opts
  }

  get size(): number {
    return this.#entries
  }

  /** normalizeUrl(raw, base, options), remembered where the page path cannot matter. */
  normalize(raw: string, base: UrlBase): NormalizeResult {
    const scope = base.memoScope(raw)
    if (scope === null) return normalizeUrl(raw, base, this.#opts)
    let known = this.#byScope.get(scope)
    const hit = known?.get(raw)
    if (hit !== undefined) return hit
    const result = normalizeUrl(raw, base, this.#opts)
    if (this.#entries >= this.#maxEntries) return result
    if (known === undefined) {
      known = new Map()
      this.#byScope.set(scope, known)
    }
    // Copies (a string built and cut is a new string): an href, and a URL the parser found already
    // normal, is often a slice of a whole body chunk, which the memo would otherwise keep alive.
    known.set(` ${raw}`.slice(1), result.ok ? { ok: true, url: ` ${result.url}`.slice(1) } : result)
    this.#entries++
    return result
  }
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
