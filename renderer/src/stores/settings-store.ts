import { create } from 'zustand'
import type { CrawlerApi, Preferences, StartRunRequest } from '../../../shared/api.ts'
import { DEFAULT_CONFIG, type RunConfig } from '../../../shared/config.ts'
import { PRESETS, isPresetId, type PresetId } from '../../../shared/presets.ts'
import {
  DEFAULT_FORM_VALUES,
  diffFromDefaults,
  toFormValues,
  validateForm,
  type ConfigKey,
  type FormValues
} from './config-form.ts'
import { isBlankDoc, useUrlDraftStore } from './url-draft-store.ts'

/**
 * What the person set up: the run settings as typed, the preset they started from, the theme and
 * whether the demo was offered. Loaded from and saved to preferences (debounced). The URL list is
 * the draft store's (url-draft-store.ts), saved apart.
 */

export type ThemeChoice = Preferences['theme']

export interface SettingsState {
  readonly loaded: boolean
  readonly loadError: string | null
  readonly saveError: string | null
  readonly presetId: PresetId | null
  readonly values: FormValues
  readonly theme: ThemeChoice
  readonly demoOffered: boolean
  /** The last config that validated: what preferences keep while the form is mid-edit. */
  readonly lastValidConfig: RunConfig
  /** The next run's name (not remembered between launches). */
  readonly runName: string
}

export const useSettingsStore = create<SettingsState>()(() => ({
  loaded: false,
  loadError: null,
  saveError: null,
  presetId: null,
  values: DEFAULT_FORM_VALUES,
  theme: 'system',
  demoOffered: true,
  lastValidConfig: DEFAULT_CONFIG,
  runName: ''
}))

function withValues(values: FormValues): Pick<SettingsState, 'values'> & Partial<SettingsState> {
  const outcome = validateForm(values)
  return outcome.config ? { values, lastValidConfig: outcome.config } : { values }
}

export const settingsActions = {
  hydrate(prefs: Preferences): void {
    const config = { ...DEFAULT_CONFIG, ...prefs.config }
    const presetId = prefs.presetId !== null && isPresetId(prefs.presetId) ? prefs.presetId : null
    useSettingsStore.setState({
      loaded: true,
      loadError: null,
      presetId,
      theme: prefs.theme,
      demoOffered: prefs.demoOffered,
      ...withValues(toFormValues(config))
    })
  },
  loadFailed(message: string): void {
    // Setup stays usable with defaults; the person is told their saved settings did not load.
    useSettingsStore.setState({ loaded: true, loadError: message, demoOffered: true })
  },
  setValue(key: ConfigKey, value: string): void {
    const values = { ...useSettingsStore.getState().values, [key]: value }
    useSettingsStore.setState(withValues(values))
  },
  /** Sets what the preset is about; every other setting stays as it is. */
  applyPreset(id: PresetId): void {
    const current = useSettingsStore.getState().values
    const presetValues = toFormValues({ ...DEFAULT_CONFIG, ...PRESETS[id].settings })
    const values = { ...current }
    for (const key of Object.keys(PRESETS[id].settings) as ConfigKey[]) values[key] = presetValues[key]
    useSettingsStore.setState({ presetId: id, ...withValues(values) })
  },
  /** Every setting back to its default, except the crawl mode (a switch of its own, over the URLs). */
  resetToDefaults(): void {
    const mode = useSettingsStore.getState().values.mode
    useSettingsStore.setState({ presetId: null, ...withValues({ ...DEFAULT_FORM_VALUES, mode }) })
  },
  setRunName(runName: string): void {
    useSettingsStore.setState({ runName })
  },
  setTheme(theme: ThemeChoice): void {
    useSettingsStore.setState({ theme })
  },
  markDemoOffered(): void {
    useSettingsStore.setState({ demoOffered: true })
  }
}

/**
 * The start request the Setup form describes, or why there is none (for the Start shortcut and
 * menu command, which act without the Setup view on screen). The host parses the URL list again
 * and answers with its own counts.
 */
export function buildStartRequest(
  s: SettingsState,
  urls: Pick<ReturnType<typeof useUrlDraftStore.getState>, 'doc'> = useUrlDraftStore.getState()
):
  { readonly ok: true; readonly request: StartRunRequest } | { readonly ok: false; readonly reason: string } {
  if (!s.loaded) return { ok: false, reason: 'Settings are still loading.' }
  const outcome = validateForm(s.values)
  if (!outcome.config) return { ok: false, reason: 'Fix the highlighted settings first.' }
  if (isBlankDoc(urls.doc)) return { ok: false, reason: 'Add URLs to crawl first.' }
  const name = s.runName.trim()
  const urlsText = urls.doc.toString()
  return {
    ok: true,
    request: name === '' ? { urlsText, config: outcome.config } : { urlsText, config: outcome.config, name }
  }
}

/** True when the values still match the preset they started from. */
export function matchesPreset(values: FormValues, id: PresetId): boolean {
  const presetValues = toFormValues({ ...DEFAULT_CONFIG, ...PRESETS[id].settings })
  return (Object.keys(PRESETS[id].settings) as ConfigKey[]).every((k) => values[k] === presetValues[k])
}

export function toPreferences(s: SettingsState): Preferences {
  return {
    config: diffFromDefaults(s.lastValidConfig),
    presetId: s.presetId,
    demoOffered: s.demoOffered,
    theme: s.theme
  }
}

/**
 * Saves preferences a moment after the last change (not per keystroke). `flush` saves a pending
 * change now (the page is being hidden or closed); `stop` flushes and stops watching.
 */
export function startPreferencesAutosave(
  api: Pick<CrawlerApi, 'savePreferences'>,
  delayMs = 800
): { flush: () => void; stop: () => void } {
  let timer: ReturnType<typeof setTimeout> | null = null
  const save = (): void => {
    timer = null
    const state = useSettingsStore.getState()
    if (!state.loaded) return
    api.savePreferences(toPreferences(state)).then(
      () => {
        if (useSettingsStore.getState().saveError !== null) useSettingsStore.setState({ saveError: null })
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error)
        useSettingsStore.setState({ saveError: `Settings were not saved: ${message}` })
      }
    )
  }
  const unsubscribe = useSettingsStore.subscribe((state, prev) => {
    if (!state.loaded || !prev.loaded) return
    if (
      state.lastValidConfig === prev.lastValidConfig &&
      state.presetId === prev.presetId &&
      state.theme === prev.theme &&
      state.demoOffered === prev.demoOffered
    ) {
      return
    }
    if (timer !== null) clearTimeout(timer)
    timer = setTimeout(save, delayMs)
  })
  const flush = (): void => {
    if (timer === null) return
    clearTimeout(timer)
    save()
  }
  return {
    flush,
    stop: () => {
      unsubscribe()
      flush()
    }
  }
}
