import { describe, expect, it } from 'vitest'
import {
  DEFAULT_TRAP_LIMITS,
  detectTrap,
  longestRepeat,
  TrapMonitor,
  type TrapCode
} from '../../../electron/core/crawl/traps.ts'

const O = 'https://shop.example.com'
const code = (url: string, limits = DEFAULT_TRAP_LIMITS): TrapCode | null =>
  detectTrap(url, limits)?.code ?? null

describe('detectTrap with the default limits', () => {
  it.each([
    // Ordinary pages
    [`${O}/`, null],
    [`${O}/products/shoes/red-sneaker-42`, null],
    [`${O}/2024/05/05/a-post`, null],
    [`${O}/a/a`, null],
    [`${O}/a/b/a/b`, null],
    [`${O}/docs/v1/docs/v1/x`, null],
    [`${O}/a/b/c/a/b/c`, null],
    [`${O}/search?q=shoes&page=2&sort=price`, null],
    [`${O}/list?tag=a&tag=b&tag=c&tag=d`, null],
    // Relative-link loops
    [`${O}/x/x/x`, 'REPEATING_PATH'],
    [`${O}/x/x/x/x/`, 'REPEATING_PATH'],
    [`${O}/a/b/a/b/a/b`, 'REPEATING_PATH'],
    [`${O}/base/a/b/c/a/b/c/a/b/c/page.html`, 'REPEATING_PATH'],
    [`${O}/img/img/img/logo.png`, 'REPEATING_PATH'],
    [`${O}/a////`, 'REPEATING_PATH'],
    // Depth
    [`${O}/${Array.from({ length: 32 }, (_, i) => `s${i}`).join('/')}`, null],
    [`${O}/${Array.from({ length: 33 }, (_, i) => `s${i}`).join('/')}`, 'PATH_TOO_DEEP'],
    [`${O}/${Array.from({ length: 32 }, (_, i) => `s${i}`).join('/')}/`, null],
    // Queries
    [`${O}/p?${Array.from({ length: 32 }, (_, i) => `f${i}=1`).join('&')}`, null],
    [`${O}/p?${Array.from({ length: 33 }, (_, i) => `f${i}=1`).join('&')}`, 'TOO_MANY_QUERY_PARAMS'],
    [`${O}/cal?d=1&d=2&d=3&d=4&d=5`, 'REPEATING_QUERY_PARAM'],
    [`${O}/p?state=${'x'.repeat(1_024 - 6)}`, null],
    [`${O}/p?state=${'x'.repeat(1_025 - 6)}`, 'QUERY_TOO_LONG'],
    // Length, checked first
    [`${O}/${'a'.repeat(2_048 - O.length - 1)}`, null],
    [`${O}/${'a'.repeat(2_049 - O.length - 1)}`, 'URL_TOO_LONG'],
    [`${O}/x/x/x/${'a'.repeat(3_000)}`, 'URL_TOO_LONG'],
    // Not a URL: nothing to say (normalisation reports it)
    ['not a url', null]
  ])('%s → %s', (url, expected) => {
    expect(code(url)).toBe(expected)
  })

  it('messages say what repeated and what to change', () => {
    expect(detectTrap(`${O}/a/b/a/b/a/b/c`)?.message).toBe(
      'Path repeats "/a/b" 3 times in a row (limit 2): usually a relative link that nests itself.'
    )
    expect(detectTrap(`${O}/${'a'.repeat(3_000)}`)?.message).toBe(
      `URL is ${O.length + 3_001} characters, over the limit of 2048: raise Max URL length if the site really uses such URLs.`
    )
  })
})

describe('detectTrap with other limits', () => {
  it.each([
    [{ maxRepeatedSegments: 3 }, `${O}/x/x/x`, null],
    [{ maxRepeatedSegments: 3 }, `${O}/x/x/x/x`, 'REPEATING_PATH'],
    [{ maxRepeatedSegments: 1 }, `${O}/2024/05/05/post`, 'REPEATING_PATH'],
    [{ maxPathDepth: 2 }, `${O}/a/b/c`, 'PATH_TOO_DEEP'],
    [{ maxQueryParams: 1 }, `${O}/p?a=1&b=2`, 'TOO_MANY_QUERY_PARAMS'],
    [{ maxRepeatedParams: 1 }, `${O}/p?a=1&a=2`, 'REPEATING_QUERY_PARAM'],
    [{ maxUrlLength: 30 }, `${O}/abcdef`, 'URL_TOO_LONG'],
    [{ maxQueryLength: 3 }, `${O}/p?abcd`, 'QUERY_TOO_LONG']
  ] as const)('%j: %s → %s', (limits, url, expected) => {
    expect(code(url, { ...DEFAULT_TRAP_LIMITS, ...limits })).toBe(expected)
  })

  it('stays fast when the limits allow a thousand segments', () => {
    const limits = { ...DEFAULT_TRAP_LIMITS, maxPathDepth: 10_000, maxUrlLength: 10_000 }
    const url = `${O}/${Array.from({ length: 1_000 }, (_, i) => i % 7).join('/')}`
    const started = performance.now()
    expect(code(url, limits)).toBe('REPEATING_PATH')
    expect(performance.now() - started).toBeLessThan(1_000)
  })
})

describe('longestRepeat', () => {
  it.each([
    [[], null],
    [['a'], null],
    [['a', 'b', 'c'], null],
    [['a', 'a'], { run: ['a'], times: 2 }],
    [['x', 'a', 'b', 'a', 'b', 'a', 'b', 'y'], { run: ['a', 'b'], times: 3 }],
    [['a', 'b', 'a', 'c', 'a', 'b', 'a', 'b'], { run: ['a', 'b'], times: 2 }],
    [['p', 'q', 'r', 'p', 'q', 'r', 'p', 'q'], { run: ['p', 'q', 'r'], times: 2 }],
    [['a', 'a', 'b', 'a', 'a', 'a'], { run: ['a'], times: 3 }],
    [['', '', '', ''], { run: [''], times: 4 }]
  ])('%j → %j', (segments, expected) => {
    expect(longestRepeat(segments)).toEqual(expected)
  })
})

describe('TrapMonitor', () => {
  it('flags a query that keeps growing, reports it once, and holds back only the longer variants', () => {
    const monitor = new TrapMonitor({ maxQueryGrowthSteps: 5 })
    const verdicts = []
    let query = 'f=1'
    for (let i = 0; i < 8; i++) {
      verdicts.push(monitor.observe(`${O}/list?${query}`))
      query += `&g${i}=x`
    }
    expect(verdicts.slice(0, 5)).toEqual([null, null, null, null, null])
    expect(verdicts[5]).toMatchObject({ trap: { code: 'GROWING_QUERY' }, isNew: true })
    expect(verdicts[5]?.trap.message).toContain(`${O}/list: the query grew to a new length 6 times`)
    expect(verdicts.slice(6).map((v) => v?.isNew)).toEqual([false, false])
    // A short variant of the same path is still fine; other paths are unaffected.
    expect(monitor.observe(`${O}/list?f=2`)).toBeNull()
    expect(monitor.observe(`${O}/other?${query}`)).toBeNull()
  })

  it('does not flag pagination or ids on one path', () => {
    const monitor = new TrapMonitor()
    for (let page = 1; page <= 5_000; page++) {
      expect(monitor.observe(`${O}/list?page=${page}`)).toBeNull()
    }
  })

  it('does not flag thousands of variants of varied length in any order', () => {
    const monitor = new TrapMonitor()
    // A deterministic shuffle of ids 1…9,999 (lengths 1 to 4 digits) and filters.
    for (let i = 0; i < 9_999; i++) {
      const id = ((i * 7_919) % 9_999) + 1
      const filter = i % 3 === 0 ? `&color=${['red', 'blue', 'green'][i % 9 === 0 ? 0 : 1]}` : ''
      expect(monitor.observe(`${O}/item?id=${id}${filter}`)).toBeNull()
    }
  })

  it('flags a calendar: one path with more variants than allowed', () => {
    const monitor = new TrapMonitor({ maxVariantsPerPath: 100 })
    const results = []
    for (let m = 0; m < 150; m++) {
      const year = 2000 + Math.floor(m / 12)
      results.push(monitor.observe(`${O}/calendar?month=${year}-${String((m % 12) + 1).padStart(2, '0')}`))
    }
    expect(results.slice(0, 100).every((r) => r === null)).toBe(true)
    expect(results[100]).toMatchObject({ trap: { code: 'TOO_MANY_VARIANTS' }, isNew: true })
    expect(results.slice(101).every((r) => r?.trap.code === 'TOO_MANY_VARIANTS' && !r.isNew)).toBe(true)
  })

  it('follows a calendar\'s "next month" chain for maxVariantChain pages, then refuses it once reported', () => {
    const monitor = new TrapMonitor({ maxVariantChain: 4 })
    const month = (m: number): string => `${O}/calendar?month=2025-${String(m).padStart(2, '0')}`
    // /calendar → ?month=2025-01 → ?month=2025-02 …, each found on the one before: same length, no growth.
    const verdicts = []
    let page = `${O}/calendar`
    for (let m = 1; m <= 5; m++) {
      const next = month(m)
      verdicts.push(monitor.observe(next, monitor.source(page)))
      if (verdicts.at(-1) === null) page = next
    }
    expect(verdicts.slice(0, 4)).toEqual([null, null, null, null])
    expect(verdicts[4]).toMatchObject({ trap: { code: 'VARIANT_CHAIN' }, isNew: true })
    expect(verdicts[4]?.trap.message).toContain(`${O}/calendar: 4 pages in a row`)
    // The same page's other link (another month) is held back quietly: reported once per path.
    expect(monitor.observe(month(12), monitor.source(page))).toMatchObject({ isNew: false })
  })

  it('does not count variants found on other pages as a chain (a list page linking 5,000 pages)', () => {
    const monitor = new TrapMonitor({ maxVariantChain: 2 })
    const list = monitor.source(`${O}/index`)
    for (let page = 1; page <= 5_000; page++) {
      expect(monitor.observe(`${O}/list?page=${page}`, list)).toBeNull()
    }
  })

  it('counts a chain per branch: pagination linking back and forth stays within the window', () => {
    const monitor = new TrapMonitor({ maxVariantChain: 3 })
    const url = (n: number): string => `${O}/list?page=${n}`
    const first = monitor.source(`${O}/list`)
    // /list links pages 1…3 directly (chain 1 each); page 3 links 4 (chain 2), 4 links 5 (chain 3).
    expect(monitor.observe(url(1), first)).toBeNull()
    expect(monitor.observe(url(2), first)).toBeNull()
    expect(monitor.observe(url(3), first)).toBeNull()
    expect(monitor.source(url(3)).chain).toBe(1)
    expect(monitor.observe(url(4), monitor.source(url(3)))).toBeNull()
    expect(monitor.observe(url(5), monitor.source(url(4)))).toBeNull()
    expect(monitor.observe(url(6), monitor.source(url(5)))?.trap.code).toBe('VARIANT_CHAIN')
    // A page found through a short chain is still fine on the same path.
    expect(monitor.observe(url(7), first)).toBeNull()
  })

  it('reports each trapped path once, separately', () => {
    const monitor = new TrapMonitor({ maxVariantsPerPath: 2 })
    const fresh: string[] = []
    for (const path of ['/a', '/b', '/a', '/b', '/a', '/b']) {
      for (let i = 0; i < 3; i++) {
        const v = monitor.observe(`${O}${path}?v=${fresh.length}-${i}`)
        if (v?.isNew === true) fresh.push(path)
      }
    }
    expect(fresh).toEqual(['/a', '/b'])
  })

  it('ignores URLs without a query, and treats origins apart', () => {
    const monitor = new TrapMonitor({ maxVariantsPerPath: 1 })
    expect(monitor.observe(`${O}/p`)).toBeNull()
    expect(monitor.observe(`${O}/p?a=1`)).toBeNull()
    expect(monitor.observe(`http://other.example/p?a=2`)).toBeNull()
    expect(monitor.observe(`${O}/p?a=3`)?.trap.code).toBe('TOO_MANY_VARIANTS')
  })

  it('forgets the oldest paths past maxTrackedPaths', () => {
    const monitor = new TrapMonitor({ maxTrackedPaths: 100, maxVariantsPerPath: 1 })
    for (let i = 0; i < 1_000; i++) monitor.observe(`${O}/p${i}?a=1`)
    expect(monitor.trackedPaths).toBe(100)
    // /p0 was forgotten, so its second variant counts as a first one again; /p999 is remembered.
    expect(monitor.observe(`${O}/p0?a=2`)).toBeNull()
    expect(monitor.observe(`${O}/p999?a=2`)?.trap.code).toBe('TOO_MANY_VARIANTS')
  })
})
