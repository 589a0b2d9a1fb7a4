import robotsParser from 'robots-parser'

/**
 * # robots.txt rules (RFC 9309 §2.2)
 *
 * The matching itself is robots-parser's (it follows google/robotstxt): the group for our product
 * token is chosen case-insensitively, falling back to `*` (§2.2.1); groups naming the same agent
 * are merged; the longest matching pattern wins and Allow wins a tie (§2.2.2); `*` and a final
 * `$` are the only special characters (§2.2.3). This module adds what a crawler needs around it:
 * the text of the line that blocked a URL (shown with every `ROBOTS_DISALLOWED` result), a group
 * count for the hosts view, Crawl-delay in ms and absolute Sitemap URLs.
 *
 * robots.txt is per scheme and authority (§2.1, §3): http://a.example and https://a.example:8443
 * each have their own file, so everything here is keyed by the URL's origin.
 */

type Parsed = ReturnType<typeof robotsParser>

/** Why a URL may not be fetched: the blocking line and its 1-based number (0: no line, e.g. unreachable). */
export type RobotsVerdict =
  | { readonly allowed: true }
  | {
      readonly allowed: false
      /** The robots.txt line that matched, e.g. `Disallow: /private/`; or what made everything disallowed. */
      readonly rule: string
      readonly line: number
      /** One sentence for the result's failure message. */
      readonly message: string
    }

export const ALLOWED: RobotsVerdict = Object.freeze({ allowed: true })

/** Crawl-delay values beyond a day are nonsense; the pacer caps far lower anyway. */
const CRAWL_DELAY_CEILING_MS = 86_400_000
const RULE_TEXT_MAX = 200
// Split exactly as robots-parser does, so its line numbers index this array.
const NEWLINE = /\r\n|\r|\n/

/** The origin robots.txt belongs to: scheme, host and port (default ports dropped). */
export function robotsOrigin(url: string | URL): string {
  const parsed = typeof url === 'string' ? new URL(url) : url
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`robots.txt applies to http and https URLs only, not ${parsed.protocol}`)
  }
  return parsed.origin
}

/** `https://Shop.Example:443/a?b` → `https://shop.example/robots.txt` (RFC 9309 §2.3: top-level path). */
export function robotsTxtUrl(url: string | URL): string {
  return `${robotsOrigin(url)}/robots.txt`
}

/**
 * The product token robots.txt groups are matched against (RFC 9309 §2.2.1): the first product of
 * the User-Agent, lower-cased, letters, `_` and `-` only. `Crawlboard/0.1 (+https://…)` → `crawlboard`.
 */
export function productToken(userAgent: string): string {
  const match = /^\s*([A-Za-z_-]+)/.exec(userAgent)
  return match?.[1] ? match[1].toLowerCase() : '*'
}

export class RobotsRules {
  readonly origin: string
  /** User-agent groups in the file (consecutive User-agent lines start one group). */
  readonly groups: number
  readonly #parsed: Parsed
  readonly #lines: readonly string[]

  /** `origin` is the site the rules are for, even when the file was reached by a cross-origin redirect. */
  constructor(origin: string, text: string) {
    this.origin = robotsOrigin(origin)
    // TextDecoder already drops a UTF-8 BOM; text from elsewhere may still carry one.
    const body = text.startsWith('\uFEFF') ? text.slice(1) : text
    this.#parsed = robotsParser(`${this.origin}/robots.txt`, body)
    this.#lines = body.split(NEWLINE)
    this.groups = countGroups(this.#lines)
  }

  /** May `url` (on this origin) be fetched by the crawler whose product token or User-Agent is given? */
  check(url: string | URL, userAgent: string): RobotsVerdict {
    // A URL object is taken as it is: this runs once per fetched URL, and the caller parsed it already.
    const parsed = typeof url === 'string' ? new URL(url) : url
    const text = typeof url === 'string' ? url : url.href
    if (parsed.origin !== this.origin) {
      throw new Error(`${text} is not on ${this.origin}; ask the rules of its own origin`)
    }
    // RFC 9309 §2.2.2: the robots.txt URI itself is implicitly allowed.
    if (parsed.pathname === '/robots.txt') return ALLOWED
    const token = productToken(userAgent)
    if (this.#parsed.isAllowed(text, token) !== false) return ALLOWED
    const line = this.#parsed.getMatchingLineNumber(text, token)
    const rule = (this.#lines[line - 1] ?? '').trim().slice(0, RULE_TEXT_MAX)
    return {
      allowed: false,
      rule,
      line,
      message: `robots.txt of ${this.origin} disallows this URL for ${token}: "${rule}" (line ${line}).`
    }
  }

  /** Crawl-delay for this agent's group (seconds in the file, ms here); null when the group sets none. */
  crawlDelayMs(userAgent: string): number | null {
    const seconds = this.#parsed.getCrawlDelay(productToken(userAgent))
    if (seconds === undefined || !(seconds >= 0)) return null
    return Math.min(Math.round(seconds * 1000), CRAWL_DELAY_CEILING_MS)
  }

  /** Sitemap URLs the file lists (RFC 9309 §2.2.4), absolute http(s) only, without duplicates. */
  sitemaps(): readonly string[] {
    const seen = new Set<string>()
    for (const raw of this.#parsed.getSitemaps()) {
      try {
        const url = new URL(raw, `${this.origin}/robots.txt`)
        if (url.protocol === 'http:' || url.protocol === 'https:') seen.add(url.href)
      } catch {
        // A malformed Sitemap line is skipped, like any other unparsable line (§2.2.4).
      }
    }
    return [...seen]
  }
}

function countGroups(lines: readonly string[]): number {
  let groups = 0
  let inAgents = false
  for (const raw of lines) {
    const line = raw.replace(/#.*/, '')
    const colon = line.indexOf(':')
    const key = colon < 0 ? '' : line.slice(0, colon).trim().toLowerCase()
    // Lines robots-parser skips (no key) leave the group state as it was, as there.
    if (key === '') continue
    const isAgent = key === 'user-agent'
    if (isAgent && !inAgents) groups += 1
    inAgents = isAgent
  }
  return groups
}
