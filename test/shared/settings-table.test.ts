import { describe, expect, it } from 'vitest'
import { parseCliArgs, USAGE, UsageError } from '../../electron/cli/args.ts'
import { SETTING_SPECS, settingText } from '../../electron/core/export/report-settings.ts'
import { suggestionFor } from '../../electron/core/run/failure-groups.ts'
import {
  DEFAULT_CONFIG,
  LIVE_SETTING_KEYS,
  liveSettingsPatchSchema,
  parseRunConfig,
  pickLive,
  runConfigPatchSchema,
  runConfigSchema,
  type RunConfig
} from '../../shared/config.ts'
import type { ErrorCode } from '../../shared/errors.ts'
import type { SettingSpec } from '../../shared/setting-spec.ts'
import {
  isSpiderOnly,
  SETTING_GROUPS,
  SETTING_KEYS,
  SETTINGS,
  type SettingKey
} from '../../shared/settings.ts'

/**
 * The settings table, walked: each setting is in the schema with its default and bounds, in the
 * live patch exactly when it is live, a runner flag (and every old name) that sets it, in --help,
 * in the report with the same label; and no surface lists a setting the table does not have. The
 * Setup form's side is in test/renderer/features/setup/setting-fields.test.ts.
 */

const rows = SETTING_KEYS.map((key) => [key, SETTINGS[key] as SettingSpec] as const)
const SEED = 'https://seed.test/'

/** Refused, and the refusal names this field first. */
function refusedNaming(key: string, input: Record<string, unknown>): void {
  const parsed = parseRunConfig(input)
  expect(parsed.ok, `${JSON.stringify(input)} should be refused`).toBe(false)
  if (!parsed.ok) expect(parsed.errors[0]).toMatch(new RegExp(`^${key}(\\.[^:]+)?: `))
}

const fieldAccepts = (key: SettingKey, value: unknown): boolean =>
  runConfigSchema.shape[key].safeParse(value).success

/** Values just past the bounds the table gives. */
function pastBounds(spec: SettingSpec): unknown[] {
  switch (spec.type) {
    case 'integer':
      return [spec.min - 1, spec.max + 1, spec.min + 0.5]
    case 'optional-number':
      return [
        spec.minExclusive === true ? spec.min : spec.min - 0.5,
        spec.max + 0.5,
        ...(spec.integer ? [spec.min + 1.5] : [])
      ]
    case 'toggle':
      return ['yes']
    case 'choice':
      return ['none-of-these']
    case 'text':
      return ['x'.repeat(spec.maxLength + 1), ...(spec.minLength > 0 ? ['x'.repeat(spec.minLength - 1)] : [])]
    case 'list':
      return [
        Array.from({ length: spec.maxItems + 1 }, (_, i) => `item${i}`),
        ['x'.repeat(spec.itemMaxLength + 1)],
        ...(spec.itemMinLength > 0 ? [['']] : [])
      ]
    case 'status-list':
      return [[spec.min - 1], [spec.max + 1], Array.from({ length: spec.maxItems + 1 }, () => spec.min)]
    case 'headers':
      return [{ 'x-long': 'x'.repeat(spec.valueMaxLength + 1) }, { 'bad name': 'x' }]
  }
}

/** Values at the bounds, which the field takes. */
function atBounds(spec: SettingSpec): unknown[] {
  switch (spec.type) {
    case 'integer':
      return [spec.min, spec.max]
    case 'optional-number':
      return [null, spec.max, spec.minExclusive === true ? spec.min + 1 : spec.min]
    case 'toggle':
      return [true, false]
    case 'choice':
      return spec.options.map((o) => o.value)
    case 'text':
      return ['x'.repeat(spec.maxLength), 'x'.repeat(Math.max(1, spec.minLength))]
    case 'list':
      return [[], Array.from({ length: spec.maxItems }, (_, i) => `item${i}`)]
    case 'status-list':
      return [[spec.min, spec.max]]
    case 'headers':
      return [{ 'x-team': 'x'.repeat(spec.valueMaxLength) }]
  }
}

describe.each(rows)('setting %s: the config schema', (key, spec) => {
  it('has the table default', () => {
    expect(DEFAULT_CONFIG[key]).toEqual(spec.default)
  })

  it('takes values at its bounds and refuses one just past them, naming the field', () => {
    for (const value of atBounds(spec)) expect(fieldAccepts(key, value), JSON.stringify(value)).toBe(true)
    for (const value of pastBounds(spec)) refusedNaming(key, { [key]: value })
  })

  it(spec.live ? 'changes while a run goes' : 'is fixed once a run starts', () => {
    expect(LIVE_SETTING_KEYS.includes(key as never)).toBe(spec.live)
    expect(liveSettingsPatchSchema.safeParse({ [key]: spec.default }).success).toBe(spec.live)
    expect(key in pickLive(DEFAULT_CONFIG)).toBe(spec.live)
    // A patch of the whole config takes it either way, without filling in other settings.
    expect(runConfigPatchSchema.parse({ [key]: spec.default })).toEqual({ [key]: spec.default })
  })
})

describe('the schemas list exactly the table', () => {
  it('config, patch and live patch', () => {
    expect(Object.keys(runConfigSchema.shape)).toEqual(SETTING_KEYS)
    expect(Object.keys(runConfigPatchSchema.shape)).toEqual(SETTING_KEYS)
    expect(Object.keys(liveSettingsPatchSchema.shape)).toEqual(SETTING_KEYS.filter((k) => SETTINGS[k].live))
    expect(parseRunConfig({ notASetting: 1 }).ok).toBe(false)
  })

  it('gives every setting its own label', () => {
    const labels = rows.map(([, spec]) => spec.label)
    expect(new Set(labels).size).toBe(labels.length)
  })
})

// ---- the runner -------------------------------------------------------------------------------

/** A value the flag can carry that is not the default, and what the config then holds. */
function sample(spec: SettingSpec): { readonly args: readonly string[]; readonly value: unknown } {
  switch (spec.type) {
    case 'integer': {
      const n = spec.default + 1 <= spec.max ? spec.default + 1 : spec.default - 1
      return { args: [String(n)], value: n }
    }
    case 'optional-number': {
      const n = spec.integer ? spec.min + 1 : spec.min + 1.5
      return { args: [String(n)], value: n }
    }
    case 'toggle':
      return { args: [], value: !spec.default }
    case 'choice': {
      const other = spec.options.find((o) => o.value !== spec.default) ?? spec.options[0]
      // Given in lower case: a choice is matched whatever its case.
      return { args: [other.value.toLowerCase()], value: other.value }
    }
    case 'text':
      return { args: ['Sample agent/1.0'], value: 'Sample agent/1.0' }
    case 'list':
      return {
        args: ['https://a.test/x', 'https://b.test/y'],
        value: ['https://a.test/x', 'https://b.test/y']
      }
    case 'status-list':
      return { args: [`${spec.min},${spec.max}`], value: [spec.min, spec.max] }
    case 'headers':
      return { args: ['X-Sample: 1'], value: { 'x-sample': '1' } }
  }
}

function crawlConfig(argv: readonly string[]): RunConfig {
  const command = parseCliArgs([...argv, '--db', '/tmp/settings-table.db'])
  if (command.kind !== 'crawl') throw new Error(`expected a crawl, got ${command.kind}`)
  return command.options.config
}

/** The flag given once per sample value (a list flag is repeated). */
function flagArgs(name: string, spec: SettingSpec): string[] {
  const { args } = sample(spec)
  return args.length === 0 ? [`--${name}`] : args.flatMap((a) => [`--${name}`, a])
}

/** A crawl's input: a seed to spider from for a spider setting, else one URL. */
const input = (spec: SettingSpec): string[] => (isSpiderOnly(spec) ? ['--spider', SEED] : [SEED])

const argvFor = (name: string, spec: SettingSpec): string[] => [...input(spec), ...flagArgs(name, spec)]

/** --help entries: each "  --flag" line with its continuation lines, whitespace collapsed, and its section's title. */
function helpEntries(): Map<string, { readonly text: string; readonly section: string }> {
  const entries = new Map<string, { text: string; section: string }>()
  let current: string | null = null
  let section = ''
  for (const line of USAGE.split('\n')) {
    const flag = /^ {2}(?:-[a-z], )?(--[a-z-]+)/.exec(line)?.[1]
    const entry = current === null ? undefined : entries.get(current)
    if (flag !== undefined) {
      current = flag
      entries.set(flag, { text: line.trim(), section })
    } else if (entry !== undefined && /^ {20,}\S/.test(line)) {
      entry.text = `${entry.text} ${line.trim()}`
    } else {
      current = null
      if (/^\S/.test(line)) section = line
    }
  }
  return entries
}

const withFlag = rows.filter(
  (row): row is readonly [SettingKey, SettingSpec & { cli: NonNullable<SettingSpec['cli']> }] =>
    row[1].cli !== null
)

describe.each(withFlag)('setting %s: the runner', (key, spec) => {
  const names = [spec.cli.name, ...(spec.cli.aliases ?? [])]

  it.each(names)('--%s sets it', (name) => {
    const config = crawlConfig(argvFor(name, spec))
    expect(config[key]).toEqual(sample(spec).value)
    expect(config[key]).not.toEqual(spec.default)
  })

  it('is in --help with its help and default', () => {
    const found = helpEntries().get(`--${spec.cli.name}`)
    expect([...helpEntries().keys()], 'the flags --help lists').toContain(`--${spec.cli.name}`)
    const entry = found?.text
    const words = (spec.cli.help ?? spec.help).split(' ').slice(1, 4).join(' ').replace(/\.$/, '')
    expect(entry).toContain(words)
    if (spec.type === 'integer' || spec.type === 'choice') expect(entry).toContain(`default ${spec.default}`)
    if (isSpiderOnly(spec)) expect(`${found?.section} ${entry}`).toMatch(/spider mode/)
    for (const alias of spec.cli.aliases ?? []) expect(helpEntries().has(`--${alias}`)).toBe(false)
  })

  it('is refused with --resume, under every name', () => {
    for (const name of names) {
      expect(() => parseCliArgs(['--resume', 'last', ...flagArgs(name, spec)])).toThrow(`drop --${name}`)
    }
  })

  it.runIf(isSpiderOnly(spec))('needs --spider, under every name', () => {
    for (const name of names) {
      expect(() => parseCliArgs([SEED, ...flagArgs(name, spec)])).toThrow(`--${name} applies to spider mode`)
    }
  })

  it.runIf(spec.type === 'integer')('names the flag as typed when its value is out of bounds', () => {
    if (spec.type !== 'integer') return
    for (const name of names) {
      const argv = [...input(spec), `--${name}`, String(spec.max + 1)]
      expect(() => crawlConfig(argv)).toThrow(new RegExp(`^--${name}: `))
    }
  })

  it.runIf(names.length > 1 && spec.type !== 'list')('refuses both names at once', () => {
    const argv = [...argvFor(names[0] ?? '', spec), ...flagArgs(names[1] ?? '', spec)]
    expect(() => parseCliArgs(argv)).toThrow(UsageError)
  })
})

describe('the runner lists no setting the table does not have', () => {
  it('every flag in --help is a setting of the table or one of the runner own', () => {
    const own = ['urls', 'demo', 'demo-count', 'spider', 'preset', 'out', 'format', 'quiet', 'fail-on-error']
    const runStore = ['db', 'resume', 'help', 'version']
    const table = withFlag.map(([, spec]) => spec.cli.name)
    expect([...helpEntries().keys()].map((f) => f.slice(2)).sort()).toEqual(
      [...own, ...runStore, ...table].sort()
    )
  })

  it('the old flag names keep working', () => {
    expect(crawlConfig([SEED, '--min-delay', '250']).perHostMinDelayMs).toBe(250)
    expect(crawlConfig(['--spider', SEED, '--max-crawl-delay', '5000']).maxCrawlDelayMs).toBe(5_000)
    expect(crawlConfig([SEED, '--safeguard', '40']).failureSafeguardPercent).toBe(40)
  })
})

// ---- the report and the advice --------------------------------------------------------------

describe.each(rows)('setting %s: the report', (key, spec) => {
  it('is labelled, grouped and given its unit as the table says', () => {
    expect(SETTING_SPECS[key]).toEqual({
      label: spec.label,
      group: SETTING_GROUPS[spec.group].title,
      ...(spec.unit === undefined ? {} : { unit: spec.unit })
    })
    if (spec.type === 'integer' && spec.unit !== undefined && spec.unit !== 'bytes')
      expect(settingText(key, spec.default)).toMatch(new RegExp(` ${spec.unit}$`))
  })
})

describe('the report lists no setting the table does not have', () => {
  it('its labels are the table keys', () => {
    expect(Object.keys(SETTING_SPECS)).toEqual(SETTING_KEYS)
  })
})

describe('advice names settings by their labels', () => {
  const settings = pickLive(DEFAULT_CONFIG)
  const advice = (code: ErrorCode, statuses: readonly (readonly [number, number])[] = []): string =>
    suggestionFor(
      {
        code,
        count: 40,
        sampleUrls: [],
        hosts: new Map([
          ['a.test', 20],
          ['b.test', 20]
        ]),
        statuses: new Map(statuses.map(([status, n]) => [status, n]))
      },
      { settings, config: DEFAULT_CONFIG, done: 100 }
    )

  it.each([
    ['TIMEOUT_CONNECT', [], ['concurrency', 'connectTimeoutMs']],
    ['TIMEOUT_HEADERS', [], ['headersTimeoutMs', 'perHostConcurrency']],
    ['TIMEOUT_BODY', [], ['bodyTimeoutMs']],
    ['TIMEOUT_TOTAL', [], ['totalTimeoutMs', 'maxBodyBytes']],
    ['RESET', [], ['perHostConcurrency']],
    ['BODY_TOO_LARGE', [], ['maxBodyBytes']],
    ['TOO_MANY_REDIRECTS', [], ['maxRedirects']],
    ['HTTP_STATUS', [[429, 40]], ['perHostConcurrency', 'retryAfterMaxMs']],
    ['HTTP_STATUS', [[403, 40]], ['userAgent', 'headers']]
  ] as const)('%s %j names %j', (code, statuses, keys) => {
    const text = advice(code, statuses)
    for (const k of keys) expect(text).toContain(SETTINGS[k].label)
  })

  it('writes ms values with the unit the table gives', () => {
    expect(advice('TIMEOUT_CONNECT')).toContain(
      `(now ${settings.connectTimeoutMs} ${SETTINGS.connectTimeoutMs.unit})`
    )
  })
})
