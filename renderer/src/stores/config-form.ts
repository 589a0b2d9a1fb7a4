import { DEFAULT_CONFIG, parseRunConfig, runConfigSchema, type RunConfig } from '../../../shared/config.ts'
import { compilePatterns } from '../../../shared/url-patterns.ts'

/**
 * The Setup form's model: every run setting as the text a person types, converted to a config
 * input and validated by the shared schema (parseRunConfig), with each error mapped back to the
 * field it is about. Pure: no React, no store.
 */

export type ConfigKey = keyof RunConfig
export type FormValues = Readonly<Record<ConfigKey, string>>
export type FieldErrors = Readonly<Partial<Record<ConfigKey, string>>>

export const CONFIG_KEYS = Object.keys(runConfigSchema.shape) as ConfigKey[]

const INTEGER_KEYS = new Set<ConfigKey>([
  'concurrency',
  'perHostConcurrency',
  'connectTimeoutMs',
  'headersTimeoutMs',
  'bodyTimeoutMs',
  'totalTimeoutMs',
  'retries',
  'backoffBaseMs',
  'backoffMaxMs',
  'retryAfterMaxMs',
  'maxRedirects',
  'maxBodyBytes',
  'dnsCacheTtlMs',
  'keepAliveTimeoutMs',
  'maxDepth',
  'maxPages',
  'maxUrlLength',
  'maxVariantsPerPath',
  'maxVariantChain',
  'perHostMinDelayMs',
  'maxCrawlDelayMs'
])

/** Numbers that may be left empty: empty means "none" (null), e.g. no per-host budget. */
const OPTIONAL_NUMBER_KEYS = new Map<ConfigKey, 'integer' | 'decimal'>([
  ['perHostBudget', 'integer'],
  ['perHostMaxRequestsPerSecond', 'decimal'],
  ['failureSafeguardPercent', 'decimal']
])

/** On/off switches, as 'on' / 'off' in the form. */
const BOOLEAN_KEYS = new Set<ConfigKey>([
  'respectRetryAfter',
  'followNofollow',
  'respectRobots',
  'robotsSitemaps',
  'adaptiveConcurrency'
])

/** Lists typed one item per line (blank lines skipped). */
const LINE_LIST_KEYS = new Set<ConfigKey>(['includePatterns', 'excludePatterns', 'sitemapUrls'])

/** Lists typed comma- or space-separated. */
const WORD_LIST_KEYS = new Set<ConfigKey>(['stripQueryParams'])

export function isIntegerKey(key: ConfigKey): boolean {
  return INTEGER_KEYS.has(key)
}

/** A config as form text: numbers as digits, statuses comma-separated, headers one per line. */
export function toFormValues(config: RunConfig): FormValues {
  const out = {} as Record<ConfigKey, string>
  for (const key of CONFIG_KEYS) {
    if (key === 'retryStatuses') out[key] = config.retryStatuses.join(', ')
    else if (key === 'headers')
      out[key] = Object.entries(config.headers)
        .map(([name, v]) => `${name}: ${v}`)
        .join('\n')
    else if (BOOLEAN_KEYS.has(key)) out[key] = config[key] === true ? 'on' : 'off'
    else if (LINE_LIST_KEYS.has(key)) out[key] = (config[key] as readonly string[]).join('\n')
    else if (WORD_LIST_KEYS.has(key)) out[key] = (config[key] as readonly string[]).join(', ')
    else {
      const value = config[key]
      out[key] = value === null ? '' : String(value)
    }
  }
  return out
}

export const DEFAULT_FORM_VALUES: FormValues = toFormValues(DEFAULT_CONFIG)

export interface FormOutcome {
  /** The validated config, or null while any field is invalid. */
  readonly config: RunConfig | null
  readonly errors: FieldErrors
  /** Errors that belong to no single field. */
  readonly general: readonly string[]
}

/** "10,000", "10 000" and "10_000" all mean 10000. */
function parseInteger(text: string): number | string {
  const cleaned = text.trim().replace(/[\s,_]/g, '')
  if (cleaned === '') return 'required'
  if (!/^-?\d+$/.test(cleaned)) return 'enter a whole number'
  return Number(cleaned)
}

/** An optional number: empty is null ("none"); otherwise a whole or decimal number. */
function parseOptionalNumber(text: string, kind: 'integer' | 'decimal'): number | null | string {
  const cleaned = text.trim().replace(/[\s,_]/g, '')
  if (cleaned === '') return null
  if (kind === 'integer' && !/^-?\d+$/.test(cleaned)) return 'enter a whole number, or leave empty'
  if (kind === 'decimal' && !/^-?(\d+\.?\d*|\.\d+)$/.test(cleaned)) return 'enter a number, or leave empty'
  return Number(cleaned)
}

const words = (text: string): string[] => text.split(/[\s,;]+/).filter((p) => p !== '')

const PATTERN_LABELS = new Map<ConfigKey, string>([
  ['includePatterns', 'Include pattern'],
  ['excludePatterns', 'Exclude pattern']
])

/**
 * Valid patterns that can take minutes on some URLs (nested repeats): still accepted, but said
 * next to the field. Empty when there is nothing to warn about.
 */
export function patternWarnings(key: ConfigKey, text: string): readonly string[] {
  const label = PATTERN_LABELS.get(key)
  if (label === undefined) return []
  return compilePatterns(nonBlankLines(text), label).warnings.map((w) => w.message)
}

const nonBlankLines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')

/** Zod's wording, said the way the form does ("Too big: expected number to be <=2000" → "at most 2,000"). */
function friendly(message: string): string {
  const big = /expected number to be <=?\s*(-?\d+)/.exec(message)
  if (message.startsWith('Too big') && big?.[1]) return `at most ${Number(big[1]).toLocaleString()}`
  const small = /expected number to be >(=?)\s*(-?\d+)/.exec(message)
  if (message.startsWith('Too small') && small?.[2])
    return `${small[1] === '=' ? 'at least' : 'more than'} ${Number(small[2]).toLocaleString()}`
  const long = /expected string to have <=?\s*(\d+) characters/.exec(message)
  if (long?.[1]) return `at most ${long[1]} characters`
  const short = /expected string to have >=?\s*(\d+) characters/.exec(message)
  if (short?.[1]) return short[1] === '1' ? 'required' : `at least ${short[1]} characters`
  if (message.includes('expected int')) return 'enter a whole number'
  return message
}

export function validateForm(values: FormValues): FormOutcome {
  const errors: Partial<Record<ConfigKey, string>> = {}
  const input: Record<string, unknown> = {}
  for (const key of CONFIG_KEYS) {
    const text = values[key]
    const optional = OPTIONAL_NUMBER_KEYS.get(key)
    if (INTEGER_KEYS.has(key)) {
      const n = parseInteger(text)
      if (typeof n === 'string') errors[key] = n
      else input[key] = n
    } else if (optional !== undefined) {
      const n = parseOptionalNumber(text, optional)
      if (typeof n === 'string') errors[key] = n
      else input[key] = n
    } else if (LINE_LIST_KEYS.has(key)) {
      const list = nonBlankLines(text)
      const label = PATTERN_LABELS.get(key)
      // Checked here, not only by the schema, so a bad pattern is named while other fields are mid-edit.
      const bad = label === undefined ? [] : compilePatterns(list, label).errors
      if (bad.length > 0) errors[key] = bad.map((e) => e.message).join(' ')
      else input[key] = list
    } else if (WORD_LIST_KEYS.has(key)) {
      input[key] = words(text)
    } else if (key === 'retryStatuses') {
      const parts = text.split(/[\s,;]+/).filter((p) => p !== '')
      const bad = parts.find((p) => !/^\d+$/.test(p))
      if (bad !== undefined) errors[key] = `"${bad}" is not a status code`
      else input[key] = parts.map(Number)
    } else if (key === 'headers') {
      const headers: Record<string, string> = {}
      const lines = text.split(/\r?\n/)
      for (let i = 0; i < lines.length; i++) {
        const line = (lines[i] ?? '').trim()
        if (line === '') continue
        const colon = line.indexOf(':')
        if (colon <= 0) {
          errors[key] = `line ${i + 1}: expected "Name: value"`
          break
        }
        headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim()
      }
      input[key] = headers
    } else if (BOOLEAN_KEYS.has(key)) {
      input[key] = text === 'on'
    } else {
      input[key] = text
    }
  }
  const general: string[] = []
  if (Object.keys(errors).length === 0) {
    const parsed = parseRunConfig(input)
    if (parsed.ok) return { config: parsed.value, errors, general }
    for (const line of parsed.errors) {
      const colon = line.indexOf(': ')
      const path = colon > 0 ? line.slice(0, colon) : ''
      const message = colon > 0 ? line.slice(colon + 2) : line
      const [head, ...rest] = path.split('.')
      const key = CONFIG_KEYS.find((k) => k === head)
      if (!key) {
        general.push(line)
        continue
      }
      if (errors[key] !== undefined) {
        // Every bad pattern is named, not just the first.
        if (key === 'includePatterns' || key === 'excludePatterns') errors[key] = `${errors[key]} ${message}`
        continue
      }
      if (key === 'headers' && rest.length > 0) errors[key] = `"${rest.join('.')}" is not a valid header name`
      else if (key === 'retryStatuses' && rest.length > 0) {
        const given = values.retryStatuses.split(/[\s,;]+/).filter((p) => p !== '')[Number(rest[0])]
        errors[key] = `${given ?? 'a status'} is not retryable: use 400–599`
      } else if ((key === 'sitemapUrls' || key === 'stripQueryParams') && rest.length > 0) {
        const items = key === 'sitemapUrls' ? nonBlankLines(values[key]) : words(values[key])
        const item = items[Number(rest[0])]
        errors[key] = `"${item ?? '?'}": ${friendly(message)}`
      } else if (key === 'backoffMaxMs' && message.includes('backoffBaseMs'))
        errors[key] = 'must be at least the backoff base'
      else errors[key] = friendly(message)
    }
  }
  return { config: null, errors, general }
}

/** The settings that differ from the defaults (what preferences remember). */
export function diffFromDefaults(config: RunConfig): Partial<RunConfig> {
  const out: Partial<RunConfig> = {}
  for (const key of CONFIG_KEYS) {
    if (JSON.stringify(config[key]) !== JSON.stringify(DEFAULT_CONFIG[key]))
      Object.assign(out, { [key]: config[key] })
  }
  return out
}
