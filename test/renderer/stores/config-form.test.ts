import { describe, expect, test } from 'vitest'
import { DEFAULT_CONFIG } from '../../../shared/config.ts'
import {
  DEFAULT_FORM_VALUES,
  diffFromDefaults,
  patternWarnings,
  toFormValues,
  validateForm,
  type FormValues
} from '../../../renderer/src/stores/config-form.ts'

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

describe('setup form model: spider and politeness settings', () => {
  test('defaults show as the form shows them: mode list, robots on, empty optional numbers', () => {
    expect(DEFAULT_FORM_VALUES).toMatchObject({
      mode: 'list',
      scope: 'host',
      respectRobots: 'on',
      adaptiveConcurrency: 'off',
      perHostBudget: '',
      perHostMaxRequestsPerSecond: '',
      failureSafeguardPercent: '',
      includePatterns: '',
      stripQueryParams: ''
    })
  })

  test('spider values become the config: lists per line or per word, empty numbers as none', () => {
    const outcome = validateForm(
      withValues({
        mode: 'spider',
        scope: 'site',
        maxDepth: '3',
        maxPages: '2,500',
        perHostBudget: '400',
        includePatterns: '^https://a\\.example/docs/\n\n  /blog/  ',
        excludePatterns: '\\?sort=',
        stripQueryParams: 'utm_source, utm_medium sessionid',
        sitemapUrls: 'https://a.example/sitemap.xml\n',
        followNofollow: 'on',
        respectRobots: 'off',
        perHostMinDelayMs: '250',
        perHostMaxRequestsPerSecond: '2.5',
        failureSafeguardPercent: '40',
        adaptiveConcurrency: 'on'
      })
    )
    expect(outcome.errors).toEqual({})
    expect(outcome.config).toMatchObject({
      mode: 'spider',
      scope: 'site',
      maxDepth: 3,
      maxPages: 2_500,
      perHostBudget: 400,
      includePatterns: ['^https://a\\.example/docs/', '/blog/'],
      excludePatterns: ['\\?sort='],
      stripQueryParams: ['utm_source', 'utm_medium', 'sessionid'],
      sitemapUrls: ['https://a.example/sitemap.xml'],
      followNofollow: true,
      respectRobots: false,
      perHostMinDelayMs: 250,
      perHostMaxRequestsPerSecond: 2.5,
      failureSafeguardPercent: 40,
      adaptiveConcurrency: true
    })
    const config = outcome.config ?? DEFAULT_CONFIG
    expect(validateForm(toFormValues(config)).config).toEqual(config)
    // Emptied again, the optional numbers mean "none".
    const cleared = validateForm(
      withValues({ perHostBudget: ' ', perHostMaxRequestsPerSecond: '', failureSafeguardPercent: '' })
    )
    expect(cleared.config).toMatchObject({
      perHostBudget: null,
      perHostMaxRequestsPerSecond: null,
      failureSafeguardPercent: null
    })
  })

  test('every bad pattern is named, even while another field is invalid', () => {
    const outcome = validateForm(
      withValues({ concurrency: 'lots', includePatterns: '/ok/\n(unclosed\n[z-a]', excludePatterns: '*x' })
    )
    expect(outcome.config).toBeNull()
    expect(outcome.errors.concurrency).toBe('enter a whole number')
    expect(outcome.errors.includePatterns).toMatch(
      /Include pattern "\(unclosed" is not a valid regular expression/
    )
    expect(outcome.errors.includePatterns).toMatch(
      /Include pattern "\[z-a\]" is not a valid regular expression/
    )
    expect(outcome.errors.includePatterns).not.toContain('"/ok/"')
    expect(outcome.errors.excludePatterns).toMatch(/^Exclude pattern "\*x" is not a valid regular expression/)
  })

  test('a pattern that can backtrack for minutes is accepted with a warning naming it', () => {
    expect(validateForm(withValues({ excludePatterns: '(a+)+$' })).config?.excludePatterns).toEqual([
      '(a+)+$'
    ])
    expect(patternWarnings('excludePatterns', '/fine/\n(a+)+$')).toEqual([
      expect.stringMatching(/^Exclude pattern "\(a\+\)\+\$" repeats a group/)
    ])
    expect(patternWarnings('includePatterns', '/fine/')).toEqual([])
    expect(patternWarnings('concurrency', '(a+)+')).toEqual([])
  })

  test.each([
    [{ maxDepth: '-1' }, 'maxDepth', 'at least 0'],
    [{ maxPages: '0' }, 'maxPages', 'at least 1'],
    [{ perHostBudget: '1.5' }, 'perHostBudget', 'enter a whole number, or leave empty'],
    [
      { perHostMaxRequestsPerSecond: 'fast' },
      'perHostMaxRequestsPerSecond',
      'enter a number, or leave empty'
    ],
    [{ perHostMaxRequestsPerSecond: '0' }, 'perHostMaxRequestsPerSecond', 'more than 0'],
    [{ failureSafeguardPercent: '150' }, 'failureSafeguardPercent', 'at most 100']
  ] as const)('%o → %s: %s', (patch, field, message) => {
    const outcome = validateForm(withValues(patch))
    expect(outcome.config).toBeNull()
    expect(outcome.errors[field]).toBe(message)
  })
})
