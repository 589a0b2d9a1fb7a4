import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG, type LiveSettings } from '../../../shared/config.ts'
import { failureGroups } from '../../../electron/core/run/failure-groups.ts'
import { result, type ResultSpec } from '../../helpers/fixtures.ts'
import { memoryResults } from '../../helpers/memory-results.ts'

/**
 * Failures grouped by code, as the Failures panel lists them: counts, sample URLs, and advice that
 * names the host to blame and the settings in effect now, from the store a live run writes to.
 */

const store = (specs: readonly ResultSpec[]) => memoryResults(specs.map(result))

describe('failure groups', () => {
  const settings: LiveSettings = { ...DEFAULT_CONFIG, concurrency: 200, connectTimeoutMs: 3_000 }
  const ctx = (done: number, over: Partial<LiveSettings> = {}) => ({
    settings: { ...settings, ...over },
    config: DEFAULT_CONFIG,
    done
  })

  it('groups by code with counts and at most three sample URLs', () => {
    const s = store([
      ...Array.from({ length: 40 }, (_, i) => ({
        id: i,
        host: `h${i % 5}.test`,
        code: 'TIMEOUT_CONNECT' as const
      })),
      ...Array.from({ length: 60 }, (_, i) => ({ id: 100 + i })),
      { id: 200, code: 'HTTP_STATUS', status: 404 }
    ])
    const groups = failureGroups(s.failureTallies(), ctx(s.size))
    expect(groups.map((g) => [g.code, g.count])).toEqual([
      ['TIMEOUT_CONNECT', 40],
      ['HTTP_STATUS', 1]
    ])
    expect(groups[0]?.sampleUrls).toEqual(['http://h0.test/p/0', 'http://h1.test/p/1', 'http://h2.test/p/2'])
    // Widespread connect timeouts: our own load is the likely cause, and the numbers are today's.
    expect(groups[0]?.suggestion).toBe(
      '40 requests could not connect within 3000 ms: lower Concurrency (now 200) or raise Connect timeout (now 3000 ms).'
    )
    expect(groups[1]?.suggestion).toMatch(/^Pages not found \(404 ×1\)/)
  })

  it('names a host that accounts for most failures, and reads the settings in effect now', () => {
    const s = store(
      Array.from({ length: 10 }, (_, i) => ({ id: i, host: 'slow.test', code: 'TIMEOUT_HEADERS' as const }))
    )
    const [g] = failureGroups(s.failureTallies(), ctx(1_000, { perHostConcurrency: 9 }))
    expect(g?.suggestion).toContain('(all on slow.test)')
    expect(g?.suggestion).toContain('lower Concurrency per host (now 9)')
  })

  it.each<{ name: string; specs: ResultSpec[]; over?: Partial<LiveSettings>; expected: RegExp }>([
    {
      name: '429s: slow down, Retry-After off',
      specs: Array.from({ length: 5 }, (_, i) => ({ id: i, code: 'HTTP_STATUS', status: 429 })),
      over: { respectRetryAfter: false },
      expected: /^Servers asked to slow down \(429 ×5\).*turn on Respect Retry-After\.$/
    },
    {
      name: '5xx that were retried',
      specs: [
        { id: 0, code: 'HTTP_STATUS', status: 503 },
        { id: 1, code: 'HTTP_STATUS', status: 503 },
        { id: 2, code: 'HTTP_STATUS', status: 500 }
      ],
      expected: /^Servers failed \(503 ×2, 500 ×1\).*retrying \(now 3 retries\) did not help/
    },
    {
      name: 'a few connect timeouts among many results: raise the timeout',
      specs: [{ id: 0, code: 'TIMEOUT_CONNECT' }],
      expected: /^1 request could not connect within 3000 ms: raise Connect timeout \(now 3000 ms\)/
    },
    {
      name: 'DNS names the host',
      specs: [{ id: 0, host: 'typo.invalid', code: 'DNS' }],
      expected: /^The host name typo\.invalid did not resolve/
    },
    {
      name: 'codes without data-specific advice fall back to ERROR_ADVICE',
      specs: [{ id: 0, code: 'TLS' }],
      expected: /^TLS handshakes failed: check certificates and the https scheme\.$/
    }
  ])('$name', ({ specs, over, expected }) => {
    const s = store(specs)
    const [g] = failureGroups(s.failureTallies(), ctx(1_000, over))
    expect(g?.suggestion).toMatch(expected)
    expect(g?.suggestion).not.toContain('\n')
  })
})
