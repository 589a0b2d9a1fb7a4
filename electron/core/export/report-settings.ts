import type { SettingsMark } from '../../../shared/api.ts'
import type { SettingGroupId, SettingSpec as TableSpec } from '../../../shared/setting-spec.ts'
import { SETTING_GROUP_IDS, SETTING_GROUPS, SETTING_KEYS, SETTINGS } from '../../../shared/settings.ts'
import type { RunFlags, StoredRun } from '../store/index.ts'
import { markup, joinHtml, type SafeHtml } from './html-escape.ts'
import { EMPTY, formatBytes, formatCount, formatDuration } from '../../../shared/format.ts'

/**
 * The settings a run used, labelled as the settings form labels them (both read the settings
 * table, shared/settings.ts), with units; the changes made while it ran (concurrency turned up,
 * say) listed with when they happened.
 */

interface SettingSpec {
  readonly label: string
  /** The settings group's title, or 'Other'. */
  readonly group: string
  /** Written after a number: "50 requests", "10,000 ms". */
  readonly unit?: string
}

/** Settings of a build that knows no label for them (an older or newer run). */
const OTHER_GROUP = 'Other'

/** General settings first, then the spider's; a group missing here still follows, before Other. */
const REPORT_GROUP_ORDER: readonly SettingGroupId[] = [
  'concurrency',
  'timeouts',
  'retries',
  'request',
  'connection',
  'scope',
  'politeness'
]

const GROUPS: readonly string[] = [
  ...[...REPORT_GROUP_ORDER, ...SETTING_GROUP_IDS.filter((id) => !REPORT_GROUP_ORDER.includes(id))].map(
    (id) => SETTING_GROUPS[id].title
  ),
  OTHER_GROUP
]

/**
 * Labels from the settings table. Keyed by name rather than typed against RunConfig, so a stored
 * run made by an older or newer build still reports every setting it has: one not listed here is
 * labelled from its name (see settingSpec).
 */
export const SETTING_SPECS: Readonly<Record<string, SettingSpec>> = Object.fromEntries(
  SETTING_KEYS.map((key) => {
    const spec: TableSpec = SETTINGS[key]
    const group = SETTING_GROUPS[spec.group].title
    return [
      key,
      spec.unit === undefined ? { label: spec.label, group } : { label: spec.label, group, unit: spec.unit }
    ]
  })
)

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
  return unit === undefined ? { label, group: OTHER_GROUP } : { label, group: OTHER_GROUP, unit }
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
  return typeof value === 'bigint' ? value.toString() : EMPTY
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
  return Object.entries(flags).map(([key, value]) => `${key}: ${value === null ? EMPTY : String(value)}`)
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
