import type { SettingsMark } from '../../../shared/api.ts'
import type { LiveSettings, RunConfig } from '../../../shared/config.ts'
import type { RunFlags, StoredRun } from '../store/index.ts'
import { markup, joinHtml, type SafeHtml } from './html-escape.ts'
import { formatBytes, formatCount, formatDuration } from './report-format.ts'

/**
 * The settings a run used, labelled as the settings form labels them, with units; the changes
 * made while it ran (concurrency turned up, say) listed with when they happened.
 */

type Unit = 'ms' | 'requests' | 'times' | 'hops' | 'bytes'

interface SettingSpec {
  readonly label: string
  readonly group: 'Concurrency' | 'Timeouts' | 'Retries' | 'Request' | 'Connection'
  readonly unit?: Unit
}

/** Every RunConfig key (the type makes a new setting fail to compile until it is listed here). */
export const SETTING_SPECS: Readonly<Record<keyof RunConfig, SettingSpec>> = {
  concurrency: { label: 'Concurrency', group: 'Concurrency', unit: 'requests' },
  perHostConcurrency: { label: 'Per host', group: 'Concurrency', unit: 'requests' },
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
  method: { label: 'Method', group: 'Request' },
  maxRedirects: { label: 'Max redirects', group: 'Request', unit: 'hops' },
  maxBodyBytes: { label: 'Max body', group: 'Request', unit: 'bytes' },
  userAgent: { label: 'User agent', group: 'Request' },
  headers: { label: 'Extra headers', group: 'Request' },
  dnsCacheTtlMs: { label: 'DNS cache', group: 'Connection', unit: 'ms' },
  keepAliveTimeoutMs: { label: 'Keep-alive', group: 'Connection', unit: 'ms' }
}

const GROUPS = ['Concurrency', 'Timeouts', 'Retries', 'Request', 'Connection'] as const

/** A setting's value as text, with its unit. */
export function settingText(key: keyof RunConfig, value: unknown): string {
  const unit = SETTING_SPECS[key].unit
  if (typeof value === 'number') {
    if (unit === 'bytes')
      return value >= 1024 ? `${formatCount(value)} bytes (${formatBytes(value)})` : `${value} bytes`
    return unit === undefined ? formatCount(value) : `${formatCount(value)} ${unit}`
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(String).join(', ')
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
    return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}: ${String(v)}`).join('\n')
  }
  return String(value)
}

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

function settingRow(key: keyof RunConfig, config: RunConfig, final: LiveSettings | null): SafeHtml {
  const start = config[key]
  const end = final !== null && key in final ? (final as Readonly<Record<string, unknown>>)[key] : start
  const changed = !sameValue(start, end)
  const after = changed && markup` → ${settingText(key, end)} <small class="muted">(at the end)</small>`
  // No whitespace inside the value cell: it keeps line breaks (extra headers, one per line).
  return markup`<tr data-setting="${key}"><td>${SETTING_SPECS[key].label}</td><td class="mono pre">${settingText(key, start)}${after}</td></tr>`
}

/** "concurrency 50 → 80" for each setting a mark changed, at its time since the run started. */
export function markText(mark: SettingsMark, startedAt: number): string {
  const changes = Object.entries(mark.changed).map(([key, value]) => {
    const spec = (SETTING_SPECS as Readonly<Record<string, SettingSpec | undefined>>)[key]
    return spec ? `${spec.label} ${settingText(key as keyof RunConfig, value)}` : `${key} ${String(value)}`
  })
  return `${formatDuration(Math.max(0, mark.at - startedAt))} in: ${changes.join('; ')}`
}

function flagText(flags: RunFlags): string[] {
  return Object.entries(flags).map(([key, value]) => `${key}: ${value === null ? '–' : String(value)}`)
}

export function settingsSection(run: StoredRun): SafeHtml {
  const keys = Object.keys(SETTING_SPECS) as (keyof RunConfig)[]
  const tables = GROUPS.map((group) => {
    const rows = keys
      .filter((k) => SETTING_SPECS[k].group === group)
      .map((k) => settingRow(k, run.config, run.settings))
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
