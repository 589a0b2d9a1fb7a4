import { describe, expect, test } from 'vitest'
import { DEFAULT_CONFIG } from '../../shared/config.ts'
import {
  DEFAULT_FORM_VALUES,
  diffFromDefaults,
  toFormValues,
  validateForm,
  type FormValues
} from '../../renderer/src/stores/config-form.ts'

const withValues = (patch: Partial<Record<keyof FormValues, string>>): FormValues => ({
  ...DEFAULT_FORM_VALUES,
  ...patch
})

describe('setup form model', () => {
  test('defaults round-trip to the default config', () => {
    const outcome = validateForm(DEFAULT_FORM_VALUES)
    expect(outcome.errors).toEqual({})
    expect(outcome.config).toEqual(DEFAULT_CONFIG)
    expect(diffFromDefaults(DEFAULT_CONFIG)).toEqual({})
  })

  test.each([
    [{ concurrency: '' }, 'concurrency', 'required'],
    [{ concurrency: 'lots' }, 'concurrency', 'enter a whole number'],
    [{ concurrency: '5000' }, 'concurrency', 'at most 2,000'],
    [{ perHostConcurrency: '0' }, 'perHostConcurrency', 'at least 1'],
    [{ connectTimeoutMs: '1.5' }, 'connectTimeoutMs', 'enter a whole number'],
    [{ retryStatuses: '429, abc' }, 'retryStatuses', '"abc" is not a status code'],
    [{ retryStatuses: '429, 200' }, 'retryStatuses', '200 is not retryable: use 400–599'],
    [{ headers: 'X-Ok: 1\nno colon here' }, 'headers', 'line 2: expected "Name: value"'],
    [{ headers: 'Bad Name: 1' }, 'headers', '"Bad Name" is not a valid header name'],
    [{ userAgent: '' }, 'userAgent', 'required'],
    [{ backoffBaseMs: '5000', backoffMaxMs: '1000' }, 'backoffMaxMs', 'must be at least the backoff base']
  ] as const)('%o → %s: %s', (patch, field, message) => {
    const outcome = validateForm(withValues(patch))
    expect(outcome.config).toBeNull()
    expect(outcome.errors[field]).toBe(message)
  })

  test('accepts thousands separators, status lists and header lines', () => {
    const outcome = validateForm(
      withValues({
        maxBodyBytes: '10,485,760',
        retryStatuses: '429 503;504',
        headers: 'Accept: text/html\n\nX-Team:  crawl ',
        respectRetryAfter: 'off',
        method: 'HEAD'
      })
    )
    expect(outcome.errors).toEqual({})
    expect(outcome.config).toMatchObject({
      maxBodyBytes: 10_485_760,
      retryStatuses: [429, 503, 504],
      headers: { Accept: 'text/html', 'X-Team': 'crawl' },
      respectRetryAfter: false,
      method: 'HEAD'
    })
    const config = outcome.config ?? DEFAULT_CONFIG
    expect(validateForm(toFormValues(config)).config).toEqual(config)
    expect(diffFromDefaults(config)).toEqual({
      maxBodyBytes: 10_485_760,
      retryStatuses: [429, 503, 504],
      headers: { Accept: 'text/html', 'X-Team': 'crawl' },
      respectRetryAfter: false,
      method: 'HEAD'
    })
  })
})
