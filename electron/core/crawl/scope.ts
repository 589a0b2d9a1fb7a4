import { getDomain } from 'tldts'
import {
  compilePatterns,
  type CompiledPattern,
  type CompiledPatterns,
  type PatternError
} from '../../../shared/url-patterns.ts'

/**
 * Spider scope: which discovered URLs a crawl may follow. Pure; build one with createScope when the
 * run starts and ask it about every normalised URL before it enters the frontier.
 *
 * Modes:
 * - `host`: the same host and port as one of the seeds (`URL.host`: the default port is implied,
 *   so `http://a.com` and `https://a.com` are the same host, `a.com:8080` is another).
 * - `site`: the same registrable domain ("eTLD+1") as a seed, from the Public Suffix List via tldts:
 *   `www.example.co.uk` and `shop.example.co.uk` are one site. The list's private section
 *   (github.io, blogspot.com, herokuapp.com, …) is treated like public suffixes: `alice.github.io`
 *   and `bob.github.io` belong to different people, and spidering one must not walk into the
 *   other. This is also how browsers draw the site boundary for cookies. Hosts with no registrable
 *   domain (IP literals, `localhost`, single-label intranet names) are their own site, compared by
 *   host name; in this mode the port never matters.
 * - `any`: every http(s) URL; only the patterns limit it.
 *
 * Patterns are JavaScript regular expressions searched (unanchored) in the normalised URL; write
 * `^https://a\.com/docs/` to anchor. Case matters (paths are case-sensitive); use `(?i:…)` for a
 * case-insensitive part. An exclude match always wins; when includes are given, one must match.
 */

export type ScopeMode = 'host' | 'site' | 'any'

export interface ScopeOptions {
  readonly mode: ScopeMode
  readonly seeds: readonly string[]
  /** Regex sources; when any are given, a URL must match at least one. */
  readonly include: readonly string[]
  /** Regex sources; a URL matching any of them is out of scope. */
  readonly exclude: readonly string[]
  /** Longer URLs are out of scope before any pattern runs (default DEFAULT_SCOPE_MAX_URL_LENGTH). */
  readonly maxUrlLength?: number
}

export type ScopeRefusal =
  'INVALID_URL' | 'URL_TOO_LONG' | 'OTHER_HOST' | 'OTHER_SITE' | 'EXCLUDED' | 'NOT_INCLUDED'

export type ScopeVerdict =
  | { readonly inScope: true }
  | { readonly inScope: false; readonly code: ScopeRefusal; readonly reason: string }

export interface Scope {
  check(url: string): ScopeVerdict
}

/**
 * A pattern runs against every discovered URL, and JavaScript regexes backtrack without a time
 * limit. Three guards, none of them a cure:
 * - URLs over this length are refused before any pattern runs. An unanchored search for `a.*b$`
 *   costs ~n² steps on a URL of n `a`s: about 20 ms at 2,048 characters, seconds at 20,000.
 *   2,048 is also the sitemaps.org URL limit and the trap detector's default.
 * - A leading `.*` on an unanchored pattern adds a factor of n (every start position tries it)
 *   while matching nothing more, so `.*a.*b` is compiled as `^.*a.*b`: the same verdict on every
 *   URL (normalised URLs hold no line breaks for `.` to miss), a degree less work.
 * - Nested repeats (`(a+)+`), the exponential kind no length cap tames, are reported as warnings
 *   by compilePatterns so the setup form can ask for a rewrite.
 */
export const DEFAULT_SCOPE_MAX_URL_LENGTH = 2_048

export { compilePatterns, type CompiledPattern, type CompiledPatterns, type PatternError }

/** Thrown by createScope when its options cannot make a scope; `problems` lists each one. */
export class ScopeConfigError extends Error {
  readonly problems: readonly string[]
  constructor(problems: readonly string[]) {
    super(`Invalid spider scope: ${problems.join('; ')}`)
    this.name = 'ScopeConfigError'
    this.problems = problems
  }
}

/** What two URLs must share to be in the same site: the registrable domain, else the host name. */
export function siteKey(hostname: string): string {
  // `example.com.` (fully qualified) and `example.com` name the same host.
  const name = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname
  // extractHostname: false, since the input is a host name already (no URL to take apart).
  return getDomain(name, { allowPrivateDomains: true, extractHostname: false }) ?? name
}

function hostKey(url: URL): string {
  return url.hostname.endsWith('.')
    ? `${url.hostname.slice(0, -1)}${url.port ? `:${url.port}` : ''}`
    : url.host
}

function parseHttp(url: string): URL | null {
  const parsed = URL.parse(url)
  return parsed !== null && (parsed.protocol === 'http:' || parsed.protocol === 'https:') ? parsed : null
}

/**
 * Throws ScopeConfigError naming every invalid pattern or seed; validate with compilePatterns first.
 * Warnings do not stop it.
 */
export function createScope(opts: ScopeOptions): Scope {
  const include = compilePatterns(opts.include, 'Include pattern')
  const exclude = compilePatterns(opts.exclude, 'Exclude pattern')
  const problems = [...include.errors, ...exclude.errors].map((e) => e.message)
  const seeds: URL[] = []
  for (const seed of opts.seeds) {
    const parsed = parseHttp(seed)
    if (parsed === null) problems.push(`Seed ${JSON.stringify(seed)} is not an http(s) URL.`)
    else seeds.push(parsed)
  }
  if (opts.mode !== 'any' && seeds.length === 0 && problems.length === 0) {
    problems.push(`Scope "${opts.mode}" needs at least one seed URL.`)
  }
  if (problems.length > 0) throw new ScopeConfigError(problems)

  const maxUrlLength = opts.maxUrlLength ?? DEFAULT_SCOPE_MAX_URL_LENGTH
  const hosts = new Set(seeds.map(hostKey))
  const sites = new Set(seeds.map((s) => siteKey(s.hostname)))

  function modeVerdict(url: URL): ScopeVerdict | null {
    switch (opts.mode) {
      case 'any':
        return null
      case 'host':
        if (hosts.has(hostKey(url))) return null
        return { inScope: false, code: 'OTHER_HOST', reason: `${url.host} is not a seed host` }
      case 'site': {
        const site = siteKey(url.hostname)
        if (sites.has(site)) return null
        return {
          inScope: false,
          code: 'OTHER_SITE',
          reason: `${url.hostname} is outside the seed sites (site ${site})`
        }
      }
    }
  }

  return {
    check(url) {
      if (url.length > maxUrlLength) {
        return {
          inScope: false,
          code: 'URL_TOO_LONG',
          reason: `URL is ${url.length} characters, over the scope limit of ${maxUrlLength}`
        }
      }
      const parsed = parseHttp(url)
      if (parsed === null) return { inScope: false, code: 'INVALID_URL', reason: 'not an http(s) URL' }
      const byMode = modeVerdict(parsed)
      if (byMode !== null) return byMode
      const excluded = exclude.patterns.find((p) => p.regex.test(url))
      if (excluded !== undefined) {
        return {
          inScope: false,
          code: 'EXCLUDED',
          reason: `matches exclude pattern ${JSON.stringify(excluded.source)}`
        }
      }
      if (include.patterns.length > 0 && !include.patterns.some((p) => p.regex.test(url))) {
        return { inScope: false, code: 'NOT_INCLUDED', reason: 'matches no include pattern' }
      }
      return { inScope: true }
    }
  }
}
