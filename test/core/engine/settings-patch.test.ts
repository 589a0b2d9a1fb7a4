import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG, pickLive, type LiveSettingsPatch } from '../../../shared/config.ts'
import { patchLiveSettings } from '../../../electron/core/engine/settings-patch.ts'

const current = pickLive(DEFAULT_CONFIG)

describe('patchLiveSettings', () => {
  it.each<[string, LiveSettingsPatch, Record<string, unknown> | null]>([
    ['an empty patch changes nothing', {}, null],
    ['a value sent again unchanged is no change', { concurrency: current.concurrency }, null],
    [
      'a list sent again with the same items is no change',
      { retryStatuses: [...current.retryStatuses] },
      null
    ],
    ['one setting', { concurrency: 7 }, { concurrency: 7 }],
    ['only what differs is reported', { concurrency: 7, retries: current.retries }, { concurrency: 7 }],
    [
      'a setting that may be null, turned on',
      { failureSafeguardPercent: 60 },
      { failureSafeguardPercent: 60 }
    ]
  ])('%s', (_name, patch, changed) => {
    const patched = patchLiveSettings(current, patch)
    expect(patched?.changed ?? null).toEqual(changed)
    if (patched) expect(patched.settings).toEqual({ ...current, ...changed })
  })

  it('null is a value: the safeguard turned off again', () => {
    const on = { ...current, failureSafeguardPercent: 60 }
    expect(patchLiveSettings(on, { failureSafeguardPercent: null })?.changed).toEqual({
      failureSafeguardPercent: null
    })
  })

  it('leaves the settings it was given as they were', () => {
    const before = structuredClone(current)
    patchLiveSettings(current, { concurrency: 3 })
    expect(current).toEqual(before)
  })
})
