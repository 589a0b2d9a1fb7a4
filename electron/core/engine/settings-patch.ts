import type { LiveSettings, LiveSettingsPatch } from '../../../shared/config.ts'
import { LIVE_SETTING_KEYS } from '../../../shared/config.ts'

/** A live settings patch applied: the settings after it and what it changed; null when it changes nothing. */
export function patchLiveSettings(
  current: LiveSettings,
  patch: LiveSettingsPatch
): { readonly settings: LiveSettings; readonly changed: Readonly<Record<string, unknown>> } | null {
  const changed: Record<string, unknown> = {}
  const next: Record<string, unknown> = { ...current }
  for (const key of LIVE_SETTING_KEYS) {
    const value = patch[key]
    // By value: a list setting (retryStatuses) sent again unchanged is no change.
    if (value !== undefined && JSON.stringify(value) !== JSON.stringify(current[key])) {
      next[key] = value
      changed[key] = value
    }
  }
  return Object.keys(changed).length === 0 ? null : { settings: next as LiveSettings, changed }
}
