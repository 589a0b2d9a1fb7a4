import type { RequestFailure } from '../../../shared/errors.ts'
import type { RobotsStatusEvent } from '../../../shared/events.ts'
import type { DocumentFetcher } from './document-fetch.ts'
import { RobotsCache, robotsFailure, robotsOrigin, type RobotsVerdict } from './robots.ts'
import type { Unstamped } from './url-frontier.ts'

/**
 * robots.txt as the engine meets it (RFC 9309): before a URL's first attempt, and before each
 * redirect is followed (the rules apply to every URL fetched, a redirect's target included). The
 * first URL on an origin reads its robots.txt (once; concurrent askers share the fetch, see
 * RobotsCache); until then its host takes one request at a time, since the file may set a
 * Crawl-delay. Reading it applies what it says through the ports: the Crawl-delay to pacing, the
 * status to the hosts view, its sitemaps to the frontier (when the run reads them).
 */

export interface RobotsGatePorts {
  /** robots.txt is fetched over the run's HTTP client. */
  readonly fetch: DocumentFetcher
  readonly emit: (event: Unstamped<RobotsStatusEvent>) => void
  /** The host's robots.txt was read: pace it by this Crawl-delay (null: none). */
  readonly crawlDelay: (host: string, crawlDelayMs: number | null) => void
  /** The host may now take more than one request at a time. */
  readonly hostReady: (host: string) => void
  /** Sitemaps an origin's robots.txt lists, once per origin (only when the run reads them). */
  readonly sitemaps: (urls: readonly string[]) => void
}

export interface RobotsGateOptions {
  readonly userAgent: string
  /** Read the sitemaps robots.txt lists (robotsSitemaps). */
  readonly readSitemaps: boolean
  readonly ports: RobotsGatePorts
}

/** May the URL be fetched: yes, or the ROBOTS_DISALLOWED failure to record as its result. */
export type RobotsAnswer =
  { readonly allowed: true } | { readonly allowed: false; readonly failure: RequestFailure }

const ALLOWED_ANSWER: RobotsAnswer = Object.freeze({ allowed: true })

const answerOf = (verdict: RobotsVerdict): RobotsAnswer =>
  verdict.allowed ? ALLOWED_ANSWER : { allowed: false, failure: robotsFailure(verdict) }

export class RobotsGate {
  readonly #cache: RobotsCache
  readonly #ports: RobotsGatePorts
  readonly #readSitemaps: boolean
  /** Hosts whose robots.txt has been read. */
  readonly #known = new Set<string>()
  readonly #labels = new Map<string, string>()
  readonly #sitemapsRead = new Set<string>()
  #cancelled = false

  constructor(options: RobotsGateOptions) {
    this.#cache = new RobotsCache({ userAgent: options.userAgent, fetch: options.ports.fetch })
    this.#ports = options.ports
    this.#readSitemaps = options.readSitemaps
  }

  /** A host's own limit: 1 until its robots.txt is read (it may set a Crawl-delay), then none. */
  hostLimit(host: string): number {
    return this.#known.has(host) ? Number.POSITIVE_INFINITY : 1
  }

  /** The answer when the origin's robots.txt is at hand; null when it has to be read first. */
  answer(url: URL): RobotsAnswer | null {
    const verdict = this.#cache.verdict(url)
    return verdict === null ? null : answerOf(verdict)
  }

  /** Reads the origin's robots.txt (once; concurrent askers share the fetch), applies it, and answers. */
  async read(url: URL, host: string): Promise<RobotsAnswer> {
    const origin = robotsOrigin(url)
    let verdict: RobotsVerdict
    try {
      verdict = await this.#cache.check(url.href)
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      verdict = { allowed: false, rule: '', line: 0, message: `robots.txt could not be checked: ${detail}` }
    }
    if (this.#cancelled) return answerOf(verdict)
    this.#known.add(host)
    const crawlDelayMs = this.#cache.crawlDelayMs(origin)
    this.#ports.crawlDelay(host, crawlDelayMs)
    const label = this.#cache.status(origin).label
    if (this.#labels.get(origin) !== label) {
      this.#labels.set(origin, label)
      this.#ports.emit({ kind: 'robots-status', origin, label, crawlDelayMs })
    }
    if (this.#readSitemaps && !this.#sitemapsRead.has(origin)) {
      this.#sitemapsRead.add(origin)
      const sitemaps = this.#cache.sitemaps(origin)
      if (sitemaps.length > 0) this.#ports.sitemaps(sitemaps)
    }
    this.#ports.hostReady(host)
    return answerOf(verdict)
  }

  /** Asked before a redirect is followed: ROBOTS_DISALLOWED stops the attempt before the target is requested. */
  readonly checkRedirect = async (target: URL): Promise<RequestFailure | null> => {
    let verdict: RobotsVerdict
    try {
      verdict = this.#cache.verdict(target.href) ?? (await this.#cache.check(target.href))
    } catch {
      return null
    }
    if (verdict.allowed) return null
    const failure = robotsFailure(verdict)
    return { ...failure, message: `Redirected to ${target.href}: ${failure.message}` }
  }

  /** The run was cancelled: fetches in flight end, and nothing more is applied. */
  cancel(): void {
    this.#cancelled = true
    this.#cache.cancel()
  }
}
