import { describe, expect, it } from 'vitest'
import { FIELD_GROUPS } from '../../../../renderer/src/features/setup/setting-fields.ts'
import {
  CONFIG_KEYS,
  DEFAULT_FORM_VALUES,
  validateForm,
  type FormValues
} from '../../../../renderer/src/stores/config-form.ts'
import { markLabel } from '../../../../renderer/src/stores/run-data.ts'
import { DEFAULT_CONFIG, LIVE_SETTING_KEYS } from '../../../../shared/config.ts'
import type { SettingSpec } from '../../../../shared/setting-spec.ts'
import { SETTING_GROUP_IDS, SETTING_GROUPS, SETTING_KEYS, SETTINGS } from '../../../../shared/settings.ts'

/**
 * The Setup form and the dashboard, against the settings table: every setting is a field with the
 * table's label, unit, help and group, typed the way its kind says; no field is missing or extra.
 */

const fields = FIELD_GROUPS.flatMap((group) => group.fields.map((field) => ({ group, field })))
const inForm = SETTING_KEYS.filter((key) => (SETTINGS[key] as SettingSpec).formField !== false)

const withValues = (patch: Partial<Record<keyof FormValues, string>>): FormValues => ({
  ...DEFAULT_FORM_VALUES,
  ...patch
})

describe.each(inForm)('setting %s in the Setup form', (key) => {
  const spec: SettingSpec = SETTINGS[key]
  const found = fields.find((f) => f.field.key === key)

  it("is a field with the table's label, unit and help, in its group", () => {
    expect(found?.field.key).toBe(key)
    expect(found?.field.label).toBe(spec.label)
    expect(found?.field.unit).toBe(spec.unit)
    expect(found?.field.help.startsWith(spec.help)).toBe(true)
    expect(found?.group.id).toBe(spec.group)
    expect(found?.group.title).toBe(SETTING_GROUPS[spec.group].title)
  })

  it('takes its value the way its kind says', () => {
    const kind = found?.field.kind
    switch (spec.type) {
      case 'integer':
        expect(kind).toBe('integer')
        expect(validateForm(withValues({ [key]: String(spec.max + 1) })).errors[key]).toBe(
          `at most ${spec.max.toLocaleString()}`
        )
        expect(validateForm(withValues({ [key]: '1.5' })).errors[key]).toBe('enter a whole number')
        break
      case 'optional-number':
        expect(kind).toBe('number')
        expect(found?.field.placeholder).toBe(spec.placeholder ?? spec.none)
        expect(found?.field.help).toContain(`Empty means ${spec.none}.`)
        expect(validateForm(withValues({ [key]: '' })).config?.[key]).toBeNull()
        expect(validateForm(withValues({ [key]: String(spec.max + 1) })).errors[key]).toBe(
          `at most ${spec.max.toLocaleString()}`
        )
        break
      case 'toggle':
        expect(kind).toBe('toggle')
        expect(validateForm(withValues({ [key]: spec.default ? 'off' : 'on' })).config?.[key]).toBe(
          !spec.default
        )
        break
      case 'choice':
        expect(kind).toBe(spec.display === 'radio' ? 'choice' : 'select')
        expect(found?.field.options?.map((o) => o.value)).toEqual(spec.options.map((o) => o.value))
        break
      case 'list':
        expect(kind).toBe(spec.typed === 'lines' ? 'textarea' : 'text')
        expect(found?.field.help).toContain(spec.typed === 'lines' ? 'One per line.' : 'Comma-separated.')
        expect(
          validateForm(withValues({ [key]: spec.typed === 'lines' ? 'a1\n\nb2' : 'a1, b2' })).config?.[key]
        ).toEqual(['a1', 'b2'])
        break
      case 'status-list':
        expect(kind).toBe('text')
        expect(validateForm(withValues({ [key]: `${spec.min}, ${spec.max}` })).config?.[key]).toEqual([
          spec.min,
          spec.max
        ])
        expect(validateForm(withValues({ [key]: String(spec.max + 1) })).errors[key]).toContain(
          `use ${spec.min}–${spec.max}`
        )
        break
      case 'text':
        expect(kind).toBe('text')
        expect(validateForm(withValues({ [key]: 'x'.repeat(spec.maxLength + 1) })).errors[key]).toBe(
          `at most ${spec.maxLength} characters`
        )
        break
      case 'headers':
        expect(kind).toBe('textarea')
        expect(validateForm(withValues({ [key]: 'X-A: 1\nX-B: 2' })).config?.[key]).toEqual({
          'X-A': '1',
          'X-B': '2'
        })
        break
    }
  })
})

describe('the Setup form lists exactly the table', () => {
  it('in its groups, in the table order, and nothing else', () => {
    expect(FIELD_GROUPS.map((g) => g.id)).toEqual(SETTING_GROUP_IDS)
    expect(fields.map((f) => f.field.key)).toEqual(inForm)
    expect(CONFIG_KEYS).toEqual(SETTING_KEYS)
    // The crawl mode is the URL panel's List / Spider switch, not a settings field.
    expect(fields.some((f) => f.field.key === 'mode')).toBe(false)
  })

  it('its defaults are the table defaults', () => {
    expect(validateForm(DEFAULT_FORM_VALUES).config).toEqual(DEFAULT_CONFIG)
  })
})

describe('chart marks of live changes', () => {
  it.each(LIVE_SETTING_KEYS)('name %s as the table does', (key) => {
    const spec: SettingSpec = SETTINGS[key]
    const label = markLabel(
      { [key]: DEFAULT_CONFIG[key] },
      { [key]: spec.type === 'toggle' ? !spec.default : 7 }
    )
    expect(label.startsWith(`${spec.short ?? spec.label.toLowerCase()} `)).toBe(true)
    if (spec.unit === 'ms') expect(label).toMatch(/ → 7 ms$/)
  })
})
