import { Parser } from 'htmlparser2'
import { normalizeUrl, UrlBase, type NormalizeMemo, type NormalizeOptions } from './normalize-url.ts'

/**
 * Streaming link extraction: feed decoded HTML text as it arrives (`write` per body chunk, then
 * `end`), never the whole body at once. htmlparser2 tokenizes across chunk boundaries, decodes
 * entities in attribute values (`&amp;`), and lower-cases tag and attribute names.
 *
 * Which links: <a href>, <area href>, <link href> whose rel says it is another page (alternate,
 * next, prev; not an alternate stylesheet), and <iframe src>/<frame src> when asked.
 *
 * Resolution follows the HTML spec (https://html.spec.whatwg.org/#document-base-url): the base is
 * the first <base> element with an href, in tree order, resolved against the page URL, and it
 * applies to every link in the document, including links that come before it in the markup.
 * So raw hrefs are kept until `end` and resolved then; only the distinct raw strings are kept,
 * up to `maxLinks`, which bounds memory whatever the page holds.
 *
 * nofollow: `rel=nofollow` on the link, or `<meta name=robots content=nofollow|none>` anywhere in
 * the page for every link (https://developers.google.com/search/docs/crawling-indexing/robots-meta-tag).
 * `noindex` is noted for the caller; it does not stop links being followed.
 */

export interface ExtractedLink {
  readonly url: string
  readonly nofollow: boolean
}

export interface MetaRobots {
  readonly noindex: boolean
  readonly nofollow: boolean
}

export interface ExtractedLinks {
  /** Distinct normalised URLs in first-seen order; nofollow only when every link to it says so. */
  readonly links: readonly ExtractedLink[]
  /** The document base URL when a <base href> set it, else null (links resolve against the page). */
  readonly baseHref: string | null
  readonly metaRobots: MetaRobots
  /** Distinct hrefs past maxLinks, not kept. */
  readonly dropped: number
  /**
   * Hrefs skipped: each empty or fragment-only one (it names this page), and each distinct one
   * with a non-http(s) scheme or that is no valid URL.
   */
  readonly ignored: number
}

export interface LinkExtractorOptions extends NormalizeOptions {
  /** Distinct hrefs kept per page; more are counted in `dropped`. */
  readonly maxLinks?: number
  /** Follow <iframe src> and <frame src> too (their documents are pages of the site). */
  readonly includeFrames?: boolean
  /**
   * A run's memo for hrefs that resolve alike on every page (built with the same stripQueryParams
   * as given here): the crawl's pages share their navigation links.
   */
  readonly memo?: NormalizeMemo
}

export const DEFAULT_MAX_LINKS_PER_PAGE = 10_000

/** <link rel> values naming another page worth crawling (HTML spec link types). */
const PAGE_RELS = new Set(['alternate', 'next', 'prev'])
/** ASCII whitespace, as the HTML spec splits rel and the robots meta content on. */
const SPACES = /[\t\n\f\r ]+/

function relTokens(rel: string | undefined): readonly string[] {
  return rel === undefined ? [] : rel.toLowerCase().split(SPACES)
}

export class LinkExtractor {
  /** The page's URL as given (a copy: the caller's URL object may change later). */
  readonly #pageHref: string
  readonly #maxLinks: number
  readonly #includeFrames: boolean
  readonly #normalize: NormalizeOptions
  readonly #memo: NormalizeMemo | null
  readonly #parser: Parser
  /** Raw href → nofollow on every occurrence so far. */
  readonly #hrefs = new Map<string, boolean>()
  #baseHref: string | null = null
  #sawBase = false
  #noindex = false
  #nofollowAll = false
  #dropped = 0
  #ignored = 0
  #ended = false

  constructor(pageUrl: URL | string, opts: LinkExtractorOptions = {}) {
    this.#pageHref = typeof pageUrl === 'string' ? new URL(pageUrl).href : pageUrl.href
    this.#maxLinks = opts.maxLinks ?? DEFAULT_MAX_LINKS_PER_PAGE
    this.#includeFrames = opts.includeFrames ?? false
    this.#normalize = opts.stripQueryParams === undefined ? {} : { stripQueryParams: opts.stripQueryParams }
    this.#memo = opts.memo ?? null
    if (this.#memo && this.#memo.options.stripQueryParams !== opts.stripQueryParams) {
      throw new Error('LinkExtractor: the memo was built for other normalisation options')
    }
    this.#parser = new Parser(
      {
        onopentag: (name, attribs) => {
          this.#tag(name, attribs)
        }
      },
      { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true }
    )
  }

  /** Feeds the next piece of decoded body text; tags may be split across pieces. */
  write(chunk: string): void {
    if (this.#ended) throw new Error('LinkExtractor.write after end')
    this.#parser.write(chunk)
  }

  /** Flushes the parser and resolves every link against the document base URL. */
  end(): ExtractedLinks {
    if (this.#ended) throw new Error('LinkExtractor.end called twice')
    this.#ended = true
    this.#parser.end()
    const base = new UrlBase(this.#baseHref ?? this.#pageHref)
    // Built in place (no Array.from over map entries afterwards): this runs for every fetched page.
    const byUrl = new Map<string, { url: string; nofollow: boolean }>()
    const links: { url: string; nofollow: boolean }[] = []
    for (const [href, nofollow] of this.#hrefs) {
      const result = this.#memo ? this.#memo.normalize(href, base) : normalizeUrl(href, base, this.#normalize)
      if (!result.ok) {
        this.#ignored++
        continue
      }
      const follow = !(nofollow || this.#nofollowAll)
      const link = byUrl.get(result.url)
      if (link === undefined) {
        const added = { url: result.url, nofollow: !follow }
        byUrl.set(result.url, added)
        links.push(added)
      } else if (follow) link.nofollow = false
    }
    return {
      links,
      baseHref: this.#baseHref,
      metaRobots: { noindex: this.#noindex, nofollow: this.#nofollowAll },
      dropped: this.#dropped,
      ignored: this.#ignored
    }
  }

  #tag(name: string, attribs: Record<string, string>): void {
    switch (name) {
      case 'a':
      case 'area':
        this.#add(attribs['href'], relTokens(attribs['rel']).includes('nofollow'))
        return
      case 'link': {
        const rels = relTokens(attribs['rel'])
        if (rels.some((r) => PAGE_RELS.has(r)) && !rels.includes('stylesheet')) {
          this.#add(attribs['href'], rels.includes('nofollow'))
        }
        return
      }
      case 'iframe':
      case 'frame':
        if (this.#includeFrames) this.#add(attribs['src'], false)
        return
      case 'base':
        this.#base(attribs['href'])
        return
      case 'meta':
        this.#meta(attribs)
        return
    }
  }

  #add(href: string | undefined, nofollow: boolean): void {
    if (href === undefined) return
    const trimmed = href.trim()
    // An empty href or a bare fragment points at this page (and its fragment never reaches the server).
    if (trimmed === '' || trimmed.startsWith('#')) {
      this.#ignored++
      return
    }
    const seen = this.#hrefs.get(trimmed)
    if (seen !== undefined) {
      if (seen && !nofollow) this.#hrefs.set(trimmed, false)
      return
    }
    if (this.#hrefs.size >= this.#maxLinks) {
      this.#dropped++
      return
    }
    this.#hrefs.set(trimmed, nofollow)
  }

  /** Only the first <base> with an href counts; one that fails to parse leaves the page URL as base. */
  #base(href: string | undefined): void {
    if (href === undefined || this.#sawBase) return
    this.#sawBase = true
    const resolved = URL.parse(href.trim(), this.#pageHref)
    if (resolved !== null) this.#baseHref = resolved.href
  }

  #meta(attribs: Record<string, string>): void {
    if (attribs['name']?.trim().toLowerCase() !== 'robots') return
    for (const token of (attribs['content'] ?? '').toLowerCase().split(/[\t\n\f\r ,]+/)) {
      if (token === 'nofollow' || token === 'none') this.#nofollowAll = true
      if (token === 'noindex' || token === 'none') this.#noindex = true
    }
  }
}

/** One-shot convenience over LinkExtractor for a body already in memory. */
export function extractLinks(
  html: string,
  pageUrl: URL | string,
  opts: LinkExtractorOptions = {}
): ExtractedLinks {
  const extractor = new LinkExtractor(pageUrl, opts)
  extractor.write(html)
  return extractor.end()
}
