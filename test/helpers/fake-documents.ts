import type { DocumentFetcher, FetchedDocument } from '../../electron/core/crawl/document-fetch.ts'
import type { CrawlEvent, FrontierPorts } from '../../electron/core/crawl/url-frontier.ts'

/**
 * Fakes for testing crawl units without a network: documents served from a map (robots.txt,
 * sitemaps), each fetch answered when the test releases it, and frontier ports that record what a
 * unit reported.
 */

export interface FakeDocuments {
  readonly fetch: DocumentFetcher
  /** URLs asked for, in order. */
  readonly asked: string[]
  /** Answers every fetch waiting so far; later ones wait for the next call. */
  release(): Promise<void>
}

/** Serves `docs` (URL → body, or a bare HTTP status); a URL not in it is a 404. Fetches wait for release(). */
export function fakeDocuments(docs: Readonly<Record<string, string | number>>): FakeDocuments {
  const asked: string[] = []
  let waiting: (() => void)[] = []
  const answer = (url: string): FetchedDocument => {
    const doc = docs[url] ?? 404
    if (typeof doc === 'number') return { kind: 'status', url, redirects: 0, status: doc }
    return { kind: 'body', url, redirects: 0, status: 200, bytes: Buffer.from(doc), truncated: false }
  }
  return {
    asked,
    fetch: async (request) => {
      asked.push(request.url)
      await new Promise<void>((resolve) => waiting.push(resolve))
      if (request.signal?.aborted)
        return { kind: 'failed', url: request.url, redirects: 0, code: 'ABORTED', detail: 'cancelled' }
      return answer(request.url)
    },
    async release() {
      const now = waiting
      waiting = []
      for (const resolve of now) resolve()
      // Let the readers settle what they were given.
      for (let i = 0; i < 20; i++) await Promise.resolve()
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
}

export interface RecordedPorts extends FrontierPorts {
  readonly events: CrawlEvent[]
  readonly wakes: number
  /** What the engine holds pulled and not started, as queuedInEngine reports it. */
  queued: number
}

export function recordPorts(): RecordedPorts {
  const ports = {
    events: [] as CrawlEvent[],
    wakes: 0,
    queued: 0,
    emit: (event: CrawlEvent) => {
      ports.events.push(event)
    },
    queuedInEngine: () => ports.queued,
    wake: () => {
      ports.wakes += 1
    }
  }
  return ports
}

export const sitemapXml = (urls: readonly string[]): string =>
  `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls
    .map((url) => `<url><loc>${url}</loc></url>`)
    .join('')}</urlset>`
