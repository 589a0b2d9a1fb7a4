import type { SettingsMark } from '../../../shared/api.ts'
import type { RunFlags, StoredRun } from '../store/index.ts'
import { markup, joinHtml, type SafeHtml } from './html-escape.ts'
import { formatBytes, formatCount, formatDuration } from './report-format.ts'

/**
 * The settings a run used, labelled as the settings form labels them, with units; the changes
 * made while it ran (concurrency turned up, say) listed with when they happened.
 */

interface SettingSpec {
  readonly label: string
  readonly group: (typeof GROUPS)[number]
  /** Written after a number: "50 requests", "10,000 ms". */
  readonly unit?: string
}

const GROUPS = [
  'Concurrency',
  'Timeouts',
  'Retries',
  'Request',
  'Connection',
  'Spider',
  'Pacing',
  'Other'
] as const

/**
 * Labels as the settings form shows them. Keyed by name rather than typed against RunConfig, so a
 * stored run made by an older or newer build still reports every setting it has: one not listed
 * here is labelled from its name (see settingSpec).
 */
export const SETTING_SPECS: Readonly<Record<string, SettingSpec>> = {
  concurrency: { label: 'Concurrency', group: 'Concurrency', unit: 'requests' },
  perHostConcurrency: { label: 'Per host', group: 'Concurrency', unit: 'requests' },
  adaptiveConcurrency: { label: 'Adaptive per host', group: 'Concurrency' },
  connectTimeoutMs: { label: 'Connect timeout', group: 'Timeouts', unit: 'ms' },
  headersTimeoutMs: { label: 'Headers timeout', group: 'Timeouts', unit: 'ms' },
  bodyTimeoutMs: { label: 'Body idle timeout', group: 'Timeouts', unit: 'ms' },
  totalTimeoutMs: { label: 'Total timeout', group: 'Timeouts', unit: 'ms' },
  retries: { label: 'Retries', group: 'Retries', unit: 'times' },
  backoffBaseMs: { label: 'Backoff base', group: 'Retries', unit: 'ms' },
  backoffMaxMs: { label: 'Backoff cap', group: 'Retries', unit: 'ms' },
  retryStatuses: { label: 'Retry statuses', group: 'Retries' },
  respectRetryAfter: { label: 'Honour Retry-After', group: 'Retries' },
  retryAfterMaxMs: { label: 'Retry-After cap', group: 'Retries', unit: 'ms' },
  failureSafeguardPercent: { label: 'Pause when failing', group: 'Retries', unit: '% of recent results' },
  method: { label: 'Method', group: 'Request' },
  maxRedirects: { label: 'Max redirects', group: 'Request', unit: 'hops' },
  maxBodyBytes: { label: 'Max body', group: 'Request', unit: 'bytes' },
  userAgent: { label: 'User agent', group: 'Request' },
  headers: { label: 'Extra headers', group: 'Request' },
  dnsCacheTtlMs: { label: 'DNS cache', group: 'Connection', unit: 'ms' },
  keepAliveTimeoutMs: { label: 'Keep-alive', group: 'Connection', unit: 'ms' },
  mode: { label: 'Mode', group: 'Spider' },
  maxDepth: { label: 'Max depth', group: 'Spider', unit: 'links' },
  maxPages: { label: 'Max pages', group: 'Spider', unit: 'pages' },
  perHostBudget: { label: 'Pages per host', group: 'Spider', unit: 'pages' },
  scope: { label: 'Scope', group: 'Spider' },
  includePatterns: { label: 'Include patterns', group: 'Spider' },
  excludePatterns: { label: 'Exclude patterns', group: 'Spider' },
  stripQueryParams: { label: 'Strip query parameters', group: 'Spider' },
  maxVariantChain: { label: 'Query variant chain', group: 'Spider', unit: 'pages' },
  maxVariantsPerPath: { label: 'Query variants per path', group: 'Spider', unit: 'URLs' },
  maxUrlLength: { label: 'Max URL length', group: 'Spider', unit: 'chars' },
  followNofollow: { label: 'Follow nofollow links', group: 'Spider' },
  respectRobots: { label: 'Honour robots.txt', group: 'Spider' },
  sitemapUrls: { label: 'Sitemaps', group: 'Spider' },
  robotsSitemaps: { label: 'Sitemaps from robots.txt', group: 'Spider' },
  perHostMinDelayMs: { label: 'Delay per host', group: 'Pacing', unit: 'ms' },
  perHostMaxRequestsPerSecond: { label: 'Rate per host', group: 'Pacing', unit: 'req/s' },
  maxCrawlDelayMs: { label: 'Crawl-delay cap', group: 'Pacing', unit: 'ms' }
}

/** "maxCrawlDelayMs" → "Max crawl delay" in ms: a setting this build has no label for. */
export function settingSpec(key: string): SettingSpec {
  const known = SETTING_SPECS[key]
  if (known !== undefined) return known
  const suffix = /(Ms|Bytes|Percent)$/.exec(key)?.[1]
  const unit = suffix === 'Ms' ? 'ms' : suffix === 'Bytes' ? 'bytes' : suffix === 'Percent' ? '%' : undefined
  const words = key
    .slice(0, suffix === undefined ? key.length : key.length - suffix.length)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
  const label = words.charAt(0).toUpperCase() + words.slice(1)
  return unit === undefined ? { label, group: 'Other' } : { label, group: 'Other', unit }
}

/** A setting's value as text, with its unit. */
export function settingText(key: string, value: unknown): string {
  const unit = settingSpec(key).unit
  if (typeof value === 'number') {
    if (unit === 'bytes')
      return value >= 1024 ? `${formatCount(value)} bytes (${formatBytes(value)})` : `${value} bytes`
    const n = Number.isInteger(value) ? formatCount(value) : String(value)
    return unit === undefined ? n : `${n} ${unit}`
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'string') return value
  if (value === null || value === undefined) return 'none'
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(String).join(', ')
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
    return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}: ${String(v)}`).join('\n')
  }
  return typeof value === 'bigint' ? value.toString() : '–'
}

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

type Settings = Readonly<Record<string, unknown>>

function settingRow(key: string, config: Settings, final: Settings | null): SafeHtml {
  const start = config[key]
  const end = final !== null && key in final ? final[key] : start
  const changed = !sameValue(start, end)
  const after = changed && markup` → ${settingText(key, end)} <small class="muted">(at the end)</small>`
  // No whitespace inside the value cell: it keeps line breaks (extra headers, one per line).
  return markup`<tr data-setting="${key}"><td>${settingSpec(key).label}</td><td class="mono pre">${settingText(key, start)}${after}</td></tr>`
}

/** "concurrency 50 → 80" for each setting a mark changed, at its time since the run started. */
export function markText(mark: SettingsMark, startedAt: number): string {
  const changes = Object.entries(mark.changed).map(
    ([key, value]) => `${settingSpec(key).label} ${settingText(key, value)}`
  )
  return `${formatDuration(Math.max(0, mark.at - startedAt))} in: ${changes.join('; ')}`
}

/** Facts recorded with the run (which process drove it is not one: it has its own column). */
function flagText(flags: RunFlags): string[] {
  return Object.entries(flags).map(([key, value]) => `${key}: ${value === null ? '–' : String(value)}`)
}

export function settingsSection(run: StoredRun): SafeHtml {
  const config: Settings = run.config
  const final: Settings | null = run.settings
  // Known settings in the form's order, then any this build has no label for.
  const known = Object.keys(SETTING_SPECS).filter((k) => k in config)
  const keys = [...known, ...Object.keys(config).filter((k) => !(k in SETTING_SPECS))]
  const tables = GROUPS.map((group) => {
    const rows = keys.filter((k) => settingSpec(k).group === group).map((k) => settingRow(k, config, final))
    if (rows.length === 0) return null
    return markup`<div>
      <h3>${group}</h3>
      <table>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </div>`
  })
  const startedAt = run.startedAt ?? run.createdAt
  const marks = run.marks.map((m) => markup`<li>${markText(m, startedAt)}</li>`)
  const flags = flagText(run.flags).map((f) => markup`<li>${f}</li>`)
  return markup`<section id="settings" aria-labelledby="settings-title">
    <h2 id="settings-title">Settings used</h2>
    <div class="settings">${tables}</div>
    ${
      marks.length > 0 &&
      markup`<h3>Changed while the run went</h3>
        <ul class="changes">
          ${joinHtml(marks)}
        </ul>`
    }
    ${
      flags.length > 0 &&
      markup`<h3>About this run</h3>
        <ul class="changes">
          ${joinHtml(flags)}
        </ul>`
    }
  </section>`
}
