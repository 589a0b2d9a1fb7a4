import { DEFAULT_CONFIG, parseRunConfig, type RunConfig } from '../../../shared/config.ts'
import type { SettingSpec } from '../../../shared/setting-spec.ts'
import { SETTING_KEYS, SETTINGS } from '../../../shared/settings.ts'
import { compilePatterns } from '../../../shared/url-patterns.ts'

/**
 * The Setup form's model: every run setting as the text a person types, converted to a config
 * input and validated by the shared schema (parseRunConfig), with each error mapped back to the
 * field it is about. How a value is typed follows its kind in the settings table. Pure: no React,
 * no store.
 */

export type ConfigKey = keyof RunConfig
export type FormValues = Readonly<Record<ConfigKey, string>>
export type FieldErrors = Readonly<Partial<Record<ConfigKey, string>>>

export const CONFIG_KEYS: readonly ConfigKey[] = SETTING_KEYS

const specOf = (key: ConfigKey): SettingSpec => SETTINGS[key]

export function isIntegerKey(key: ConfigKey): boolean {
  return specOf(key).type === 'integer'
}

/** A config as form text: numbers as digits, lists one per line or comma-separated, headers one per line. */
export function toFormValues(config: RunConfig): FormValues {
  const out = {} as Record<ConfigKey, string>
  for (const key of CONFIG_KEYS) out[key] = valueText(specOf(key), config[key])
  return out
}

function valueText(spec: SettingSpec, value: RunConfig[ConfigKey]): string {
  switch (spec.type) {
    case 'toggle':
      return value === true ? 'on' : 'off'
    case 'list':
    case 'status-list':
      return (value as readonly (string | number)[]).join(
        spec.type === 'list' && spec.typed === 'lines' ? '\n' : ', '
      )
    case 'headers':
      return Object.entries(value as Readonly<Record<string, string>>)
        .map(([name, v]) => `${name}: ${v}`)
        .join('\n')
    case 'integer':
    case 'optional-number':
    case 'choice':
    case 'text':
      return typeof value === 'number' || typeof value === 'string' ? String(value) : ''
  }
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

/** The label a pattern list names its patterns with ('Include pattern'), or undefined. */
function patternLabel(key: ConfigKey): string | undefined {
  const spec = specOf(key)
  return spec.type === 'list' ? spec.patterns : undefined
}

/**
 * Valid patterns that can take minutes on some URLs (nested repeats): still accepted, but said
 * next to the field. Empty when there is nothing to warn about.
 */
export function patternWarnings(key: ConfigKey, text: string): readonly string[] {
  const label = patternLabel(key)
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

/** A field's text as a config input value, or the reason it cannot be one. */
type Read = { readonly value: unknown } | { readonly error: string }

function readField(spec: SettingSpec, text: string): Read {
  switch (spec.type) {
    case 'integer': {
      const n = parseInteger(text)
      return typeof n === 'string' ? { error: n } : { value: n }
    }
    case 'optional-number': {
      const n = parseOptionalNumber(text, spec.integer ? 'integer' : 'decimal')
      return typeof n === 'string' ? { error: n } : { value: n }
    }
    case 'toggle':
      return { value: text === 'on' }
    case 'choice':
    case 'text':
      return { value: text }
    case 'list': {
      if (spec.typed === 'commas') return { value: words(text) }
      const list = nonBlankLines(text)
      // Checked here, not only by the schema, so a bad pattern is named while other fields are mid-edit.
      const bad = spec.patterns === undefined ? [] : compilePatterns(list, spec.patterns).errors
      return bad.length > 0 ? { error: bad.map((e) => e.message).join(' ') } : { value: list }
    }
    case 'status-list': {
      const parts = words(text)
      const bad = parts.find((p) => !/^\d+$/.test(p))
      return bad !== undefined ? { error: `"${bad}" is not a status code` } : { value: parts.map(Number) }
    }
    case 'headers': {
      const headers: Record<string, string> = {}
      const lines = text.split(/\r?\n/)
      for (let i = 0; i < lines.length; i++) {
        const line = (lines[i] ?? '').trim()
        if (line === '') continue
        const colon = line.indexOf(':')
        if (colon <= 0) return { error: `line ${i + 1}: expected "Name: value"` }
        headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim()
      }
      return { value: headers }
    }
  }
}

/** A schema error about one field, said the way the form says it. */
function fieldError(key: ConfigKey, rest: readonly string[], message: string, values: FormValues): string {
  const spec = specOf(key)
  if (spec.type === 'headers' && rest.length > 0) return `"${rest.join('.')}" is not a valid header name`
  if (spec.type === 'status-list' && rest.length > 0) {
    const given = words(values[key])[Number(rest[0])]
    return `${given ?? 'a status'} is not retryable: use ${spec.min}–${spec.max}`
  }
  if (spec.type === 'list' && rest.length > 0) {
    const items = spec.typed === 'lines' ? nonBlankLines(values[key]) : words(values[key])
    return `"${items[Number(rest[0])] ?? '?'}": ${friendly(message)}`
  }
  if (key === 'backoffMaxMs' && message.includes('backoffBaseMs')) return 'must be at least the backoff base'
  return friendly(message)
}

export function validateForm(values: FormValues): FormOutcome {
  const errors: Partial<Record<ConfigKey, string>> = {}
  const input: Record<string, unknown> = {}
  for (const key of CONFIG_KEYS) {
    const read = readField(specOf(key), values[key])
    if ('error' in read) errors[key] = read.error
    else input[key] = read.value
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
      const known = errors[key]
      // Every bad pattern is named, not just the first.
      if (known !== undefined) {
        if (patternLabel(key) !== undefined) errors[key] = `${known} ${message}`
        continue
      }
      errors[key] = fieldError(key, rest, message, values)
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
