import { DEMO_CHARSET_TITLES, DEMO_CHARSET_VIAS } from './demo-charsets.ts'
import { DEMO_SITE_PAGES } from './demo-pages.ts'
import { DEMO_API_HOST } from './demo-load.ts'
import { mulberry32, pick, randInt, type Rng } from './demo-random.ts'

/**
 * A demo URL list in realistic proportions: mostly healthy pages, a tail of errors, retryable
 * failures that recover, and a few pathological responses. Pure and deterministic by seed: each
 * category's count is its share of the list (largest remainder), whatever the seed or the clock,
 * so a longer list has proportionally as many flaky and slow URLs, never more.
 */

export interface DemoUrlMixEntry {
  readonly id: string
  readonly label: string
  /** Fraction of the list (the gzip bomb is one URL per list of 100+, not a fraction). */
  readonly share: number
}

interface Category extends DemoUrlMixEntry {
  build(rng: Rng, index: number, seed: number): string
}

const CHARSETS = Object.keys(DEMO_CHARSET_TITLES)

const CATEGORIES: readonly Category[] = [
  {
    id: 'fast',
    label: 'Normal pages, log-normal latency (median 30–150 ms)',
    share: 0.484,
    build: (rng) => {
      const median = randInt(rng, 30, 150)
      const p99 = median * randInt(rng, 6, 15)
      return `/latency?dist=lognormal&median=${median}&p99=${p99}&seed=${randInt(rng, 1, 1_000_000_000)}`
    }
  },
  {
    id: 'page',
    label: 'Synthetic site pages (/page/N)',
    share: 0.25,
    build: (rng) => `/page/${randInt(rng, 0, DEMO_SITE_PAGES - 1)}`
  },
  {
    id: 'client-error',
    label: 'Client errors 404/410/403',
    share: 0.06,
    build: (rng) => `/status/${pick(rng, [404, 404, 404, 404, 410, 403])}?delay=${randInt(rng, 5, 80)}`
  },
  {
    id: 'server-error',
    label: 'Permanent server errors 500/502/503',
    share: 0.04,
    build: (rng) => `/status/${pick(rng, [500, 502, 503])}?delay=${randInt(rng, 10, 200)}`
  },
  {
    id: 'flaky',
    label: 'Flaky: fails 1–2 times, then 200',
    share: 0.04,
    build: (rng, i, seed) => {
      const failure = pick(rng, ['&status=503', '&status=503', '&status=502', '&status=500', '&mode=reset'])
      return `/flaky/s${seed}-${i}?failures=${randInt(rng, 1, 2)}${failure}`
    }
  },
  {
    // The 429s and Retry-After waits of a workshop demo come from this host's rate limit
    // (demo-load.ts), earned by a client going faster than it allows, not scripted per URL: a list
    // of scripted refusals pauses its host once per URL however gently it is crawled.
    id: 'api',
    label: 'API calls on the rate-limited host (median 20 ms; 429 + Retry-After past its rate)',
    share: 0.03,
    build: (rng) => `/api/${randInt(rng, 1, 1_000_000_000)}`
  },
  {
    id: 'redirect',
    label: 'Redirect chains of 1–3 hops',
    share: 0.03,
    build: (rng) => `/redirect/${randInt(rng, 1, 3)}?code=${pick(rng, [301, 302, 302, 303, 307, 308])}`
  },
  { id: 'redirect-loop', label: 'Redirect loops', share: 0.01, build: () => '/redirect-loop' },
  {
    id: 'stall',
    label: 'Header stalls (30 s)',
    share: 0.01,
    build: () => '/stall-headers?ms=30000'
  },
  {
    id: 'trickle',
    label: 'Trickled bodies (20 chunks, 100–300 ms apart)',
    share: 0.01,
    build: (rng) => `/trickle?chunks=20&interval=${randInt(rng, 100, 300)}&size=64`
  },
  {
    id: 'reset',
    label: 'Connection resets',
    share: 0.01,
    build: (rng) => pick(rng, ['/reset', '/reset-after-headers'])
  },
  {
    id: 'charset',
    label: 'Legacy charset pages',
    share: 0.01,
    build: (rng) => `/charset/${pick(rng, CHARSETS)}?via=${pick(rng, DEMO_CHARSET_VIAS)}`
  },
  {
    id: 'compressed',
    label: 'Compressed pages (gzip, br, deflate)',
    share: 0.01,
    build: (rng) => pick(rng, ['/gzip', '/br', '/deflate'])
  },
  { id: 'huge', label: 'Huge bodies (20 MB)', share: 0.006, build: () => '/huge?bytes=20000000' }
]

const BOMB: Category = {
  id: 'gzip-bomb',
  label: 'One gzip bomb (1 GiB decoded) per list of 100+',
  share: 0,
  build: () => '/gzip-bomb?mb=1024'
}

const BOMB_MIN_COUNT = 100

export const DEMO_URL_MIX: readonly DemoUrlMixEntry[] = [...CATEGORIES, BOMB].map(({ id, label, share }) => ({
  id,
  label,
  share
}))

/** Exact counts per category (largest remainder), so small lists still follow the mix closely. */
function allocate(count: number): number[] {
  const exact = CATEGORIES.map((c) => c.share * count)
  const counts = exact.map(Math.floor)
  let left = count - counts.reduce((a, b) => a + b, 0)
  const byRemainder = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (const [, i] of byRemainder) {
    if (left <= 0) break
    counts[i] = (counts[i] ?? 0) + 1
    left--
  }
  return counts
}

/**
 * With several origins (the demo target's "hosts"), categories live where a real crawl meets them:
 * API calls on the rate-limited host, trickled and oversized bodies on a sluggish one, the rest
 * spread over all. So a Retry-After pause holds back one host while the others go on. Header
 * stalls are spread too: each holds a per-host slot until the headers timeout, three times with
 * retries, and all of them on one host would keep that host's 32 slots full for over a minute of
 * a 20,000-URL list while the other hosts sat finished.
 */
const HOME_HOST: Readonly<Record<string, number>> = {
  api: DEMO_API_HOST,
  trickle: 2,
  huge: 2,
  'gzip-bomb': 2
}

function originFor(category: Category, bases: readonly string[], rng: Rng): string {
  const home = HOME_HOST[category.id]
  const index = home !== undefined ? home % bases.length : Math.floor(rng() * bases.length)
  return bases[index] ?? bases[0] ?? ''
}

export function generateDemoUrls(
  origins: string | readonly string[],
  opts: { count?: number; seed?: number } = {}
): string[] {
  const count = Math.max(0, Math.floor(opts.count ?? 500))
  const seed = Math.floor(opts.seed ?? 1)
  const bases = (typeof origins === 'string' ? [origins] : origins).map((o) => o.replace(/\/+$/, ''))
  const slots: Category[] = []
  allocate(count).forEach((n, i) => {
    const category = CATEGORIES[i]
    if (category) for (let k = 0; k < n; k++) slots.push(category)
  })
  // The bomb takes the place of one normal page.
  if (count >= BOMB_MIN_COUNT) slots[0] = BOMB

  const rng = mulberry32(seed)
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    const a = slots[i]
    const b = slots[j]
    if (a && b) {
      slots[i] = b
      slots[j] = a
    }
  }

  const seen = new Set<string>()
  return slots.map((category, i) => {
    // One origin draws nothing extra from the generator, so single-host lists stay as they were.
    const base = bases.length > 1 ? originFor(category, bases, rng) : (bases[0] ?? '')
    let url = base + category.build(rng, i, seed)
    // Engines dedupe their input, so repeats get a harmless extra parameter.
    if (seen.has(url)) url += `${url.includes('?') ? '&' : '?'}n=${i}`
    seen.add(url)
    return url
  })
}
