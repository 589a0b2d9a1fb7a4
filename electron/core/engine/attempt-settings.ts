import type { LiveSettings, RunConfig } from '../../../shared/config.ts'
import type { LinkExtractorOptions } from '../crawl/link-extractor.ts'
import type { AttemptSettings } from './attempt.ts'

/**
 * An attempt's settings, built once per live settings change rather than per attempt: attempts
 * start thousands of times a second. A page whose links are wanted gets the same settings with
 * the frontier's link options, also built once per change.
 */
export class AttemptSettingsCache {
  readonly #config: RunConfig
  readonly #checkRedirect: AttemptSettings['checkRedirect']
  #base: { readonly for: LiveSettings; readonly value: AttemptSettings } | null = null
  #withLinks: {
    readonly for: AttemptSettings
    readonly links: LinkExtractorOptions
    readonly value: AttemptSettings
  } | null = null

  constructor(config: RunConfig, checkRedirect: AttemptSettings['checkRedirect']) {
    this.#config = config
    this.#checkRedirect = checkRedirect
  }

  get method(): RunConfig['method'] {
    return this.#config.method
  }

  for(settings: LiveSettings, links: LinkExtractorOptions | null): AttemptSettings {
    const base = this.#baseFor(settings)
    if (links === null) return base
    if (this.#withLinks?.for !== base || this.#withLinks.links !== links) {
      this.#withLinks = { for: base, links, value: { ...base, links } }
    }
    return this.#withLinks.value
  }

  #baseFor(s: LiveSettings): AttemptSettings {
    if (this.#base?.for === s) return this.#base.value
    const c = this.#config
    const value: AttemptSettings = {
      method: c.method,
      headers: { 'user-agent': c.userAgent, 'accept-encoding': 'gzip, deflate, br', ...c.headers },
      connectTimeoutMs: s.connectTimeoutMs,
      headersTimeoutMs: s.headersTimeoutMs,
      bodyTimeoutMs: s.bodyTimeoutMs,
      totalTimeoutMs: s.totalTimeoutMs,
      maxRedirects: c.maxRedirects,
      maxBodyBytes: c.maxBodyBytes,
      retryStatuses: s.retryStatuses,
      links: null,
      checkRedirect: this.#checkRedirect
    }
    this.#base = { for: s, value }
    return value
  }
}
