import { beforeEach, describe, expect, test } from 'vitest'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'
import { DEFAULT_FORM_VALUES } from '../../../renderer/src/stores/config-form.ts'
import {
  buildStartRequest,
  matchesPreset,
  settingsActions,
  toPreferences,
  useSettingsStore
} from '../../../renderer/src/stores/settings-store.ts'
import { urlDraftActions } from '../../../renderer/src/stores/url-draft-store.ts'

beforeEach(() => {
  settingsActions.hydrate({
    config: {},
    presetId: null,
    demoOffered: true,
    theme: 'system'
  })
  urlDraftActions.hydrate('https://a.example/')
  urlDraftActions.setText('https://a.example/')
})

describe('setup settings in spider mode', () => {
  test('the Polite preset turns adaptive concurrency on and leaves the mode and scope alone', () => {
    settingsActions.setValue('mode', 'spider')
    settingsActions.setValue('scope', 'site')
    settingsActions.applyPreset('polite')
    const { values, presetId } = useSettingsStore.getState()
    expect(presetId).toBe('polite')
    expect(values.adaptiveConcurrency).toBe('on')
    expect(values.mode).toBe('spider')
    expect(values.scope).toBe('site')
    expect(matchesPreset(values, 'polite')).toBe(true)
    // Turning adaptive off again is a modification of the preset.
    settingsActions.setValue('adaptiveConcurrency', 'off')
    expect(matchesPreset(useSettingsStore.getState().values, 'polite')).toBe(false)
  })

  test('reset to defaults keeps the crawl mode (its own switch) and turns robots.txt back on', () => {
    settingsActions.setValue('mode', 'spider')
    settingsActions.setValue('respectRobots', 'off')
    settingsActions.setValue('maxDepth', '2')
    settingsActions.resetToDefaults()
    const { values } = useSettingsStore.getState()
    expect(values).toEqual({ ...DEFAULT_FORM_VALUES, mode: 'spider' })
    expect(values.respectRobots).toBe('on')
  })

  test('the start request carries the spider settings; robots off is recorded in the run config', () => {
    settingsActions.setValue('mode', 'spider')
    settingsActions.setValue('respectRobots', 'off')
    settingsActions.setValue('maxDepth', '2')
    const built = buildStartRequest(useSettingsStore.getState())
    expect(built.ok).toBe(true)
    if (!built.ok) return
    expect(built.request.config).toMatchObject({ mode: 'spider', respectRobots: false, maxDepth: 2 })
    // And preferences remember only what differs from the defaults.
    expect(toPreferences(useSettingsStore.getState()).config).toEqual({
      mode: 'spider',
      respectRobots: false,
      maxDepth: 2
    })
  })

  test('a bad pattern blocks the start and names the pattern', () => {
    settingsActions.setValue('mode', 'spider')
    settingsActions.setValue('excludePatterns', '/ok/\n(broken')
    const built = buildStartRequest(useSettingsStore.getState())
    expect(built).toEqual({ ok: false, reason: 'Fix the highlighted settings first.' })
    // The last valid config is what preferences keep meanwhile.
    expect(useSettingsStore.getState().lastValidConfig.excludePatterns).toEqual(
      DEFAULT_CONFIG.excludePatterns
    )
  })
})
