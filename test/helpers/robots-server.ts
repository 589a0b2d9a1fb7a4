import type { IncomingMessage, ServerResponse } from 'node:http'
import { Agent } from 'undici'
import { afterAll, afterEach } from 'vitest'
import { startServer, type TestServer } from './engine-harness.ts'

/**
 * Loopback servers that answer /robots.txt the way a test scripts it, for the robots.txt fetch
 * and cache tests: each counts requests per path and keeps the User-Agent headers it was sent.
 */

export const UA = 'Crawlboard/0.1 (+https://crawlboard.dev/bot)'

export const RULES =
  'User-agent: *\nDisallow: /private/\nCrawl-delay: 3\nSitemap: https://shop.example/sitemap.xml\n'

export type Handler = (req: IncomingMessage, res: ServerResponse) => void

export interface RobotsServer extends TestServer {
  readonly origin: string
  /** Requests per path. */
  readonly hits: Map<string, number>
  readonly agents: string[]
}

/** Answers every request with `status` and `body` as plain text. */
export const text = (status: number, body: string, headers: Record<string, string> = {}): Handler => {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain', ...headers })
    res.end(body)
  }
}

/**
 * One undici agent for the file, closed after its tests, and `serve`, whose servers are closed
 * after each test. Call once at the top of a test file.
 */
export function robotsServers(): {
  readonly agent: Agent
  readonly serve: (handler: Handler) => Promise<RobotsServer>
} {
  const agent = new Agent({ connections: 8 })
  const servers: TestServer[] = []
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()))
  })
  afterAll(async () => {
    await agent.close()
  })
  const serve = async (handler: Handler): Promise<RobotsServer> => {
    const hits = new Map<string, number>()
    const agents: string[] = []
    const server = await startServer((req, res) => {
      const path = req.url ?? '/'
      hits.set(path, (hits.get(path) ?? 0) + 1)
      agents.push(req.headers['user-agent'] ?? '')
      handler(req, res)
    })
    servers.push(server)
    return { ...server, origin: server.url(''), hits, agents }
  }
  return { agent, serve }
}
