import { describe, expect, it } from 'vitest'
import { closeAfterEach } from '../../helpers/cleanup.ts'
import { recordEngine, runSpider, startServer, type Recorder } from '../../helpers/engine-harness.ts'
import { linkPage, type TestSite } from '../../helpers/spider-site.ts'

/**
 * Spider mode end to end on loopback sites: which pages a crawl fetches for each depth, page
 * budget, scope and nofollow setting, robots.txt refusals as results, traps reported, and the
 * depth and found-on page every result carries.
 */

const { site, defer } = closeAfterEach()

/** Paths fetched (results), sorted. */
const paths = (rec: Recorder): string[] =>
  rec
    .results()
    .map((r) => new URL(r.url).pathname)
    .sort()

// / → a, b;  a → a1 (and back to /);  a1 → a2;  b → c
const TREE = {
  '/': { links: ['/a', '/b', 'mailto:someone@example.com', '#top', 'javascript:void(0)'] },
  '/a': { links: ['/a1', '/'] },
  '/a1': { links: ['/a2'] },
  '/a2': {},
  '/b': { links: ['/c', '/a'] },
  '/c': {}
}

describe('spider: depth, pages, found on', () => {
  it.each([
    [0, ['/']],
    [1, ['/', '/a', '/b']],
    [2, ['/', '/a', '/a1', '/b', '/c']],
    [3, ['/', '/a', '/a1', '/a2', '/b', '/c']]
  ])('maxDepth %i fetches exactly %j', async (maxDepth, expected) => {
    const s = await site(TREE)
    const rec = await runSpider([s.url('/')], { maxDepth })
    expect(paths(rec)).toEqual(expected)
    // Each page once: links back to / and /a are deduplicated.
    expect(s.pageRequests()).toHaveLength(expected.length)
  })

  it('records each page’s depth and the page it was first found on', async () => {
    const s = await site(TREE)
    const rec = await runSpider([s.url('/')], { maxDepth: 3, perHostConcurrency: 1 })
    const byPath = new Map(rec.results().map((r) => [new URL(r.url).pathname, r]))
    const root = byPath.get('/')
    expect(root).toMatchObject({ id: 0, depth: 0, foundOn: null })
    expect(byPath.get('/a')).toMatchObject({ depth: 1, foundOn: 0 })
    expect(byPath.get('/b')).toMatchObject({ depth: 1, foundOn: 0 })
    expect(byPath.get('/a1')).toMatchObject({ depth: 2, foundOn: byPath.get('/a')?.id })
    expect(byPath.get('/a2')).toMatchObject({ depth: 3, foundOn: byPath.get('/a1')?.id })
    expect(byPath.get('/c')).toMatchObject({ depth: 2, foundOn: byPath.get('/b')?.id })
    // Ids are unique and the summary counts every page found.
    expect(new Set(rec.results().map((r) => r.id)).size).toBe(6)
    const finished = rec.ofKind('run-finished')[0]
    expect(finished?.summary).toMatchObject({ total: 6, done: 6, ok: 6 })
    const last = rec.ofKind('url-discovered').at(-1)
    expect(last?.frontier).toMatchObject({ discovered: 6, maxDepthSeen: 3, queued: 0 })
    expect(last?.frontier.deduped).toBeGreaterThanOrEqual(2)
  })

  it('a queued page found again by a shorter path takes the smaller depth and that page', async () => {
    let t = ''
    const slow = (ms: number, links: () => string[]) => ({
      answer: (_req: unknown, res: import('node:http').ServerResponse) => {
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'text/html' }).end(linkPage('slow', links()))
        }, ms)
      }
    })
    // Three hosts: 127.0.0.1:P2 holds / → a → a1 → t (t at depth 3); 127.0.0.1:P1 holds b, slow,
    // linked from / too (t at depth 2 once it answers); localhost:P1 holds t, busy with a slow
    // seed until t has been found both ways.
    const s = await site({
      '/b': slow(150, () => [t]),
      '/busy': slow(400, () => []),
      '/t': { links: ['/t1'] },
      '/t1': {}
    })
    t = s.url('/t', 'localhost')
    const s2 = await site({
      '/': { links: ['/a', s.url('/b')] },
      '/a': { links: ['/a1'] },
      '/a1': { links: [t] }
    })
    const rec = await runSpider([s2.url('/'), s.url('/busy', 'localhost')], {
      scope: 'any',
      respectRobots: false,
      maxDepth: 3,
      perHostConcurrency: 1
    })
    const byUrl = new Map(rec.results().map((r) => [r.url, r]))
    const b = byUrl.get(s.url('/b'))
    expect(byUrl.get(t)).toMatchObject({ depth: 2, foundOn: b?.id })
    // At depth 2 its own links are followed (a depth-3 t would have stopped there).
    expect(byUrl.get(s.url('/t1', 'localhost'))).toMatchObject({ depth: 3 })
  })

  it('stops at maxPages (seeds included), breadth first with one request at a time', async () => {
    const s = await site(TREE)
    const rec = await runSpider([s.url('/')], { maxDepth: 5, maxPages: 3, perHostConcurrency: 1 })
    expect(paths(rec)).toEqual(['/', '/a', '/b'])
    expect(rec.ofKind('url-discovered').at(-1)?.frontier.overLimit).toBeGreaterThan(0)
  })

  it('keeps to the per-host budget on each host', async () => {
    const other = await site({ '/x': { links: ['/y', '/z'] }, '/y': {}, '/z': {} })
    const s = await site({
      '/': { links: ['/a', '/b', '/c', other.url('/x')] },
      '/a': {},
      '/b': {},
      '/c': {}
    })
    const rec = await runSpider([s.url('/')], { scope: 'any', perHostBudget: 2, perHostConcurrency: 1 })
    const hosts = new Map<string, number>()
    for (const r of rec.results()) hosts.set(r.host, (hosts.get(r.host) ?? 0) + 1)
    expect([...hosts.values()]).toEqual([2, 2])
  })
})

describe('spider: scope', () => {
  // Two servers on 127.0.0.1: two hosts (host:port), one site (the same host name).
  async function twoServers(): Promise<{ main: TestSite; other: TestSite }> {
    const other = await site({ '/there': { links: ['/there2'] }, '/there2': {} })
    const main = await site({
      '/': { links: ['/here', other.url('/there'), other.url('/there', 'localhost')] },
      '/here': {}
    })
    return { main, other }
  }

  it('host: only the seed’s host and port', async () => {
    const { main, other } = await twoServers()
    const rec = await runSpider([main.url('/')], { scope: 'host' })
    expect(paths(rec)).toEqual(['/', '/here'])
    expect(other.pageRequests()).toHaveLength(0)
    expect(rec.ofKind('url-discovered').at(-1)?.frontier.outOfScope).toBe(2)
  })

  it('site: the same host name on another port too, not another name', async () => {
    const { main, other } = await twoServers()
    const rec = await runSpider([main.url('/')], { scope: 'site' })
    expect(paths(rec)).toEqual(['/', '/here', '/there', '/there2'])
    expect(other.pageRequests().map((r) => r.host)).toEqual([
      `127.0.0.1:${other.port}`,
      `127.0.0.1:${other.port}`
    ])
  })

  it('any: every host the links reach', async () => {
    const { main } = await twoServers()
    const rec = await runSpider([main.url('/')], { scope: 'any' })
    expect(rec.results()).toHaveLength(6)
    expect(rec.results().filter((r) => r.host.startsWith('localhost'))).toHaveLength(2)
  })

  it('include and exclude patterns', async () => {
    const s = await site({
      '/': { links: ['/docs/a', '/docs/b', '/blog/x', '/docs/private/p'] },
      '/docs/a': {},
      '/docs/b': {},
      '/blog/x': {},
      '/docs/private/p': {}
    })
    const rec = await runSpider([s.url('/')], {
      includePatterns: ['/docs/', '/$'],
      excludePatterns: ['private']
    })
    expect(paths(rec)).toEqual(['/', '/docs/a', '/docs/b'])
  })

  it('strips the chosen query parameters before dedupe', async () => {
    const s = await site({
      '/': { links: ['/p?utm_source=a', '/p?utm_source=b', '/p'] },
      '/p': {}
    })
    const rec = await runSpider([s.url('/')], { stripQueryParams: ['utm_source'] })
    expect(rec.results().map((r) => r.url.replace(/^http:\/\/[^/]+/, ''))).toEqual(['/', '/p'])
  })
})

describe('spider: nofollow', () => {
  const PAGES = {
    '/': { links: ['/plain'], nofollow: ['/nf'] },
    '/plain': {},
    '/nf': {},
    '/meta': {
      answer: (_req: unknown, res: import('node:http').ServerResponse) => {
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<meta name="robots" content="nofollow"><a href="/plain">p</a>')
      }
    }
  }

  it('skips rel=nofollow links by default and counts them', async () => {
    const s = await site(PAGES)
    const rec = await runSpider([s.url('/')])
    expect(paths(rec)).toEqual(['/', '/plain'])
    expect(rec.ofKind('url-discovered').at(-1)?.frontier.nofollow).toBe(1)
  })

  it('follows them with followNofollow', async () => {
    const s = await site(PAGES)
    const rec = await runSpider([s.url('/')], { followNofollow: true })
    expect(paths(rec)).toEqual(['/', '/nf', '/plain'])
  })

  it('honours <meta name=robots content=nofollow> for the whole page', async () => {
    const s = await site(PAGES)
    const rec = await runSpider([s.url('/meta')])
    expect(paths(rec)).toEqual(['/meta'])
  })
})

describe('spider: robots.txt', () => {
  const PAGES = {
    '/': { links: ['/open', '/private/a', '/private/b'] },
    '/open': {},
    '/private/a': {},
    '/private/b': {}
  }

  it('turns disallowed URLs into ROBOTS_DISALLOWED results, never fetched', async () => {
    const s = await site(PAGES, 'User-agent: *\nDisallow: /private/\n')
    const rec = await runSpider([s.url('/')])
    const blocked = rec.results().filter((r) => r.error?.code === 'ROBOTS_DISALLOWED')
    expect(blocked.map((r) => new URL(r.url).pathname).sort()).toEqual(['/private/a', '/private/b'])
    for (const r of blocked) {
      expect(r.ok).toBe(false)
      expect(r.status).toBeNull()
      expect(r.attempts).toEqual([])
      expect(r.error?.message).toContain('Disallow: /private/')
      expect(r.depth).toBe(1)
    }
    expect(s.log.map((r) => r.path).filter((p) => p.startsWith('/private'))).toEqual([])
    // Never requested, so no latency: the percentiles describe the two pages fetched.
    const summary = rec.ofKind('run-finished')[0]?.summary
    expect(summary).toMatchObject({ done: 4, failed: 2 })
    expect(summary?.latency.count).toBe(2)
    expect(summary?.latency.min).toBeGreaterThan(0)
    // robots.txt is read once, before the first page.
    expect(s.log.filter((r) => r.path === '/robots.txt')).toHaveLength(1)
    expect(s.log[0]?.path).toBe('/robots.txt')
    const status = rec.ofKind('robots-status')
    expect(status).toHaveLength(1)
    expect(status[0]).toMatchObject({ origin: s.url('').replace(/\/$/, ''), label: 'rules (1 group)' })
  })

  it('does not follow a redirect into a disallowed path', async () => {
    const s = await site(
      {
        '/': { links: ['/go', '/moved'] },
        '/go': {
          answer: (_req, res) => {
            res.writeHead(302, { location: '/private/a' }).end()
          }
        },
        '/moved': {
          answer: (_req, res) => {
            res.writeHead(301, { location: '/open' }).end()
          }
        },
        '/open': {},
        '/private/a': {}
      },
      'User-agent: *\nDisallow: /private/\n'
    )
    const rec = await runSpider([s.url('/')])
    const byPath = new Map(rec.results().map((r) => [new URL(r.url).pathname, r]))
    expect(byPath.get('/go')?.error).toMatchObject({ code: 'ROBOTS_DISALLOWED', status: 302 })
    expect(byPath.get('/go')?.error?.message).toContain(`Redirected to ${s.url('/private/a')}`)
    expect(byPath.get('/moved')).toMatchObject({ ok: true, finalUrl: s.url('/open') })
    expect(s.log.map((r) => r.path)).not.toContain('/private/a')
    expect(s.pageRequests().filter((r) => r.path === '/open')).toHaveLength(1)
  })

  it('fetches everything with respectRobots off, and never asks for robots.txt', async () => {
    const s = await site(PAGES, 'User-agent: *\nDisallow: /\n')
    const rec = await runSpider([s.url('/')], { respectRobots: false })
    expect(paths(rec)).toEqual(['/', '/open', '/private/a', '/private/b'])
    expect(s.log.filter((r) => r.path === '/robots.txt')).toHaveLength(0)
  })

  it('matches the group for our user agent', async () => {
    const s = await site(PAGES, 'User-agent: crawlboard\nDisallow: /open\n\nUser-agent: *\nDisallow: /\n')
    const rec = await runSpider([s.url('/')], { userAgent: 'Crawlboard/0.1 (+https://crawlboard.dev/bot)' })
    const byPath = new Map(rec.results().map((r) => [new URL(r.url).pathname, r]))
    expect(byPath.get('/')?.ok).toBe(true)
    expect(byPath.get('/open')?.error?.code).toBe('ROBOTS_DISALLOWED')
    expect(byPath.get('/private/a')?.ok).toBe(true)
  })
})

describe('spider: traps', () => {
  it('reports URLs that repeat path segments and does not fetch them', async () => {
    const s = await site({
      '/': { links: ['/cal/a/b/a/b/a/b/a/b/', '/ok'] },
      '/ok': {}
    })
    const rec = await runSpider([s.url('/')])
    expect(paths(rec)).toEqual(['/', '/ok'])
    const traps = rec.ofKind('trap-detected')
    expect(traps).toHaveLength(1)
    expect(traps[0]).toMatchObject({ code: 'REPEATING_PATH', foundOn: 0 })
    expect(traps[0]?.url).toContain('/cal/a/b/a/b')
    expect(s.pageRequests().map((r) => r.path)).not.toContain('/cal/a/b/a/b/a/b/a/b/')
  })

  it('stops following a query that grows with every link (a calendar’s “next”)', async () => {
    // /next?d=1 → /next?d=11 → /next?d=111 …: each page links to a longer query.
    const server = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x')
      if (url.pathname === '/robots.txt') return void res.writeHead(404).end()
      const d = url.searchParams.get('d') ?? ''
      res.writeHead(200, { 'content-type': 'text/html' }).end(linkPage('/next', [`/next?d=${d}1`]))
    })
    defer(() => server.close())
    // (A chain this long also breaks the variant chain rule: set out of the way to test growth alone.)
    const rec = await runSpider([server.url('/next?d=1')], { maxDepth: 100, maxVariantChain: 1_000 })
    expect(rec.results().length).toBeLessThan(20)
    expect(rec.ofKind('trap-detected').map((t) => t.code)).toEqual(['GROWING_QUERY'])
  })
})

describe('spider: list mode is unchanged', () => {
  it('fetches exactly the list and reads no robots.txt or links', async () => {
    const s = await site(TREE, 'User-agent: *\nDisallow: /\n')
    const rec = recordEngine({ retries: 0 })
    await rec.run([s.url('/'), s.url('/b')])
    expect(paths(rec)).toEqual(['/', '/b'])
    expect(s.log.map((r) => r.path).sort()).toEqual(['/', '/b'])
    expect(rec.results().map((r) => [r.depth, r.foundOn])).toEqual([
      [0, null],
      [0, null]
    ])
    expect(rec.ofKind('url-discovered')).toEqual([])
  })
})
