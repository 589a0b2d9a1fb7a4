import type { RunConfigInput } from './config.ts'

/**
 * Named starting points for a run's settings. A preset only sets what it is about; everything
 * else keeps its default, and anything the user sets explicitly wins over the preset.
 */
export const PRESETS = {
  'workshop-demo': {
    label: 'Workshop demo',
    description: 'Tuned for the built-in demo target: short timeouts, quick retries.',
    settings: {
      concurrency: 32,
      perHostConcurrency: 32,
      connectTimeoutMs: 3_000,
      headersTimeoutMs: 4_000,
      bodyTimeoutMs: 3_000,
      totalTimeoutMs: 10_000,
      retries: 2,
      backoffBaseMs: 200,
      backoffMaxMs: 2_000,
      retryAfterMaxMs: 5_000
    }
  },
  polite: {
    label: 'Polite',
    description: 'For sites you do not own: few requests at once per host, patient timeouts.',
    settings: {
      concurrency: 8,
      perHostConcurrency: 2,
      retries: 3,
      backoffBaseMs: 1_000,
      backoffMaxMs: 60_000,
      respectRetryAfter: true,
      retryAfterMaxMs: 120_000,
      adaptiveConcurrency: true
    }
  },
  fast: {
    label: 'Fast',
    description: 'For your own services: many requests at once, short timeouts, one retry.',
    settings: {
      concurrency: 200,
      perHostConcurrency: 64,
      connectTimeoutMs: 5_000,
      headersTimeoutMs: 10_000,
      bodyTimeoutMs: 10_000,
      totalTimeoutMs: 20_000,
      retries: 1,
      backoffBaseMs: 250,
      backoffMaxMs: 5_000
    }
  }
} as const satisfies Record<string, { label: string; description: string; settings: RunConfigInput }>

export type PresetId = keyof typeof PRESETS

export const PRESET_IDS = Object.keys(PRESETS) as PresetId[]

export function isPresetId(value: string): value is PresetId {
  return Object.hasOwn(PRESETS, value)
}
