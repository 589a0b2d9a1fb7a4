import { resolve } from 'node:path'
import type { CliFlag, SettingSpec } from '../../shared/setting-spec.ts'
import {
  isSpiderOnly,
  SETTING_GROUP_IDS,
  SETTING_GROUPS,
  SETTING_KEYS,
  SETTINGS,
  type SettingKey
} from '../../shared/settings.ts'

/**
 * The runner's flags for run settings, derived from the settings table (shared/settings.ts): the
 * parseArgs options, reading each value into a config input, naming the flag in an error, and the
 * --help lines. A new setting with a `cli` entry gets its flag here without code of its own.
 */

export class UsageError extends Error {}

export interface SettingFlag {
  readonly key: SettingKey
  readonly spec: SettingSpec
  readonly cli: CliFlag
  /** The flag's name first, then its older names. */
  readonly names: readonly string[]
}

export const SETTING_FLAGS: readonly SettingFlag[] = SETTING_KEYS.flatMap((key) => {
  const spec: SettingSpec = SETTINGS[key]
  if (spec.cli === null) return []
  return [{ key, spec, cli: spec.cli, names: [spec.cli.name, ...(spec.cli.aliases ?? [])] }]
})

/** Every setting flag name, old names included. */
export const SETTING_FLAG_NAMES: readonly string[] = SETTING_FLAGS.flatMap((f) => f.names)

/** Flags that only mean something when following links. */
export const SPIDER_ONLY_FLAG_NAMES: readonly string[] = SETTING_FLAGS.filter((f) =>
  isSpiderOnly(f.spec)
).flatMap((f) => f.names)

type OptionSpec = { readonly type: 'string' | 'boolean'; readonly multiple?: true }

/** A toggle is a bare flag; a list is a repeatable flag, one item each. */
function optionOf(spec: SettingSpec): OptionSpec {
  if (spec.type === 'toggle') return { type: 'boolean' }
  if (spec.type === 'list' || spec.type === 'headers') return { type: 'string', multiple: true }
  return { type: 'string' }
}

/** The parseArgs options for every setting flag and its old names. */
export function settingOptions(): Record<string, OptionSpec> {
  const options: Record<string, OptionSpec> = {}
  for (const flag of SETTING_FLAGS) for (const name of flag.names) options[name] = optionOf(flag.spec)
  return options
}

export function decimalFlag(flag: string, value: string): number {
  const trimmed = value.trim()
  if (!/^\d+(\.\d+)?$/.test(trimmed)) throw new UsageError(`--${flag}: expected a number, got "${value}"`)
  return Number(trimmed)
}

export function integerFlag(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--${flag}: expected a whole number, got "${value}"`)
  return Number(value)
}

function headerFlag(flag: string, value: string): [string, string] {
  const colon = value.indexOf(':')
  if (colon <= 0) throw new UsageError(`--${flag}: expected "Name: value", got "${value}"`)
  return [value.slice(0, colon).trim().toLowerCase(), value.slice(colon + 1).trim()]
}

type FlagValue = string | boolean | readonly (string | boolean)[] | undefined

const texts = (value: FlagValue): string[] =>
  (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string')

/** One flag's text as the config input value it sets (the schema then checks its bounds). */
function readValue(flag: SettingFlag, name: string, value: FlagValue): unknown {
  const spec = flag.spec
  const text = texts(value)[0] ?? ''
  switch (spec.type) {
    case 'integer':
      return integerFlag(name, text)
    case 'optional-number':
      return spec.integer ? integerFlag(name, text) : decimalFlag(name, text)
    case 'toggle':
      return flag.cli.sets ?? true
    case 'choice':
      // --method head means HEAD; an unknown value goes on to the schema, which names the options.
      return spec.options.find((o) => o.value.toLowerCase() === text.toLowerCase())?.value ?? text
    case 'text':
      return text
    case 'list':
      // A file is read by the engine later, maybe from another folder: keep it absolute.
      return flag.cli.resolvePaths === true
        ? texts(value).map((v) => (/^(https?|file):/i.test(v) ? v : resolve(v)))
        : texts(value)
    case 'status-list': {
      const parts = text.split(/[\s,;]+/).filter((p) => p !== '')
      const bad = parts.find((p) => !/^\d+$/.test(p))
      if (bad !== undefined || parts.length === 0)
        throw new UsageError(`--${name}: expected status codes separated by commas, got "${text}"`)
      return parts.map(Number)
    }
    case 'headers':
      return Object.fromEntries(texts(value).map((v) => headerFlag(name, v)))
  }
}

export interface ReadSettings {
  /** Config input fields set by flags. */
  readonly raw: Record<string, unknown>
  /** The flag as the person typed it for each field (an old name stays an old name in errors). */
  readonly typed: ReadonlyMap<string, string>
}

/** Reads every setting flag given; a flag given under both its names is refused. */
export function readSettingFlags(values: Readonly<Record<string, FlagValue>>): ReadSettings {
  const raw: Record<string, unknown> = {}
  const typed = new Map<string, string>()
  for (const flag of SETTING_FLAGS) {
    const given = flag.names.filter((name) => values[name] !== undefined)
    const first = given[0]
    if (first === undefined) continue
    const second = given[1]
    if (second !== undefined && optionOf(flag.spec).multiple !== true) {
      throw new UsageError(`--${first} and --${second} set the same thing; give one`)
    }
    const value = given.flatMap((name) => texts(values[name]))
    raw[flag.key] = readValue(flag, first, flag.spec.type === 'toggle' ? true : value)
    typed.set(flag.key, first)
  }
  return { raw, typed }
}

/** "--max-depth" for a schema error about "maxDepth" or "maxDepth.0", as typed when it was. */
export function flagOfField(field: string, typed: ReadonlyMap<string, string>): string {
  const head = field.split('.')[0] ?? field
  const flag = SETTING_FLAGS.find((f) => f.key === head)
  if (flag === undefined) return head
  return `--${typed.get(flag.key) ?? flag.cli.name}`
}

// ---- --help -------------------------------------------------------------------------------------

/** Where the explanation starts on a help line, and how wide the help gets. */
const HELP_COLUMN = 29
const HELP_WIDTH = 88

/** "--max-depth N", "--scope host|site|any", "--follow-nofollow". */
export function flagUsage(flag: SettingFlag): string {
  const spec = flag.spec
  const arg =
    flag.cli.arg ??
    (spec.type === 'integer'
      ? spec.unit === 'ms'
        ? 'MS'
        : 'N'
      : spec.type === 'choice'
        ? spec.options.map((o) => o.value).join('|')
        : spec.type === 'status-list'
          ? 'LIST'
          : spec.type === 'headers'
            ? '"K: V"'
            : spec.type === 'toggle'
              ? ''
              : spec.type === 'text'
                ? 'S'
                : 'N')
  return arg === '' ? `--${flag.cli.name}` : `--${flag.cli.name} ${arg}`
}

function defaultText(spec: SettingSpec): string | null {
  switch (spec.type) {
    case 'integer':
    case 'choice':
      return `default ${spec.default}`
    case 'optional-number':
      return `default ${spec.none}`
    case 'status-list':
      return `default ${spec.default.join(',')}`
    case 'list':
    case 'headers':
      return 'repeatable'
    case 'text':
      return `default "${spec.default}"`
    case 'toggle':
      return null
  }
}

/** Sentence case becomes the terminal's lower case ("Link hops…" → "link hops…"; "TCP…" stays). */
function helpCase(text: string): string {
  const word = /^[^\s:;,]+/.exec(text)?.[0] ?? ''
  const acronym = word.length > 1 && word === word.toUpperCase()
  return (acronym ? text : text.charAt(0).toLowerCase() + text.slice(1)).replace(/\.$/, '')
}

/** "text (notes)", or "text (its own aside; notes)" when the text already ends in one. */
function withNotes(text: string, notes: readonly string[]): string {
  if (notes.length === 0) return text
  return text.endsWith(')') ? `${text.slice(0, -1)}; ${notes.join('; ')})` : `${text} (${notes.join('; ')})`
}

/** Words wrapped to the help width, continuation lines under the explanation column. */
export function helpLine(usage: string, text: string): string {
  const lines: string[] = []
  let line = `  ${usage}`.padEnd(HELP_COLUMN)
  if (line.length > HELP_COLUMN) {
    lines.push(line.trimEnd())
    line = ''.padEnd(HELP_COLUMN)
  }
  let empty = true
  for (const word of text.split(' ')) {
    if (!empty && line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(line)
      line = ''.padEnd(HELP_COLUMN)
      empty = true
    }
    line += empty ? word : ` ${word}`
    empty = false
  }
  lines.push(line)
  return lines.join('\n')
}

/** A setting flag's help: the table's help (or the flag's own), spider-only, its default. */
export function flagHelp(flag: SettingFlag, inSpiderGroup: boolean): string {
  const notes = [
    isSpiderOnly(flag.spec) && !inSpiderGroup ? 'spider mode' : null,
    defaultText(flag.spec)
  ].filter((n) => n !== null)
  return helpLine(flagUsage(flag), withNotes(helpCase(flag.cli.help ?? flag.spec.help), notes))
}

/** The settings part of --help: one section per settings group, in the Setup form's order. */
export function settingsHelp(): string {
  return SETTING_GROUP_IDS.flatMap((id) => {
    const group = SETTING_GROUPS[id]
    const spiderGroup = 'spiderOnly' in group
    const flags = SETTING_FLAGS.filter((f) => f.spec.group === id)
    if (flags.length === 0) return []
    const title = spiderGroup ? `${group.title} (spider mode)` : group.title
    return [[title, ...flags.map((f) => flagHelp(f, spiderGroup))].join('\n')]
  }).join('\n\n')
}
