import { describe, expect, it } from 'vitest'
import { parseLiveSettingsPatch, parseRunConfig, runConfigPatchSchema } from '../../shared/config.ts'

describe('settings patches', () => {
  it('hold only what was set: a concurrency change does not reset other live settings', () => {
    expect(parseLiveSettingsPatch({ concurrency: 8 })).toEqual({ ok: true, value: { concurrency: 8 } })
    expect(runConfigPatchSchema.parse({ retries: 1 })).toEqual({ retries: 1 })
    expect(parseLiveSettingsPatch({ maxRedirects: 3 }).ok).toBe(false)
    expect(parseLiveSettingsPatch({ concurrency: 0 }).ok).toBe(false)
  })
})

describe('parseRunConfig', () => {
  it.each([
    [{ concurrency: 0 }, 'concurrency:'],
    [{ retryStatuses: [200] }, 'retryStatuses.0:'],
    [{ headers: { 'bad name': 'x' } }, 'headers.bad name:'],
    [{ backoffBaseMs: 5_000, backoffMaxMs: 1_000 }, 'backoffMaxMs: must be at least backoffBaseMs'],
    [{ unknownField: 1 }, 'Unrecognized key']
  ])('%j is refused naming the field', (input, message) => {
    const parsed = parseRunConfig(input)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.errors.join('\n')).toContain(message)
  })

  it('fills defaults for what is not given', () => {
    const parsed = parseRunConfig({ concurrency: 3 })
    expect(parsed.ok && parsed.value.concurrency).toBe(3)
    expect(parsed.ok && parsed.value.perHostConcurrency).toBe(6)
  })
})
