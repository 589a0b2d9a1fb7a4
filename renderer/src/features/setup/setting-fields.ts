import type { ChoiceOption, SettingGroup, SettingSpec } from '../../../../shared/setting-spec.ts'
import { SETTING_GROUP_IDS, SETTING_GROUPS, SETTING_KEYS, SETTINGS } from '../../../../shared/settings.ts'
import type { ConfigKey } from '../../stores/config-form.ts'

/**
 * How each run setting is shown: label, unit, one line of help and its group, all from the
 * settings table (shared/settings.ts). What is added here is only how a value is typed in a form.
 */
export interface FieldSpec {
  readonly key: ConfigKey
  readonly label: string
  readonly unit?: string
  readonly help: string
  /** `number`: an optional or decimal number (empty = none); `choice`: one of `options`, as radio buttons. */
  readonly kind: 'integer' | 'number' | 'text' | 'textarea' | 'toggle' | 'select' | 'choice'
  readonly placeholder?: string
  /** For `choice` and `select`: each value with a label (and, for `choice`, a one-line explanation). */
  readonly options?: readonly ChoiceOption[]
  /** Turning this toggle off asks first (the dialog says what it means). */
  readonly confirmOff?: boolean
  /** Only in spider mode (a list run reads no robots.txt). */
  readonly spiderOnly?: boolean
}

export interface FieldGroup {
  readonly id: string
  readonly title: string
  /** Shown expanded by default. */
  readonly open: boolean
  /** Only in spider mode (list runs follow no links). */
  readonly spiderOnly?: boolean
  /** Expanded by default in spider mode (where robots.txt is read). */
  readonly openInSpider?: boolean
  readonly fields: readonly FieldSpec[]
}

function kindOf(spec: SettingSpec): FieldSpec['kind'] {
  switch (spec.type) {
    case 'integer':
      return 'integer'
    case 'optional-number':
      return 'number'
    case 'toggle':
      return 'toggle'
    case 'choice':
      return spec.display === 'radio' ? 'choice' : 'select'
    case 'list':
      return spec.typed === 'lines' ? 'textarea' : 'text'
    case 'status-list':
    case 'text':
      return 'text'
    case 'headers':
      return 'textarea'
  }
}

/** The table's help, plus how this form takes the value (one per line, empty means none). */
function helpOf(spec: SettingSpec): string {
  const typing =
    spec.type === 'headers' || (spec.type === 'list' && spec.typed === 'lines')
      ? 'One per line.'
      : spec.type === 'status-list' || spec.type === 'list'
        ? 'Comma-separated.'
        : spec.type === 'optional-number'
          ? `Empty means ${spec.none}.`
          : null
  const live = spec.liveControl !== undefined ? 'Adjustable while the run goes.' : null
  return [spec.help, typing, live].filter((part) => part !== null).join(' ')
}

function fieldOf(key: ConfigKey): FieldSpec {
  const spec: SettingSpec = SETTINGS[key]
  const placeholder = spec.placeholder ?? (spec.type === 'optional-number' ? spec.none : undefined)
  return {
    key,
    label: spec.label,
    help: helpOf(spec),
    kind: kindOf(spec),
    ...(spec.unit === undefined ? {} : { unit: spec.unit }),
    ...(placeholder === undefined ? {} : { placeholder }),
    ...(spec.type === 'choice' ? { options: spec.options } : {}),
    ...(spec.type === 'toggle' && spec.confirmOff === true ? { confirmOff: true } : {}),
    ...(spec.spiderOnly === true ? { spiderOnly: true } : {})
  }
}

export const FIELD_GROUPS: readonly FieldGroup[] = SETTING_GROUP_IDS.map((id) => {
  const group: SettingGroup = SETTING_GROUPS[id]
  return {
    id,
    title: group.title,
    open: group.open,
    ...(group.spiderOnly === undefined ? {} : { spiderOnly: group.spiderOnly }),
    ...(group.openInSpider === undefined ? {} : { openInSpider: group.openInSpider }),
    fields: SETTING_KEYS.filter((key) => {
      const spec: SettingSpec = SETTINGS[key]
      return spec.group === id && spec.formField !== false
    }).map(fieldOf)
  }
})
