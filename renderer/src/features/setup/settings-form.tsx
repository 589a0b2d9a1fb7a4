import { useState, type JSX } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { PRESET_IDS, PRESETS } from '../../../../shared/presets.ts'
import { patternWarnings, type FieldErrors, type FormValues } from '../../stores/config-form.ts'
import { formatBytes, formatDuration } from '../../../../shared/format.ts'
import { matchesPreset, settingsActions, useSettingsStore } from '../../stores/settings-store.ts'
import { RobotsOffDialog } from './robots-off-dialog.tsx'
import { FIELD_GROUPS, type FieldGroup, type FieldSpec } from './setting-fields.ts'

/** Presets and every run setting, with units and the schema's errors next to each field. */
export function SettingsForm({
  errors,
  general
}: {
  errors: FieldErrors
  general: readonly string[]
}): JSX.Element {
  const { values, presetId } = useSettingsStore(
    useShallow((s) => ({ values: s.values, presetId: s.presetId }))
  )
  const modified = presetId !== null && !matchesPreset(values, presetId)
  const spider = values.mode === 'spider'
  return (
    <section className="panel setup-settings" aria-labelledby="settings-title">
      <div className="setup-panel__head">
        <h2 id="settings-title">Settings</h2>
        <button
          type="button"
          className="btn btn--small btn--ghost"
          onClick={() => {
            settingsActions.resetToDefaults()
          }}
        >
          Reset to defaults
        </button>
      </div>
      <div className="presets" role="group" aria-label="Presets">
        {PRESET_IDS.map((id) => (
          <button
            key={id}
            type="button"
            className="preset"
            aria-pressed={presetId === id}
            title={PRESETS[id].description}
            onClick={() => {
              settingsActions.applyPreset(id)
            }}
          >
            <span className="preset__label">{PRESETS[id].label}</span>
            <span className="preset__desc">{PRESETS[id].description}</span>
          </button>
        ))}
      </div>
      <p className="presets__status muted" aria-live="polite">
        {presetId === null
          ? 'Custom settings.'
          : `${PRESETS[presetId].label} preset${modified ? ', modified' : ''}.`}
      </p>
      {general.length > 0 ? (
        <div className="notice notice--error" role="alert">
          <div className="notice__body">{general.join('; ')}</div>
        </div>
      ) : null}
      <div className="setting-groups">
        {/* Spider settings stay out of a list run's way, unless one is invalid (it would block the start). */}
        {FIELD_GROUPS.filter(
          (group) =>
            spider || group.spiderOnly !== true || group.fields.some((f) => errors[f.key] !== undefined)
        ).map((group) => (
          <SettingGroup key={group.id} group={group} values={values} errors={errors} spider={spider} />
        ))}
      </div>
    </section>
  )
}

function SettingGroup({
  group,
  values,
  errors,
  spider
}: {
  group: FieldGroup
  values: FormValues
  errors: FieldErrors
  spider: boolean
}): JSX.Element {
  // null until the person opens or closes it: then their choice stands, whatever the mode.
  const [chosen, setOpen] = useState<boolean | null>(null)
  const open = chosen ?? (group.open || (spider && group.openInSpider === true))
  const fields = group.fields.filter(
    (f) => spider || (group.spiderOnly !== true && f.spiderOnly !== true) || errors[f.key] !== undefined
  )
  const errorCount = fields.filter((f) => errors[f.key] !== undefined).length
  // A group with an error is always open, so the error is never hidden.
  const isOpen = open || errorCount > 0
  return (
    <details
      className="setting-group"
      open={isOpen}
      onToggle={(e) => {
        setOpen(e.currentTarget.open)
      }}
    >
      <summary className="setting-group__title">
        {group.title}
        {errorCount > 0 ? (
          <span className="setting-group__errors">
            {errorCount} {errorCount === 1 ? 'error' : 'errors'}
          </span>
        ) : null}
      </summary>
      <div className="setting-group__fields">
        {fields.map((spec) => (
          <Field key={spec.key} spec={spec} value={values[spec.key]} error={errors[spec.key]} />
        ))}
      </div>
    </details>
  )
}

/** "10,000 ms" → "10 s"; bytes → "5.0 MiB": what a typed number amounts to. */
function hint(spec: FieldSpec, value: string): string | null {
  const n = Number(value.replace(/[\s,_]/g, ''))
  if (!Number.isFinite(n) || value.trim() === '') return null
  if (spec.unit === 'ms' && n >= 1_000) return formatDuration(n)
  if (spec.unit === 'bytes' && n >= 1_024) return formatBytes(n)
  return null
}

function Field({
  spec,
  value,
  error
}: {
  spec: FieldSpec
  value: string
  error: string | undefined
}): JSX.Element {
  const id = `setting-${spec.key}`
  const helpId = `${id}-help`
  const errorId = `${id}-error`
  const describedBy = error !== undefined ? `${errorId} ${helpId}` : helpId
  const set = (v: string): void => {
    settingsActions.setValue(spec.key, v)
  }
  if (spec.kind === 'toggle') return <ToggleField spec={spec} value={value} />
  if (spec.kind === 'choice') return <ChoiceField spec={spec} value={value} />
  const shown = hint(spec, value)
  const warnings = error === undefined ? patternWarnings(spec.key, value) : []
  return (
    <div className={`field field--${spec.kind}`}>
      <label className="field__label" htmlFor={id}>
        {spec.label}
      </label>
      <div className="field__control">
        {spec.kind === 'select' ? (
          <select
            id={id}
            className="select"
            value={value}
            aria-describedby={describedBy}
            onChange={(e) => {
              set(e.currentTarget.value)
            }}
          >
            {(spec.options ?? []).map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        ) : spec.kind === 'textarea' ? (
          <textarea
            id={id}
            className="textarea"
            rows={3}
            value={value}
            placeholder={spec.placeholder}
            spellCheck={false}
            aria-invalid={error !== undefined}
            aria-describedby={describedBy}
            onChange={(e) => {
              set(e.currentTarget.value)
            }}
          />
        ) : (
          <input
            id={id}
            className={`input${spec.kind === 'integer' || spec.kind === 'number' ? ' input--number' : ''}`}
            type="text"
            inputMode={spec.kind === 'integer' ? 'numeric' : spec.kind === 'number' ? 'decimal' : undefined}
            autoComplete="off"
            spellCheck={false}
            value={value}
            placeholder={spec.placeholder}
            aria-invalid={error !== undefined}
            aria-describedby={describedBy}
            onChange={(e) => {
              set(e.currentTarget.value)
            }}
          />
        )}
        {spec.unit !== undefined ? <span className="field__unit">{spec.unit}</span> : null}
        {shown !== null ? <span className="field__hint">= {shown}</span> : null}
      </div>
      {error !== undefined ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
      {warnings.map((w) => (
        <p key={w} className="field__warning">
          {w}
        </p>
      ))}
      <p className="field__help" id={helpId}>
        {spec.help}
      </p>
    </div>
  )
}

/** A checkbox; one marked confirmOff asks before it turns off (Cancel leaves it on). */
function ToggleField({ spec, value }: { spec: FieldSpec; value: string }): JSX.Element {
  const [asking, setAsking] = useState(false)
  const id = `setting-${spec.key}`
  const helpId = `${id}-help`
  const set = (v: string): void => {
    settingsActions.setValue(spec.key, v)
  }
  return (
    <div className="field field--toggle">
      <label className="toggle" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={value === 'on'}
          aria-describedby={helpId}
          onChange={(e) => {
            const on = e.currentTarget.checked
            if (!on && spec.confirmOff === true) setAsking(true)
            else set(on ? 'on' : 'off')
          }}
        />
        <span>{spec.label}</span>
      </label>
      <p className="field__help" id={helpId}>
        {spec.help}
      </p>
      {spec.confirmOff === true ? (
        <RobotsOffDialog
          open={asking}
          onConfirm={() => {
            setAsking(false)
            set('off')
          }}
          onCancel={() => {
            setAsking(false)
          }}
        />
      ) : null}
    </div>
  )
}

/** One of a few values as radio buttons, each with its one-line explanation. */
function ChoiceField({ spec, value }: { spec: FieldSpec; value: string }): JSX.Element {
  const id = `setting-${spec.key}`
  return (
    <fieldset className="field field--choice" aria-describedby={`${id}-help`}>
      <legend className="field__label">{spec.label}</legend>
      <div className="choice">
        {(spec.options ?? []).map((option) => (
          <label key={option.value} className="choice__option">
            <input
              type="radio"
              name={id}
              value={option.value}
              checked={value === option.value}
              onChange={() => {
                settingsActions.setValue(spec.key, option.value)
              }}
            />
            <span className="choice__text">
              <span className="choice__label">{option.label}</span>
              {option.help !== undefined ? <span className="choice__help">{option.help}</span> : null}
            </span>
          </label>
        ))}
      </div>
      <p className="field__help" id={`${id}-help`}>
        {spec.help}
      </p>
    </fieldset>
  )
}
