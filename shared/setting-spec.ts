/**
 * The shape of one entry of the settings table (shared/settings.ts). Plain data: the config schema
 * (shared/config.ts), the Setup form, the runner's flags and --help, the HTML report and the
 * failure advice all read it, so each fact about a setting is written once.
 */

/** The Setup form's groups, in the order they are shown; the report and --help use them too. */
export type SettingGroupId =
  'scope' | 'politeness' | 'concurrency' | 'timeouts' | 'retries' | 'request' | 'connection'

export interface SettingGroup {
  readonly title: string
  /** Shown expanded by default in Setup. */
  readonly open: boolean
  /** Expanded by default in spider mode (where robots.txt is read). */
  readonly openInSpider?: boolean
  /** Only means something in spider mode: hidden in a list run's Setup, refused without --spider. */
  readonly spiderOnly?: boolean
}

/** How the headless runner sets a setting. */
export interface CliFlag {
  /** Without the dashes: 'max-depth'. A value in ms, bytes or percent says so ('-ms'). */
  readonly name: string
  /** Older names that keep working. */
  readonly aliases?: readonly string[]
  /** The value as --help shows it; by default derived from the type ('N', 'MS', 'host|site|any'). */
  readonly arg?: string
  /** A toggle's flag takes no value and sets this (false for --ignore-robots). Default true. */
  readonly sets?: boolean
  /** --help wording when the setting's help does not describe the flag (an inverted toggle). */
  readonly help?: string
  /** List items that are not http(s) or file: URLs are local paths, made absolute. */
  readonly resolvePaths?: boolean
}

export interface ChoiceOption {
  readonly value: string
  readonly label: string
  /** One line shown next to a radio button. */
  readonly help?: string
}

interface CommonSpec {
  /** The one label every surface uses: Setup, --help, the report, advice ("raise Connect timeout"). */
  readonly label: string
  /** One line, true for every surface (the form and --help add how a value is typed). */
  readonly help: string
  readonly group: SettingGroupId
  /** Written after a value: "50 requests", "10,000 ms". */
  readonly unit?: string
  /** Can change while a run goes (a live settings patch); applies to attempts that start afterwards. */
  readonly live: boolean
  /** null: the runner has no flag for it (the crawl mode follows from --spider). */
  readonly cli: CliFlag | null
  /** Only in spider mode, inside a group that is not (a list run reads no robots.txt). */
  readonly spiderOnly?: boolean
  /** Shown in an empty text field. */
  readonly placeholder?: string
  /** Chart marks of live changes: "per host 6 → 12". Default: the label in lower case. */
  readonly short?: string
  /** false: Setup shows it elsewhere (the crawl mode is the URL panel's List / Spider switch). */
  readonly formField?: false
  /** The dashboard offers a slider for it while the run goes. */
  readonly liveControl?: { readonly sliderMax: number }
}

export interface IntegerSpec extends CommonSpec {
  readonly type: 'integer'
  readonly default: number
  readonly min: number
  readonly max: number
}

/** A number that may be unset (null): no budget, no cap, off. */
export interface OptionalNumberSpec extends CommonSpec {
  readonly type: 'optional-number'
  readonly integer: boolean
  readonly default: null
  readonly min: number
  /** The value must be above `min`, not equal to it. */
  readonly minExclusive?: boolean
  readonly max: number
  /** What unset means, in words: 'no budget', 'no cap', 'off'. */
  readonly none: string
}

export interface ToggleSpec extends CommonSpec {
  readonly type: 'toggle'
  readonly default: boolean
  /** Setup asks before it turns off (the dialog says what it means). */
  readonly confirmOff?: boolean
}

export interface ChoiceSpec extends CommonSpec {
  readonly type: 'choice'
  readonly options: readonly [ChoiceOption, ...ChoiceOption[]]
  readonly default: string
  /** Radio buttons with their help, or a compact select. */
  readonly display: 'radio' | 'select'
}

export interface TextSpec extends CommonSpec {
  readonly type: 'text'
  readonly default: string
  readonly minLength: number
  readonly maxLength: number
}

/** How a list is typed in Setup: one item per line, or separated by commas or spaces. */
export type ListTyping = 'lines' | 'commas'

export interface ListSpec extends CommonSpec {
  readonly type: 'list'
  readonly default: readonly string[]
  readonly maxItems: number
  readonly itemMinLength: number
  readonly itemMaxLength: number
  readonly typed: ListTyping
  /** Each item is a regular expression; errors and warnings name it with this ('Include pattern'). */
  readonly patterns?: string
}

export interface StatusListSpec extends CommonSpec {
  readonly type: 'status-list'
  readonly default: readonly number[]
  readonly min: number
  readonly max: number
  readonly maxItems: number
}

/** Request headers, "Name: value", one per line. */
export interface HeadersSpec extends CommonSpec {
  readonly type: 'headers'
  readonly default: Readonly<Record<string, string>>
  readonly valueMaxLength: number
}

export type SettingSpec =
  | IntegerSpec
  | OptionalNumberSpec
  | ToggleSpec
  | ChoiceSpec
  | TextSpec
  | ListSpec
  | StatusListSpec
  | HeadersSpec
