import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG, pickLive, type RunConfig } from '../../../shared/config.ts'
import type { RequestResult } from '../../../shared/result.ts'
import type { ExtractedLinks } from '../../../electron/core/crawl/link-extractor.ts'
import { ListFrontier } from '../../../electron/core/crawl/list-frontier.ts'
import { SpiderFrontier } from '../../../electron/core/crawl/spider-frontier.ts'
import type { CrawlEvent, FrontierTask, UrlTask } from '../../../electron/core/crawl/url-frontier.ts'
import { result, type ResultSpec } from '../../helpers/fixtures.ts'
import { fakeDocuments, recordPorts, sitemapXml, type RecordedPorts } from '../../helpers/fake-documents.ts'

/**
 * The frontier seam: what the engine pulls, in which order, what a finished page adds, and the
 * counts and events the dashboard gets. The engine's side is in test/core/engine/frontier.test.ts.
 */

const O = 'http://a.test'
const tasks = (...paths: string[]): UrlTask[] => paths.map((path, id) => ({ id, url: `${O}${path}` }))
const show = (pulled: readonly FrontierTask[]) =>
  pulled.map((t) => [t.id, t.url.pathname, t.depth, t.foundOn])
const links = (...paths: string[]): ExtractedLinks => ({
  links: paths.map((path) => ({ url: `${O}${path}`, nofollow: false })),
  baseHref: null,
  metaRobots: { noindex: false, nofollow: false },
  dropped: 0,
  ignored: 0
})
/** A page's final result as the engine reports it (only what the frontier reads matters). */
const page = (task: FrontierTask, over: Omit<ResultSpec, 'id'> = {}): RequestResult =>
  result({ id: task.id, url: task.url.href, depth: task.depth, foundOn: task.foundOn, ...over })

describe('ListFrontier', () => {
  it('hands the list out in input order, a window at a time, fragments dropped', () => {
    const list = new ListFrontier([
      { id: 0, url: `${O}/a#top` },
      { id: 1, url: 'http://b.test:8080/b' },
      { id: 2, url: `${O}/c` }
    ])
    expect([list.total, list.pending, list.settled]).toEqual([3, 3, true])
    const first = list.pull(2)
    expect(first.map((t) => [t.id, t.url.href, t.host, t.depth, t.foundOn])).toEqual([
      [0, `${O}/a`, 'a.test', 0, null],
      [1, 'http://b.test:8080/b', 'b.test:8080', 0, null]
    ])
    expect(list.pending).toBe(1)
    expect(show(list.pull(10))).toEqual([[2, '/c', 0, null]])
    expect(list.pull(10)).toEqual([])
    expect([list.total, list.pending]).toEqual([3, 0])
  })

  it('finds nothing on pages and wants no links', () => {
    const list = new ListFrontier(tasks('/a'))
    const [task] = list.pull(1)
    if (!task) throw new Error('no task')
    expect(list.linksFrom()).toBeNull()
    expect(list.finished()).toBe(0)
    expect(list.total).toBe(1)
  })

  it('refuses a URL that does not parse before the run starts', () => {
    expect(() => new ListFrontier([{ id: 7, url: 'not a url' }])).toThrow(/task 7/)
  })
})

function spider(
  seeds: readonly UrlTask[],
  config: Partial<RunConfig> = {},
  ports: RecordedPorts = recordPorts(),
  fetch = fakeDocuments({}).fetch,
  extra: { known?: string[]; nextId?: number } = {}
): { frontier: SpiderFrontier; ports: RecordedPorts } {
  const c = { ...DEFAULT_CONFIG, mode: 'spider' as const, ...config }
  const frontier = new SpiderFrontier({
    config: c,
    settings: pickLive(c),
    tasks: seeds,
    fetch,
    ports,
    ...extra
  })
  return { frontier, ports }
}

const discovered = (events: readonly CrawlEvent[]) =>
  events.flatMap((e) => (e.kind === 'url-discovered' ? [e] : []))

describe('SpiderFrontier', () => {
  it('reports the seeds at start, then hands out what pages link to, shallowest first', () => {
    const { frontier, ports } = spider(tasks('/'))
    frontier.start()
    expect(discovered(ports.events)).toMatchObject([{ foundOn: null, added: 1, urls: [] }])
    const [root] = frontier.pull(10)
    if (!root) throw new Error('no seed')
    frontier.started(root)
    expect(frontier.finished(page(root), links('/a', '/b'))).toBe(2)
    const [a, b] = frontier.pull(1).concat(frontier.pull(1))
    if (!a || !b) throw new Error('links not pulled')
    frontier.started(a)
    frontier.finished(page(a), links('/a1', '/a2'))
    // /b (depth 1) goes before /a1, /a2 (depth 2) whatever the order they came in.
    frontier.finished(page(b), links('/b1'))
    expect(show(frontier.pull(10))).toEqual([
      [3, '/a1', 2, 1],
      [4, '/a2', 2, 1],
      [5, '/b1', 2, 2]
    ])
    expect(frontier.total).toBe(6)
    expect(discovered(ports.events).at(-1)?.frontier).toMatchObject({ discovered: 6, maxDepthSeen: 2 })
  })

  it('a task found again by a shorter path takes that depth, pulled or not, until it starts', () => {
    const { frontier } = spider(tasks('/', '/x'), { maxDepth: 5 })
    const [root, x] = frontier.pull(2)
    if (!root || !x) throw new Error('no seeds')
    frontier.started(root)
    frontier.finished(page(root), links('/a'))
    const [a] = frontier.pull(1)
    if (!a) throw new Error('no /a')
    frontier.started(a)
    frontier.finished(page(a), links('/queued', '/begun', '/waiting'))
    // /queued is pulled (it waits in the engine), /begun has started, /waiting is still here.
    const [queued, begun] = frontier.pull(2)
    if (!queued || !begun) throw new Error('links not pulled')
    frontier.started(begun)
    frontier.started(x)
    frontier.finished(page(x), links('/queued', '/begun', '/waiting'))
    const [waiting] = frontier.pull(1)
    expect([queued.depth, queued.foundOn]).toEqual([1, x.id])
    expect([waiting?.depth, waiting?.foundOn]).toEqual([1, x.id])
    expect([begun.depth, begun.foundOn]).toEqual([2, a.id])
  })

  it('wants links only from pages above the depth limit', () => {
    const { frontier } = spider(tasks('/'), { maxDepth: 1 })
    const [root] = frontier.pull(1)
    if (!root) throw new Error('no seed')
    expect(frontier.linksFrom(root)).not.toBeNull()
    frontier.finished(page(root), links('/a'))
    const [a] = frontier.pull(1)
    if (!a) throw new Error('no /a')
    expect(frontier.linksFrom(a)).toBeNull()
  })

  it('a failed page yields nothing; a redirect target is not fetched again', () => {
    const { frontier } = spider(tasks('/', '/r'))
    const [root, r] = frontier.pull(2)
    if (!root || !r) throw new Error('no seeds')
    expect(frontier.finished(page(root, { ok: false }), links('/a'))).toBe(0)
    frontier.finished(page(r, { finalUrl: `${O}/landing` }), links('/landing', '/b'))
    expect(show(frontier.pull(10))).toEqual([[2, '/b', 1, 1]])
  })

  it('maxPages counts seeds and known URLs, and a live raise reaches links refused before', () => {
    const { frontier, ports } = spider(tasks('/'), { maxPages: 3 }, recordPorts(), undefined, {
      known: [`${O}/old`],
      nextId: 10
    })
    const [root] = frontier.pull(1)
    if (!root) throw new Error('no seed')
    frontier.finished(page(root), links('/a', '/b', '/c'))
    expect(show(frontier.pull(10))).toEqual([[10, '/a', 1, 0]])
    expect(discovered(ports.events).at(-1)?.frontier.overLimit).toBe(2)
    frontier.updateSettings({ ...pickLive(DEFAULT_CONFIG), maxPages: 10 })
    frontier.finished(page(root), links('/b', '/c', '/old'))
    expect(show(frontier.pull(10))).toEqual([
      [11, '/b', 1, 0],
      [12, '/c', 1, 0]
    ])
  })

  it('reports traps and counts what waits on either side of the seam', () => {
    const { frontier, ports } = spider(tasks('/'))
    const [root] = frontier.pull(1)
    if (!root) throw new Error('no seed')
    ports.queued = 5
    frontier.finished(page(root), links('/a/b/a/b/a/b/a/b/', '/ok'))
    expect(ports.events.filter((e) => e.kind === 'trap-detected')).toMatchObject([
      { url: `${O}/a/b/a/b/a/b/a/b/`, foundOn: 0 }
    ])
    expect(discovered(ports.events).at(-1)?.frontier).toMatchObject({ queued: 6, trapped: 1 })
    frontier.completed()
    expect(discovered(ports.events).at(-1)).toMatchObject({ foundOn: null, added: 0 })
  })

  it('holds everything back until the config’s sitemaps are read; their URLs are seeds at depth 0', async () => {
    const docs = fakeDocuments({ [`${O}/sitemap.xml`]: sitemapXml([`${O}/s1`, `${O}/s2`]) })
    const { frontier, ports } = spider(
      tasks('/'),
      { sitemapUrls: [`${O}/sitemap.xml`] },
      recordPorts(),
      docs.fetch
    )
    frontier.start()
    expect(frontier.settled).toBe(false)
    expect(frontier.pull(10)).toEqual([])
    await docs.release()
    expect(frontier.settled).toBe(true)
    expect(ports.wakes).toBeGreaterThanOrEqual(1)
    expect(show(frontier.pull(10))).toEqual([
      [0, '/', 0, null],
      [1, '/s1', 0, null],
      [2, '/s2', 0, null]
    ])
  })

  it('sitemaps robots.txt lists are read without holding the crawl; a cancel stops them', async () => {
    const docs = fakeDocuments({ [`${O}/map.xml`]: sitemapXml([`${O}/m`]) })
    const { frontier, ports } = spider(tasks('/'), {}, recordPorts(), docs.fetch)
    frontier.start()
    frontier.addSources([`${O}/map.xml`])
    expect(frontier.settled).toBe(false)
    expect(frontier.pull(10)).toHaveLength(1)
    frontier.cancel()
    await docs.release()
    expect(frontier.settled).toBe(true)
    expect(frontier.pull(10)).toEqual([])
    expect(ports.events.filter((e) => e.kind === 'sitemap-problem')).toHaveLength(0)
  })
})
