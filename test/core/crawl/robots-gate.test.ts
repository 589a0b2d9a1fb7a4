import { describe, expect, it } from 'vitest'
import { RobotsGate, type RobotsGatePorts } from '../../../electron/core/crawl/robots-gate.ts'
import type { CrawlEvent } from '../../../electron/core/crawl/url-frontier.ts'
import { fakeDocuments } from '../../helpers/fake-documents.ts'

/**
 * The robots.txt gate as the engine meets it: one request at a time on a host until its file is
 * read, then its answer per URL (RFC 9309), and what the file says applied through the ports.
 */

const O = 'http://a.test'
const UA = 'crawlboard-test'
const ROBOTS = `User-agent: *\nDisallow: /private\nCrawl-delay: 2\nSitemap: ${O}/map.xml\n`

function gate(docs: Readonly<Record<string, string | number>>, readSitemaps = false) {
  const served = fakeDocuments(docs)
  const seen = {
    events: [] as CrawlEvent[],
    crawlDelays: [] as [string, number | null][],
    ready: [] as string[],
    sitemaps: [] as string[][]
  }
  const ports: RobotsGatePorts = {
    fetch: served.fetch,
    emit: (event) => seen.events.push(event),
    crawlDelay: (host, ms) => seen.crawlDelays.push([host, ms]),
    hostReady: (host) => seen.ready.push(host),
    sitemaps: (urls) => seen.sitemaps.push([...urls])
  }
  return { robots: new RobotsGate({ userAgent: UA, readSitemaps, ports }), served, seen }
}

describe('RobotsGate', () => {
  it('a host takes one request until its robots.txt is read; then the file answers and is applied', async () => {
    const { robots, served, seen } = gate({ [`${O}/robots.txt`]: ROBOTS })
    expect(robots.hostLimit('a.test')).toBe(1)
    expect(robots.answer(new URL(`${O}/page`))).toBeNull()
    const reading = robots.read(new URL(`${O}/page`), 'a.test')
    await served.release()
    expect(await reading).toEqual({ allowed: true })
    expect(served.asked).toEqual([`${O}/robots.txt`])
    expect(robots.hostLimit('a.test')).toBe(Number.POSITIVE_INFINITY)
    expect(seen.crawlDelays).toEqual([['a.test', 2_000]])
    expect(seen.ready).toEqual(['a.test'])
    expect(seen.events).toMatchObject([{ kind: 'robots-status', origin: O, crawlDelayMs: 2_000 }])
    // Its sitemaps are read only when the run asks for them.
    expect(seen.sitemaps).toEqual([])
    const refused = robots.answer(new URL(`${O}/private/x`))
    expect(refused).toMatchObject({
      allowed: false,
      failure: { code: 'ROBOTS_DISALLOWED', retryable: false }
    })
    expect(robots.answer(new URL(`${O}/public`))).toEqual({ allowed: true })
  })

  it('hands its sitemaps over once per origin when the run reads them', async () => {
    const { robots, served, seen } = gate({ [`${O}/robots.txt`]: ROBOTS }, true)
    const first = robots.read(new URL(`${O}/a`), 'a.test')
    const second = robots.read(new URL(`${O}/b`), 'a.test')
    await served.release()
    await Promise.all([first, second])
    expect(served.asked).toHaveLength(1)
    expect(seen.sitemaps).toEqual([[`${O}/map.xml`]])
    // The label did not change the second time: one status event.
    expect(seen.events).toHaveLength(1)
  })

  it.each([
    ['a 404 (no robots.txt): everything allowed', 404, true],
    ['a 503 (unreachable): everything disallowed for now', 503, false]
  ] as const)('%s', async (_name, status, allowed) => {
    const { robots, served, seen } = gate({ [`${O}/robots.txt`]: status })
    const reading = robots.read(new URL(`${O}/x`), 'a.test')
    await served.release()
    expect((await reading).allowed).toBe(allowed)
    expect(seen.crawlDelays).toEqual([['a.test', null]])
  })

  it('stops a redirect into a disallowed path, saying where it led', async () => {
    const { robots, served } = gate({ [`${O}/robots.txt`]: ROBOTS })
    const checking = robots.checkRedirect(new URL(`${O}/private/y`))
    await served.release()
    expect(await checking).toMatchObject({
      code: 'ROBOTS_DISALLOWED',
      message: expect.stringMatching(new RegExp(`^Redirected to ${O}/private/y: `)) as unknown
    })
    expect(await robots.checkRedirect(new URL(`${O}/fine`))).toBeNull()
  })

  it('after a cancel, a read in flight applies nothing', async () => {
    const { robots, served, seen } = gate({ [`${O}/robots.txt`]: ROBOTS })
    const reading = robots.read(new URL(`${O}/x`), 'a.test')
    robots.cancel()
    await served.release()
    await reading
    expect(seen).toEqual({ events: [], crawlDelays: [], ready: [], sitemaps: [] })
    expect(robots.hostLimit('a.test')).toBe(1)
  })
})
