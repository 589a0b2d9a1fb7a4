import { fileURLToPath } from 'node:url'
import { assertNever } from '../../../shared/events.ts'
import type { DocumentFetcher } from './document-fetch.ts'
import { parseSitemap, readSitemapFile, SITEMAP_MAX_BYTES, type SitemapParseResult } from './sitemap.ts'

/**
 * Sitemaps as a source of seed URLs: each given sitemap (an http(s) URL fetched through the run's
 * HTTP client, or a local file) is read with sitemap.ts's caps, and a sitemap index's children are
 * read in turn. Bounded: at most `maxSitemaps` files in all (an index of indexes cannot fan out
 * without end) and index nesting at most `maxIndexDepth` deep; what is skipped is reported.
 * URLs are handed over per file as soon as it is read, so the crawl starts before the last one.
 */

export const MAX_SITEMAPS = 50
export const MAX_INDEX_DEPTH = 2
const MAX_REDIRECTS = 5

export interface SitemapSourceOptions {
  /** How http(s) sitemaps are fetched: the engine's fetcher over the run's HTTP client. */
  readonly fetch: DocumentFetcher
  readonly userAgent: string
  readonly timeoutMs: number
  readonly signal?: AbortSignal
  readonly maxSitemaps?: number
  readonly maxIndexDepth?: number
  /** The page URLs of one sitemap (normalised, deduplicated within the file). */
  readonly onUrls: (urls: readonly string[], sitemap: string) => void
  /** A problem worth telling the person (unreadable sitemap, bad entries, limits reached). */
  readonly onProblem?: (message: string) => void
}

const isHttp = (source: string): boolean => /^https?:\/\//i.test(source)

/** Reads every sitemap; resolves when all are done (failures are reported, never thrown). */
export async function loadSitemaps(sources: readonly string[], options: SitemapSourceOptions): Promise<void> {
  const maxSitemaps = options.maxSitemaps ?? MAX_SITEMAPS
  const maxDepth = options.maxIndexDepth ?? MAX_INDEX_DEPTH
  const queue = sources.map((source) => ({ source, depth: 0 }))
  const done = new Set<string>()
  const problem = options.onProblem ?? (() => undefined)
  let read = 0
  while (queue.length > 0) {
    if (options.signal?.aborted) return
    const next = queue.shift()
    if (!next || done.has(next.source)) continue
    done.add(next.source)
    if (read >= maxSitemaps) {
      problem(`More than ${maxSitemaps} sitemaps: ${next.source} and ${queue.length} more were not read.`)
      return
    }
    read++
    let parsed: SitemapParseResult
    try {
      parsed = isHttp(next.source)
        ? await fetchSitemap(next.source, options)
        : await readSitemapFile(next.source.startsWith('file:') ? fileURLToPath(next.source) : next.source)
    } catch (error) {
      problem(error instanceof Error ? error.message : String(error))
      continue
    }
    // The parser's messages say where in the file; which file is said here. Five are enough to see
    // what is wrong with it; the rest are counted.
    for (const message of parsed.errors.slice(0, 5)) problem(`${next.source}: ${message}`)
    if (parsed.errors.length > 5)
      problem(`${next.source}: ${parsed.errors.length - 5} more problems like these were skipped.`)
    if (parsed.kind === 'index') {
      if (next.depth >= maxDepth) {
        problem(`${next.source}: a sitemap index nested deeper than ${maxDepth}; its sitemaps were not read.`)
        continue
      }
      for (const url of parsed.urls) queue.push({ source: url, depth: next.depth + 1 })
    } else if (parsed.urls.length > 0) {
      options.onUrls(parsed.urls, next.source)
    }
  }
}

/** GET with up to five redirects; the body is read to the 50 MB cap (one byte more tells it was bigger). */
async function fetchSitemap(url: string, options: SitemapSourceOptions): Promise<SitemapParseResult> {
  const fetched = await options.fetch({
    url,
    accept: 'application/xml, text/xml, text/plain, */*;q=0.1',
    userAgent: options.userAgent,
    maxBytes: SITEMAP_MAX_BYTES + 1,
    maxRedirects: MAX_REDIRECTS,
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {})
  })
  switch (fetched.kind) {
    case 'body':
      return parseSitemap(fetched.bytes, { sitemapUrl: url })
    case 'status':
      throw new Error(`Sitemap ${url}: HTTP ${fetched.status}.`)
    case 'failed':
      if (fetched.status !== undefined)
        throw new Error(`Sitemap ${url}: HTTP ${fetched.status}, not followed.`)
      throw new Error(`Sitemap ${url} could not be fetched: ${fetched.detail}.`)
    default:
      return assertNever(fetched, 'fetched document')
  }
}
